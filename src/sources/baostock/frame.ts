import { ValidationError } from '../../errors.js';
import { crcDecimal } from './crc.js';
import { HEADER_BYTES, SEP, SEP_BYTE, VERSION_CHARS } from './constants.js';

export interface RequestFrame {
  /** 7 ASCII characters, e.g. `00.9.10`. */
  version: string;
  /** 2 characters, e.g. `00` (login) or `33` (query_trade_dates). */
  type: string;
  /** Body fields in order; joined with 0x01. */
  fields: readonly string[];
}

/**
 * Encodes `header + body + 0x01 + CRC + \n` (§3.2). The length counts code points, as the Python
 * client's `len(str)` does (§12.1); the CRC covers the UTF-8 bytes of header and body.
 */
export function encodeRequest(frame: RequestFrame): Buffer {
  if (frame.version.length !== VERSION_CHARS || !/^[ -~]+$/.test(frame.version)) {
    throw new ValidationError(
      `BaoStock version must be 7 printable ASCII characters, got ${JSON.stringify(frame.version)}`,
    );
  }
  if (!/^[0-9A-Za-z]{2}$/.test(frame.type)) {
    throw new ValidationError(
      `BaoStock message type must be 2 letters or digits, got ${JSON.stringify(frame.type)}`,
    );
  }
  frame.fields.forEach((field, index) => {
    // The protocol has no escaping: either byte would split the frame.
    if (field.includes(SEP) || field.includes('\n')) {
      throw new ValidationError(
        `BaoStock request field ${index} contains a 0x01 or line-feed byte: ${JSON.stringify(field)}`,
      );
    }
  });
  const body = frame.fields.join(SEP);
  const length = String([...body].length).padStart(10, '0');
  if (length.length > 10)
    throw new ValidationError(`BaoStock request body is too long (${length} characters)`);
  const headerAndBody = Buffer.from(
    `${frame.version}${SEP}${frame.type}${SEP}${length}${body}`,
    'utf8',
  );
  const trailer = Buffer.from(`${SEP}${crcDecimal(headerAndBody)}\n`, 'latin1');
  return Buffer.concat([headerAndBody, trailer]);
}

export interface FrameHeader {
  version: string;
  type: string;
  /** Characters for uncompressed bodies, bytes for compressed ones (§3.3, §3.5). */
  length: number;
}

const isPrintable = (b: number): boolean => b >= 0x20 && b <= 0x7e;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isAlnum = (b: number): boolean =>
  isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** What each of the 21 header bytes must be, for a message that says which one was wrong. */
function expectedAt(index: number): { ok: (b: number) => boolean; what: string } {
  if (index < 7) return { ok: isPrintable, what: 'a printable ASCII version character' };
  if (index === 7 || index === 10) return { ok: (b) => b === SEP_BYTE, what: 'the separator 0x01' };
  if (index < 10) return { ok: isAlnum, what: 'a message-type letter or digit' };
  return { ok: isDigit, what: 'a length digit' };
}

/**
 * Checks the first `Math.min(length, 21)` bytes of a reply, so garbage is reported as soon as it
 * arrives rather than after a timeout. Returns a description of the first bad byte, or undefined.
 */
export function findHeaderProblem(bytes: Uint8Array, length: number): string | undefined {
  const end = Math.min(length, HEADER_BYTES);
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    const expected = expectedAt(i);
    if (!expected.ok(b)) {
      return `byte ${i} is 0x${b.toString(16).padStart(2, '0')}, expected ${expected.what}`;
    }
  }
  return undefined;
}

/** Parses a header already checked by `findHeaderProblem`. */
export function parseHeader(bytes: Uint8Array): FrameHeader {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, HEADER_BYTES).toString('latin1');
  return { version: text.slice(0, 7), type: text.slice(8, 10), length: Number(text.slice(11, 21)) };
}
