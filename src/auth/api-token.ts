import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { Secret } from '../config/secret.js';
import type { Scope } from './scopes.js';

/** SHA-256 of a token: what is kept and compared, so every comparison is of 32 bytes against 32 bytes. */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * A configured API token: a name for the logs, its scopes, and the SHA-256 of its secret (the
 * secret itself is not kept). Printing, logging or serialising it shows only the name and scopes.
 */
export class ApiToken {
  readonly #digest: Buffer;

  constructor(
    readonly name: string,
    readonly scopes: ReadonlySet<Scope>,
    digest: Buffer,
  ) {
    if (digest.length !== 32)
      throw new Error(`token "${name}": a SHA-256 digest is 32 bytes, not ${digest.length}`);
    this.#digest = Buffer.from(digest);
  }

  static fromSecret(name: string, scopes: ReadonlySet<Scope>, secret: Secret): ApiToken {
    return new ApiToken(name, scopes, sha256(secret.reveal()));
  }

  /** For the verifier only. */
  digest(): Buffer {
    return this.#digest;
  }

  toJSON(): { name: string; scopes: Scope[] } {
    return { name: this.name, scopes: [...this.scopes] };
  }

  toString(): string {
    return `ApiToken(${this.name}: ${[...this.scopes].join(', ')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
