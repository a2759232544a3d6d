import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitSteps, waitForJob } from '../support/jobs.js';

describe('job log files (the original system’s layout, as an option)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      server: { log: { level: 'info', batchMs: 10, jobLogFiles: true, jobLogDir: 'job-logs' } },
    });
  });
  after(async () => t.destroy());

  it('writes each job’s lines to <dir>/<job id>/<level>.log', async () => {
    const job = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { lines: 3 }],
      ['bad', 'TestDoubleProcessor', 'p', { fail: 'no good' }],
    ]);
    const done = await waitForJob(t.app, job.id);
    const dir = join(t.dir, 'job-logs', job.id);
    const info = readFileSync(join(dir, 'info.log'), 'utf8').trim().split('\n');
    const error = readFileSync(join(dir, 'error.log'), 'utf8').trim().split('\n');
    assert.equal(info.length + error.length, done.logCount);
    assert.match(
      info[1]!,
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO \\[p\\] line 1 of ${job.id}$`),
    );
    assert.match(error[0]!, /ERROR \[-\] step "bad" failed: no good$/);
    assert.equal(existsSync(join(dir, 'warn.log')), false);
  });
});
