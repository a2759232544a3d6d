import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from '../support/server-process.js';
import { startTestApp, writeTestConfig } from '../support/test-app.js';
import { collect, connectWs, gql } from '../graphql/support.js';

const submit = (url: string, args: Record<string, unknown>) =>
  gql<{ submitJob: { __typename: string; id?: string; message?: string } }>(
    url,
    `mutation ($input: SubmitJobInput!) { submitJob(input: $input) { __typename ... on Job { id } ... on Error { message } } }`,
    {
      input: {
        steps: [{ name: 'p', componentClassName: 'TestRowsProducer', componentArguments: args }],
      },
    },
  );

describe('shutting down on a signal', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const configDir = (server: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-shutdown-'));
    dirs.push(dir);
    writeTestConfig(dir, { server });
    return dir;
  };

  it('on SIGTERM lets short jobs finish, cancels the rest after the grace time, refuses new jobs, completes subscriptions and exits 0', async () => {
    const dir = configDir({ shutdownGraceSeconds: 1.5 });
    const server = await startServerProcess(dir);
    const short = (await submit(server.url, { ms: 500, lines: 20 })).submitJob.id!;
    const long = (await submit(server.url, { ms: 60_000, lines: 20 })).submitJob.id!;
    const ws = connectWs(server.url);
    const statuses = collect<{ jobStatus: { job: { status: string } } }>(
      ws,
      `subscription ($id: ID!) { jobStatus(id: $id) { job { status } } }`,
      { id: long },
    );
    await new Promise((r) => setTimeout(r, 200));

    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const refused = await submit(server.url, {});
    assert.deepEqual(refused.submitJob, {
      __typename: 'ShuttingDown',
      message: 'the server is shutting down',
    });

    assert.equal(await server.exited, 0, server.output());
    const seen = await statuses;
    assert.equal(seen.error, undefined);
    assert.equal(
      seen.results.at(-1)?.data?.jobStatus.job.status,
      'CANCELLED',
      'the subscription got the final state, then completed',
    );
    await ws.close();

    const t = await startTestApp({ dir });
    try {
      const [shortJob, longJob] = [await t.app.store.get(short), await t.app.store.get(long)];
      assert.equal(shortJob?.status, 'FINISHED');
      assert.equal(longJob?.status, 'CANCELLED');
      assert.equal(longJob?.error, 'the server is shutting down');
      for (const job of [shortJob, longJob]) {
        const lines = await t.app.store.logLines(job.id, 0, 1000);
        assert.equal(lines.length, job.logCount, 'every line was flushed');
        assert.ok(lines.filter((l) => l.message.startsWith('line ')).length === 20);
      }
    } finally {
      await t.stop();
    }
  });

  it('exits at once on a second signal', async () => {
    const dir = configDir({ shutdownGraceSeconds: 60 });
    const server = await startServerProcess(dir);
    await submit(server.url, { ms: 60_000 });
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const sent = Date.now();
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 1);
    assert.ok(Date.now() - sent < 10_000);
    assert.match(server.output(), /SIGINT again: exiting at once/);
  });
});
