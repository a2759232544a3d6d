/**
 * CRC-32 (zlib/IEEE: reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF). Written out
 * rather than taken from `zlib.crc32`, which Node only has from 20.15 while we support 20.12.
 */
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The unsigned CRC-32 of `bytes[start, end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The CRC as the protocol writes it: unsigned decimal, no padding (§3.4). */
export function crcDecimal(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return String(crc32(bytes, start, end));
}
