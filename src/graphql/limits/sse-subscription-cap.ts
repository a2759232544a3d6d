import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../../auth/access-control.js';
import { limitError } from './limit-error.js';

interface SseContext {
  transport?: 'http' | 'ws';
  principal?: Principal | null;
  remoteAddress?: string | null;
}

export interface SseSubscriptionCap {
  plugin: Plugin<SseContext>;
  /** Open SSE subscriptions, all clients together. */
  readonly openCount: number;
}

/**
 * At most `max` open server-sent-event subscriptions per client, a client being one token from one
 * address (every SSE subscription is its own HTTP request, so there is no connection to count on).
 * WebSocket subscriptions are capped per connection instead (websocket-server.ts). Must come after
 * any plugin that replaces the subscribe function, since it wraps whichever one is in place.
 */
export function createSseSubscriptionCap(max: number): SseSubscriptionCap {
  const open = new Map<string, number>();
  let total = 0;
  const plugin: Plugin<SseContext> = {
    onSubscribe({ args, subscribeFn, setSubscribeFn, setResultAndStopExecution }) {
      const context = args.contextValue;
      if (context.transport !== 'http') return;
      const client = `${context.principal?.name ?? '?'}@${context.remoteAddress ?? '?'}`;
      const count = open.get(client) ?? 0;
      if (count >= max) {
        setResultAndStopExecution({
          errors: [
            limitError(
              `this client already has ${count} open subscriptions over server-sent events; at most ${max} are allowed (close one, or use one WebSocket)`,
              'maxSseSubscriptionsPerClient',
              429,
            ),
          ],
        });
        return;
      }
      open.set(client, count + 1);
      total++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        total--;
        const left = (open.get(client) ?? 1) - 1;
        if (left > 0) open.set(client, left);
        else open.delete(client);
      };
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        let result: unknown;
        try {
          result = await subscribeFn(subscribeArgs);
        } catch (error) {
          release();
          throw error;
        }
        if (!isAsyncIterable(result)) {
          release();
          return result as ExecutionResult;
        }
        return releasingOnEnd(result, release);
      });
    },
  };
  return {
    plugin,
    get openCount() {
      return total;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The same stream, calling `release` once when it ends in any way: done, failed, or closed by the client. */
function releasingOnEnd(
  source: AsyncIterable<ExecutionResult>,
  release: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const stream: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      try {
        const step = await iterator.next();
        if (step.done) release();
        return step;
      } catch (error) {
        release();
        throw error;
      }
    },
    async return() {
      release();
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      release();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
