import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { EventBus } from '../../src/events/event-bus.js';
import type { AppEvents } from '../../src/events/app-events.js';
import type { LogLine } from '../../src/jobs/job.js';
import { JobLogSink } from '../../src/logs/job-log-sink.js';

describe('a job’s log sink', () => {
  it('closes only once every numbered line is stored, even lines flushed by their timer while a batch was being stored', async () => {
    const stored: LogLine[] = [];
    let calls = 0;
    // A store whose first insert is slow, like a database coming back after an outage.
    const store = {
      async appendLogLines(lines: readonly LogLine[]) {
        await new Promise((r) => setTimeout(r, calls++ === 0 ? 100 : 10));
        stored.push(...lines);
      },
    };
    const logger = pino({ level: 'silent' });
    const sink = new JobLogSink('job', {
      store,
      bus: new EventBus<AppEvents>(logger),
      logger,
      batchLines: 1000,
      batchMs: 5,
      files: null,
    });
    sink.write('info', 'first', null);
    void sink.flush();
    const closed = sink.close();
    // Written while the first batch is being stored; its own timer flushes it into a second batch.
    await new Promise((r) => setTimeout(r, 20));
    sink.write('info', 'second', null);
    await closed;
    assert.equal(sink.lastSeq, 2);
    assert.deepEqual(
      stored.map((l) => [l.seq, l.message]),
      [
        [1, 'first'],
        [2, 'second'],
      ],
    );
  });
});
