import { inflateSync } from 'node:zlib';
import { crc32 } from './crc.js';
import {
  BAOSTOCK_DEFAULTS,
  COMPRESSED_REPLY_TYPES,
  END_MARKER,
  HEADER_BYTES,
  SEP,
  SEP_BYTE,
  ZLIB_FIRST_BYTE,
} from './constants.js';
import { BaoStockProtocolError } from './errors.js';
import { findHeaderProblem, parseHeader, type FrameHeader } from './frame.js';

/** One whole reply, its body decoded (and inflated when it came compressed). */
export interface BaoStockReply {
  /** The server's own version string (`00.9.00` was seen), not an echo of ours. */
  version: string;
  type: string;
  /** The header's length field: characters when uncompressed, compressed bytes otherwise. */
  declaredLength: number;
  compressed: boolean;
  body: string;
  /** The body split at 0x01; field 0 is the error code, field 1 its text. */
  fields: string[];
}

/** `0x01` + at most 10 digits + `\n` may sit between a compressed stream and the end marker. */
const MAX_COMPRESSED_TRAILER_BYTES = 12;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one reply from socket chunks (§3.6). Feed it with `push`; it returns the reply once the
 * end marker has arrived. One reader reads one reply: in lock-step use any byte after the marker
 * (in the same chunk or a later one) is a protocol error, so make a new reader per request.
 */
export class FrameReader {
  private buffer = Buffer.allocUnsafe(4096);
  private length = 0;
  private header: FrameHeader | undefined;
  private compressed: boolean | undefined;
  /** Where the next search for the end marker starts, so every byte is scanned about once. */
  private searchFrom = HEADER_BYTES;
  private finished = false;

  constructor(private readonly maxBytes: number = BAOSTOCK_DEFAULTS.maxReplyBytes) {}

  get bytesReceived(): number {
    return this.length;
  }

  push(chunk: Uint8Array): BaoStockReply | undefined {
    if (this.finished) {
      throw new BaoStockProtocolError(
        `BaoStock sent ${chunk.length} unexpected bytes after a complete reply (one reply per request is expected)`,
      );
    }
    if (this.length + chunk.length > this.maxBytes) {
      throw new BaoStockProtocolError(`BaoStock reply exceeds the ${this.maxBytes}-byte limit`);
    }
    this.append(chunk);
    return this.tryFinish();
  }

