/**
 * SharedFrames (src/graphql/shared-frames.ts) relies on how graphql-ws sends a result: its
 * `onNext` hook's return value is turned into a frame by `JSON.stringify({ id, type, payload })`
 * and handed to `socket.send` in the same synchronous step. That is graphql-ws's internals, not
 * its API, so the version and the behaviour are pinned here: an upgrade that changes either fails
 * this test instead of silently sending every subscriber a placeholder.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { buildSchema } from 'graphql';
import { makeServer } from 'graphql-ws';
import { SharedFrames } from '../../src/graphql/shared-frames.js';

describe('what SharedFrames relies on in graphql-ws', () => {
  it('is graphql-ws 6.4.2', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('graphql-ws/package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(
      pkg.version,
      '6.4.2',
      're-check SharedFrames against the new version, then update this pin',
    );
  });

  it('graphql-ws stringifies what onNext returns and sends it in the same step', async () => {
    const frames = new SharedFrames();
    const shared = { data: { tick: 'shared-result' } };
    const schema = buildSchema('type Query { a: Int } type Subscription { tick: String }');
    const server = makeServer({
      schema,
      roots: {
        subscription: {
          // graphql-ws wants an async iterator; this one has nothing to wait for.
          // eslint-disable-next-line @typescript-eslint/require-await
          tick: async function* () {
            yield { tick: 'ignored: onNext replaces it' };
          },
        },
      },
      onNext: () => frames.placeholder(shared) as never,
    });
    const sent: string[] = [];
    let onMessage!: (data: string) => Promise<void>;
    const closed = server.opened(
      {
        protocol: 'graphql-transport-ws',
        send: (data) => {
          sent.push(frames.substitute(data));
        },
        close: () => {},
        onMessage: (cb) => {
          onMessage = cb;
        },
      },
      {},
    );
    await onMessage(JSON.stringify({ type: 'connection_init' }));
    await onMessage(
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { tick }' } }),
    );
    await new Promise((r) => setTimeout(r, 20));
    const next = sent
      .map((f) => JSON.parse(f) as { type: string; payload?: unknown })
      .find((m) => m.type === 'next');
    assert.deepEqual(next?.payload, shared);
    assert.equal(frames.framesShared, 1);
    await closed(1000, 'done');
  });

  it('swaps the token of the frame being sent for the result serialised once', () => {
    const frames = new SharedFrames();
    const result = { data: { jobLogs: { cursor: 3 } } };
    const frameA = JSON.stringify({ id: 'a', type: 'next', payload: frames.placeholder(result) });
    assert.equal(
      frames.substitute(frameA),
      `{"id":"a","type":"next","payload":${JSON.stringify(result)}}`,
    );
    const frameB = JSON.stringify({ id: 'b', type: 'next', payload: frames.placeholder(result) });
    assert.equal(
      frames.substitute(frameB),
      `{"id":"b","type":"next","payload":${JSON.stringify(result)}}`,
    );
    assert.equal(frames.framesShared, 2);
    assert.equal(
      frames.substitute('{"type":"pong"}'),
      '{"type":"pong"}',
      'other frames pass as they are',
    );
  });
});
