import { timingSafeEqual } from 'node:crypto';
import { sha256, type ApiToken } from './api-token.js';

/** Compares two buffers of equal length in time that does not depend on their contents. */
export type ConstantTimeEqual = (a: Buffer, b: Buffer) => boolean;

/**
 * Finds the configured token a caller presented. The presented value is hashed first, so every
 * comparison is of two 32-byte digests (`timingSafeEqual` needs equal lengths, and the length of
 * the secret leaks nothing); every configured token is compared, with no early exit, so the time
 * taken does not tell which token, or how much of one, matched.
 */
export class TokenVerifier {
  readonly #tokens: readonly ApiToken[];
  readonly #equal: ConstantTimeEqual;

  constructor(tokens: readonly ApiToken[], equal: ConstantTimeEqual = timingSafeEqual) {
    this.#tokens = tokens;
    this.#equal = equal;
  }

  /** False when no tokens are configured: then nobody is asked for one (and the server stays on loopback). */
  get enabled(): boolean {
    return this.#tokens.length > 0;
  }

  get tokens(): readonly ApiToken[] {
    return this.#tokens;
  }

  /** The token whose secret this is, or null. */
  verify(presented: string): ApiToken | null {
    const digest = sha256(presented);
    let found: ApiToken | null = null;
    for (const token of this.#tokens) {
      // No `break`: the loop takes as long whichever token matches, or none.
      if (this.#equal(token.digest(), digest) && found === null) found = token;
    }
    return found;
  }
}
