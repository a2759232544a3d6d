import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford's base 32, as in ULID

/**
 * Makes ULIDs: 26 characters, 48 bits of milliseconds then 80 random bits, so ids sort by
 * submission time as plain strings (the store pages jobs by id). Within one millisecond the
 * random part is incremented, keeping ids strictly increasing even for jobs submitted together.
 */
export function createJobIdGenerator(now: () => number = Date.now): () => string {
  let lastTime = -1;
  let lastRandom: Uint8Array = new Uint8Array(10);
  return () => {
    const time = now();
    if (time <= lastTime) {
      lastRandom = increment(lastRandom);
    } else {
      lastTime = time;
      lastRandom = new Uint8Array(randomBytes(10));
    }
    return encodeTime(lastTime) + encodeRandom(lastRandom);
  };
}

/** The time part of a job id for `ms`: every id made at or after `ms` sorts at or above it. */
export function jobIdTimePrefix(ms: number): string {
  return encodeTime(Math.max(0, Math.floor(ms)));
}

function encodeTime(time: number): string {
  let out = '';
  let rest = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 255) {
      next[i]!++;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

export const JOB_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
