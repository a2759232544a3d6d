import { randomUUID } from 'node:crypto';

/**
 * Serialises a result shared by many subscribers once, instead of once per subscriber.
 *
 * graphql-ws turns each result into a frame with `JSON.stringify({ id, type, payload })` and sends
 * it: with a thousand subscribers on one job, that was most of the server's time. For a shared
 * result, its `onNext` hook hands graphql-ws a placeholder whose JSON is a unique token; the
 * socket's `send` (wrapped on connection) swaps the token for the result's JSON, made once.
 * Serialising a frame and sending it happen in one synchronous step, so one pending slot suffices.
 */
export class SharedFrames {
  readonly #json = new WeakMap<object, string>();
  readonly #prefix = `\u0001fda-frame:${randomUUID()}:`;
  #next = 0;
  #pending: { literal: string; json: string } | undefined;
  framesShared = 0;

  /** What `onNext` returns for a shared result. */
  placeholder(result: object): { toJSON(): string } {
    return {
      toJSON: () => {
        let json = this.#json.get(result);
        if (json === undefined) {
          json = JSON.stringify(result);
          this.#json.set(result, json);
        }
        const token = `${this.#prefix}${++this.#next}`;
        this.#pending = { literal: JSON.stringify(token), json };
        return token;
      },
    };
  }

  /** Puts the pending result's JSON in place of its token, if this frame carries it. */
  substitute(frame: string): string {
    const pending = this.#pending;
    if (!pending) return frame;
    this.#pending = undefined;
    const at = frame.indexOf(pending.literal);
    if (at < 0) return frame;
    this.framesShared++;
    return frame.slice(0, at) + pending.json + frame.slice(at + pending.literal.length);
  }
}
