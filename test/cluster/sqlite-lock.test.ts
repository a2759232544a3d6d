import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from '../support/server-process.js';
import { writeTestConfig } from '../support/test-app.js';
import { gql } from '../graphql/support.js';

describe('one SQLite control file, one process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-sqlite-lock-'));
  writeTestConfig(dir, {});
  after(() => rmSync(dir, { recursive: true, force: true }));
  const lock = join(dir, 'control.sqlite.lock');

  it('a second process on the same file refuses to start, naming the process that holds it; the first keeps serving', async () => {
    const first = await startServerProcess(dir);
    try {
      assert.ok(existsSync(lock));
      const second = await startServerProcess(dir).then(
        () => assert.fail('the second process started'),
        (error: Error) => error.message,
      );
      assert.match(second, /exited \(1\) before listening/);
      assert.match(
        second,
        new RegExp(
          `is in use by process ${first.child.pid} on .*a second server process on one SQLite control file would corrupt`,
        ),
      );
      const answer = await gql<{ jobs: { nodes: unknown[] } }>(
        first.url,
        `{ jobs(first: 1) { nodes { id } } }`,
      );
      assert.deepEqual(answer.jobs.nodes, []);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.equal(existsSync(lock), false, 'a clean stop removes the lock');
  });

  it('a lock left by a killed process is taken over', async () => {
    const killed = await startServerProcess(dir);
    killed.child.kill('SIGKILL');
    await killed.exited;
    assert.ok(existsSync(lock), 'SIGKILL left the lock behind');
    const next = await startServerProcess(dir);
    assert.equal(await next.stop(), 0);
  });
});
