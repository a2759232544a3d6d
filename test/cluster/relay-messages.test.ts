import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeRelayMessage,
  encodeControlMessage,
  encodeJobMessage,
  encodeLogsMessage,
  MAX_RELAY_MESSAGE_BYTES,
} from '../../src/cluster/relay-messages.js';
import type { Job } from '../../src/jobs/job.js';

const job: Job = {
  id: '01J0000000000000000000000A',
  status: 'RUNNING',
  spec: { steps: [] },
  origin: { type: 'ADHOC', name: null },
  submittedAt: new Date(1_700_000_000_000),
  startedAt: new Date(1_700_000_000_500),
  finishedAt: null,
  error: null,
  steps: [],
  retryOf: null,
  timeoutMs: null,
  logCount: 2,
  idempotencyKey: null,
  partition: null,
};

describe('Redis messages between processes', () => {
  it('carry a job event and a log batch intact', () => {
    const event = decodeRelayMessage(encodeJobMessage('p1', { change: 'STATUS', job }));
    assert.deepEqual(event, { type: 'job', from: 'p1', event: { change: 'STATUS', job } });
    const lines = [1, 2].map((seq) => ({
      jobId: job.id,
      seq,
      time: new Date(1_700_000_001_000 + seq),
      level: 'info' as const,
      step: 'p',
      message: `line ${seq}`,
    }));
    assert.deepEqual(decodeRelayMessage(encodeLogsMessage('p2', { jobId: job.id, lines })), {
      type: 'logs',
      from: 'p2',
      batch: { jobId: job.id, lines },
    });
  });

  it('carry a control message, and refuse an unknown action or a schedule without a name', () => {
    for (const control of [
      { action: 'reloadComponents' },
      { action: 'reloadSchedules' },
      { action: 'schedulePaused', schedule: 'daily' },
    ] as const)
      assert.deepEqual(decodeRelayMessage(encodeControlMessage('p3', control)), {
        type: 'control',
        from: 'p3',
        control,
      });
    assert.throws(
      () =>
        decodeRelayMessage(
          JSON.stringify({ type: 'control', from: 'x', control: { action: 'reboot' } }),
        ),
      /control\.action/,
    );
    assert.throws(
      () =>
        decodeRelayMessage(
          JSON.stringify({
            type: 'control',
            from: 'x',
            control: { action: 'schedulePaused', schedule: '' },
          }),
        ),
      /control\.schedule/,
    );
  });

  it('are refused with the field and the problem', () => {
    const bad = (value: unknown) => {
      try {
        decodeRelayMessage(typeof value === 'string' ? value : JSON.stringify(value));
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail('accepted');
    };
    assert.match(bad('{'), /not JSON/);
    assert.match(bad({ type: 'gossip', from: 'x' }), /type/);
    const line = { seq: 1, time: 0, level: 'info', step: null, message: 'a' };
    assert.match(
      bad({ type: 'logs', from: 'x', jobId: 'j', lines: [line, { ...line, seq: 3 }] }),
      /lines: lines must have consecutive seq numbers/,
    );
    assert.match(
      bad({ type: 'logs', from: 'x', jobId: 'j', lines: [{ ...line, level: 'loud' }] }),
      /lines\[0\]\.level/,
    );
    assert.match(bad('x'.repeat(MAX_RELAY_MESSAGE_BYTES + 1)), /over the 8388608 allowed/);
  });
});
