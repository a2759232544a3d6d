import { inspect } from 'node:util';

/**
 * A value that must never be printed: a database password, an API token. Logging, JSON,
 * string conversion and `util.inspect` all show `[redacted]`; only `reveal()` gives the value,
 * so every place that uses a secret is easy to find.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