  private append(chunk: Uint8Array): void {
    const needed = this.length + chunk.length;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(this.maxBytes, Math.max(needed, this.buffer.length * 2)),
      );
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length = needed;
  }

  private tryFinish(): BaoStockReply | undefined {
    if (this.header === undefined) {
      const problem = findHeaderProblem(this.buffer, this.length);
      if (problem !== undefined) {
        throw new BaoStockProtocolError(
          `BaoStock reply header is malformed: ${problem}; the reply starts with ${this.preview()}`,
        );
      }
      if (this.length < HEADER_BYTES) return undefined;
      this.header = parseHeader(this.buffer);
    }
    if (this.compressed === undefined) {
      if (this.length <= HEADER_BYTES) return undefined;
      this.compressed = isCompressed(this.header.type, this.buffer[HEADER_BYTES]!);
      if (
        this.compressed &&
        HEADER_BYTES + this.header.length + END_MARKER.length > this.maxBytes
      ) {
        throw new BaoStockProtocolError(
          `BaoStock compressed reply declares ${this.header.length} bytes, over the ${this.maxBytes}-byte limit`,
        );
      }
    }
    return this.compressed ? this.finishCompressed(this.header) : this.finishPlain(this.header);
  }

  /** Uncompressed: read to the marker, split the CRC off at the last 0x01, verify it (§3.3). */
  private finishPlain(header: FrameHeader): BaoStockReply | undefined {
    const markerAt = this.findMarker(HEADER_BYTES);
    if (markerAt === undefined) return undefined;
    const sepAt = this.buffer.subarray(HEADER_BYTES, markerAt).lastIndexOf(SEP_BYTE);
    if (sepAt < 0)
      throw new BaoStockProtocolError('BaoStock reply has no 0x01 separator before its CRC');
    const bodyEnd = HEADER_BYTES + sepAt;
    const crcText = this.buffer.toString('latin1', bodyEnd + 1, markerAt);
    if (!/^\d{1,10}$/.test(crcText)) {
      throw new BaoStockProtocolError(
        `BaoStock reply CRC is not a decimal number: ${JSON.stringify(crcText)}`,
      );
    }
    const computed = crc32(this.buffer, 0, bodyEnd);
    if (Number(crcText) !== computed) {
      throw new BaoStockProtocolError(
        `BaoStock reply CRC mismatch: the reply says ${crcText}, its header and body give ${computed}`,
      );
    }
    return this.finish(header, false, decodeBody(this.buffer.subarray(HEADER_BYTES, bodyEnd)));
  }

  /**
   * Compressed: the header's length counts stream bytes, and the stream may hold 0x0A, so read
   * exactly that many, then the `0x01 digits \n` line and the marker (§3.5). The digits match no
   * known checksum and no client checks them; neither do we.
   */
  private finishCompressed(header: FrameHeader): BaoStockReply | undefined {
    const streamEnd = HEADER_BYTES + header.length;
    if (this.length < streamEnd) return undefined;
    const markerAt = this.findMarker(streamEnd);
    if (markerAt === undefined) {
      if (this.length - streamEnd > MAX_COMPRESSED_TRAILER_BYTES + END_MARKER.length) {
        throw new BaoStockProtocolError(
          'BaoStock compressed reply has no end marker after its stream',
        );
      }
      return undefined;
    }
    const trailer = this.buffer.toString('latin1', streamEnd, markerAt);
    if (!trailer.startsWith(SEP) || !/^\d{1,10}\n?$/.test(trailer.slice(1))) {
      throw new BaoStockProtocolError(
        `BaoStock compressed reply has an unexpected trailer after its ${header.length}-byte stream: ${JSON.stringify(trailer)}`,
      );
    }
    let inflated: Buffer;
    try {
      inflated = inflateSync(this.buffer.subarray(HEADER_BYTES, streamEnd), {
        maxOutputLength: this.maxBytes,
      });
    } catch (error) {
      throw new BaoStockProtocolError(
        `BaoStock compressed reply could not be inflated: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return this.finish(header, true, decodeBody(inflated));
  }

  /** Index of the end marker at or after `from`; a marker not at the very end is a protocol error. */
  private findMarker(from: number): number | undefined {
    const view = this.buffer.subarray(0, this.length);
    const at = view.indexOf(END_MARKER, Math.max(from, this.searchFrom));
    if (at < 0) {
      this.searchFrom = Math.max(from, this.length - END_MARKER.length + 1);
      return undefined;
    }
    const extra = this.length - (at + END_MARKER.length);
    if (extra > 0) {
      throw new BaoStockProtocolError(
        `BaoStock sent ${extra} unexpected bytes after a complete reply (one reply per request is expected)`,
      );
    }
    return at;
  }

  private finish(header: FrameHeader, compressed: boolean, body: string): BaoStockReply {
    this.finished = true;
    const { version, type, length } = header;
    return { version, type, declaredLength: length, compressed, body, fields: body.split(SEP) };
  }

  private preview(): string {
    return JSON.stringify(this.buffer.toString('latin1', 0, Math.min(this.length, 40)));
  }
}

/**
 * The type decides (§3.5), and the first body byte double-checks it: an uncompressed body starts
 * with its ASCII error code, a zlib stream with 0x78. This also reads a compressed reply whose
 * type is not in the known list, and an uncompressed error under a compressed type.
 */
function isCompressed(type: string, firstBodyByte: number): boolean {
  const isDigit = firstBodyByte >= 0x30 && firstBodyByte <= 0x39;
  return firstBodyByte === ZLIB_FIRST_BYTE || (COMPRESSED_REPLY_TYPES.has(type) && !isDigit);
}

function decodeBody(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new BaoStockProtocolError('BaoStock reply body is not valid UTF-8', { cause: error });
  }
}
