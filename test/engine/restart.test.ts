import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createJobIdGenerator } from '../../src/jobs/job-id.js';
import { JobStore } from '../../src/jobs/job-store.js';
import { SqliteTarget } from '../../src/storage/sqlite-target.js';
import { sqlRunnerFor } from '../../src/storage/sql-runner.js';
import { startTestApp, writeTestConfig } from '../support/test-app.js';
import { waitForJob } from '../support/jobs.js';

const crashChild = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));

describe('a restart after a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the job that was RUNNING as FAILED, keeps its stored lines', async () => {
    writeTestConfig(dir, { server: { maxConcurrentJobs: 1 } });
    const child = spawn(process.execPath, ['--import', 'tsx', crashChild], {
      env: { ...process.env, FDA_CONFIG_DIR: dir, LINES: '25' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    const id = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /RUNNING (\w+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${output}`)));
    });
    child.kill('SIGKILL');
    await once(child, 'exit');

    const t = await startTestApp({ dir });
    try {
      const job = await t.app.executor.get(id);
      assert.equal(job?.status, 'FAILED');
      assert.equal(job?.error, 'interrupted: the server stopped while this job was running');
      assert.deepEqual(
        job?.steps.map((s) => s.status),
        ['FAILED'],
      );
      assert.equal(job?.logCount, (await t.app.store.logLines(id, 0, 1000)).length);
      const lines = await t.app.store.logLines(id, 0, 1000);
      assert.ok(
        lines.filter((l) => l.message.startsWith('line ')).length === 25,
        'every line stored before the crash is kept',
      );
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
      );
      assert.ok(t.logs.some((l) => l.includes('marked FAILED')));
    } finally {
      await t.stop();
    }
  });

  it('queues jobs that were still WAITING and runs them after the restart', async () => {
    // The state a process leaves behind when it dies with a job queued: a WAITING row.
    const target = new SqliteTarget(
      { dialect: 'sqlite', name: 'local', file: join(dir, 'control.sqlite') },
      pino({ level: 'silent' }),
    );
    const store = new JobStore(sqlRunnerFor(target));
    const id = createJobIdGenerator()();
    await store.insert({
      id,
      status: 'WAITING',
      spec: {
        steps: [
          {
            name: 'p',
            componentClassName: 'TestRowsProducer',
            preComponentName: '',
            componentArguments: { rows: 1 },
          },
        ],
      },
      origin: { type: 'ADHOC', name: null },
      submittedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      error: null,
      steps: [
        {
          name: 'p',
          componentName: 'TestRowsProducer',
          kind: 'PRODUCER',
          status: 'WAITING',
          rowsIn: null,
          rowsOut: null,
          startedAt: null,
          finishedAt: null,
          error: null,
          result: null,
          progress: [],
        },
      ],
      retryOf: null,
      timeoutMs: null,
      logCount: 0,
      idempotencyKey: null,
      partition: null,
    });
    await target.close();

    const t = await startTestApp({ dir });
    try {
      const done = await waitForJob(t.app, id);
      assert.equal(done.status, 'FINISHED');
      assert.deepEqual(
        done.steps.map((s) => [s.status, s.rowsOut]),
        [['FINISHED', 1]],
      );
    } finally {
      await t.stop();
    }
  });
});
