import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../../src/jobs/job.js';
import { chunkLogLines } from '../../src/jobs/log-line-chunks.js';

const line = (seq: number, message: string): LogLine => ({
  jobId: 'j',
  seq,
  time: new Date(0),
  level: 'info',
  step: 'p',
  message,
});

describe('chunkLogLines', () => {
  it('cuts a batch into inserts within the byte limit, keeping order', () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(i + 1, 'x'.repeat(900)));
    const chunks = chunkLogLines(lines, 10_000);
    assert.ok(chunks.length >= 10);
    assert.deepEqual(
      chunks.flat().map((l) => l.seq),
      lines.map((l) => l.seq),
    );
    for (const chunk of chunks) {
      const bytes = chunk.reduce((n, l) => n + 96 + l.message.length + 1, 0);
      assert.ok(bytes <= 10_000, `${bytes} bytes`);
    }
  });

  it('keeps within the bound-parameter limit even without a byte limit', () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => line(i + 1, 'x'));
    const chunks = chunkLogLines(lines, Number.POSITIVE_INFINITY);
    assert.ok(chunks.every((c) => c.length * 6 <= 30_000));
    assert.equal(chunks.flat().length, 12_000);
  });

  it('cuts a line too large for any insert on a character boundary, saying so', () => {
    const [chunk] = chunkLogLines([line(1, '中'.repeat(10_000))], 4096);
    const message = chunk![0]!.message;
    assert.ok(Buffer.byteLength(message) < 4096);
    assert.ok(!message.includes('\uFFFD'));
    assert.match(message, /^中+ … \(cut to fit the database's packet limit: 30000 bytes in all\)$/);
  });
});
