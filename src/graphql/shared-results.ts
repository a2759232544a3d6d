import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isShared } from './live/shared-event.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

export interface SharedResults {
  /** The Yoga (envelop) plugin that runs subscriptions this way. */
  plugin: Plugin;
  /** Whether a result is one shared by several subscribers (so its serialised form can be too). */
  isShared: (result: unknown) => boolean;
}

/**
 * Runs subscriptions like graphql-js does (a source stream, one execution per event), except that
 * an event marked shared (`live/shared-event.ts`) is executed once per operation and variables and
 * the result is reused for every subscriber that receives the same event object. The events that
 * are marked resolve only from their own data, never from the context, which is what makes this safe.
 * Results with errors are not shared.
 */
export function createSharedResults(): SharedResults {
  const results = new WeakMap<object, Map<string, Result>>();
  const shared = new WeakSet<object>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 1;

  const keyOf = (args: ExecutionArgs): string => {
    let id = documentIds.get(args.document);
    if (id === undefined) {
      id = nextDocumentId++;
      documentIds.set(args.document, id);
    }
    return `${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  };

  const executeEvent = (args: ExecutionArgs, key: string, payload: unknown): Result => {
    if (!isShared(payload)) return execute({ ...args, rootValue: payload });
    let byKey = results.get(payload as object);
    const cached = byKey?.get(key);
    if (cached) return cached;
    const result = execute({ ...args, rootValue: payload });
    if (!byKey) {
      byKey = new Map();
      results.set(payload as object, byKey);
    }
    const entry = byKey;
    if (result instanceof Promise) {
      const settled = result.then((value) => {
        if (value.errors) entry.delete(key);
        else shared.add(value);
        return value;
      });
      entry.set(key, settled);
      settled.catch(() => entry.delete(key));
      return settled;
    }
    if (!result.errors) {
      entry.set(key, result);
      shared.add(result);
    }
    return result;
  };

  const plugin: Plugin = {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        const key = keyOf(args);
        return mapEvents(stream[Symbol.asyncIterator](), (payload) =>
          executeEvent(args, key, payload),
        ) as AsyncGenerator<ExecutionResult>;
      });
    },
  };
  return {
    plugin,
    isShared: (result) => typeof result === 'object' && result !== null && shared.has(result),
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Maps each event; `return()` reaches the source at once (no generator queueing), so cleanup is prompt. */
function mapEvents(
  source: AsyncIterator<unknown>,
  map: (event: unknown) => Result,
): AsyncIterableIterator<ExecutionResult> {
  const done = (): IteratorResult<ExecutionResult> => ({ done: true, value: undefined });
  const close = async (): Promise<IteratorResult<ExecutionResult>> => {
    await source.return?.();
    return done();
  };
  return {
    async next() {
      const event = await source.next();
      if (event.done) return done();
      try {
        return { done: false, value: await map(event.value) };
      } catch (error) {
        await close();
        throw error;
      }
    },
    return: close,
    async throw(error: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
