/**
 * Faults while the server works: a storage target killed in the middle of a real trade-day job's
 * write, components that throw, hang past their timeout or leak a rejected promise (in the real
 * server process, where Node would otherwise exit), a subscriber that vanishes mid-stream, and
 * clients that open sockets and never speak.
 * The server must survive each, the others' data must be complete, and every job must end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import WebSocket from 'ws';
import { startHttpServer, type RunningHttpServer } from '../../src/app/http-server.js';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { TestApp } from '../support/test-app.js';
import { collect, connectWs, gql, range, seqsOf, until, wsUrl } from '../graphql/support.js';
import {
  hardeningConfigDir,
  startHardeningApp,
  steps,
  submitJob,
  waitForFinal,
} from './support.js';

const ROWS = 300_000;

interface ProgressEvent {
  jobStatus: {
    job: {
      status: string;
      progress: { items: { label: string | null; done: number; total: number }[] };
    };
  };
}

describe(
  'a storage target killed in the middle of a trade-day job’s write',
  { skip: await mysqlSkipReason() },
  () => {
    let shared: Awaited<ReturnType<typeof createTestDatabase>>;
    let instance: MariadbInstance;
    let t: TestApp;

    before(async () => {
      // Small packets make the doomed target's write many statements long, so it is killed half-way.
      [shared, instance] = await Promise.all([
        createTestDatabase('faults'),
        startMariadbInstance({ serverArgs: ['--max-allowed-packet=262144'] }),
      ]);
      const server = mysqlTestServer();
      t = await startHardeningApp({
        storage: {
          control: 'local',
          sqlite: { local: { file: 'control.sqlite' } },
          mysql: {
            shared: {
              host: server.host,
              port: server.port,
              user: server.user,
              password: server.password,
              database: shared.name,
            },
            doomed: {
              host: instance.host,
              port: instance.port,
              user: instance.user,
              password: instance.password,
              database: 'fda_doomed',
              pool: { connectTimeoutMs: 1000 },
            },
          },
        },
      });
    });
    after(async () => {
      await t?.destroy();
      await Promise.all([shared?.drop(), instance?.destroy()]);
    });

    it('fails the job naming the killed target; the other target holds every row', async () => {
      const id = await submitJob(
        t.url,
        steps(
          ['producer_0', 'TestTradeDayRows', '', { rows: ROWS }],
          [
            'storager_0',
            'BaoStockTradeDayStorager',
            'producer_0',
            { targets: ['shared', 'doomed'] },
          ],
        ),
      );
      const ws = connectWs(t.url);
      let killed: Promise<void> | undefined;
      let killedAt: { done: number; total: number } | undefined;
      const statuses = collect<ProgressEvent>(
        ws,
        'subscription($id: ID!) { jobStatus(id: $id) { job { status progress { items { label done total } } } } }',
        { id },
        (result) => {
          const doomed = result.data?.jobStatus.job.progress.items.find(
            (item) => item.label === 'doomed',
          );
          if (!killed && doomed && doomed.done > 0 && doomed.done < doomed.total) {
            killedAt = { done: doomed.done, total: doomed.total };
            killed = instance.kill();
          }
        },
      );
      const seen = await statuses;
      await ws.close();
      assert.ok(
        killed,
        `the doomed target was killed while its write was under way (events: ${seen.results.length})`,
      );
      await killed;

      const job = await waitForFinal(t.url, id);
      assert.equal(job.status, 'FAILED');
      assert.match(
        job.error!,
        /^step "storager_0" failed: storage target "doomed": 1 of 2 targets failed \(doomed\); written: shared\n/,
      );
      assert.match(
        job.error!,
        /storage target "doomed": write failed at (INSERT \d+ of \d+|connecting|COMMIT)/,
      );
      assert.deepEqual(
        job.steps.map((s) => [s.name, s.status]),
        [
          ['producer_0', 'FINISHED'],
          ['storager_0', 'FAILED'],
        ],
      );
      // The failed step still shows what each target did.
      const results = (
        job.steps[1]!.result as {
          targets: Array<{ target: string; ok: boolean; inserted: number }>;
        }
      ).targets;
      assert.deepEqual(
        results.map((r) => [r.target, r.ok, r.target === 'shared' ? r.inserted : null]),
        [
          ['shared', true, ROWS],
          ['doomed', false, null],
        ],
      );
      assert.ok(killedAt!.done < ROWS, 'killed before the doomed write was done');

      const c = await mysql.createConnection(mysqlTestServer());
      try {
        const [rows] = await c.query<mysql.RowDataPacket[]>(
          `SELECT COUNT(*) AS n, DATE_FORMAT(MIN(calendar_date), '%Y-%m-%d') AS first, DATE_FORMAT(MAX(calendar_date), '%Y-%m-%d') AS last FROM \`${shared.name}\`.trade_day`,
        );
        const last = new Date(Date.UTC(1000, 0, 1) + (ROWS - 1) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        assert.deepEqual(
          [Number(rows[0]!.n), String(rows[0]!.first), String(rows[0]!.last)],
          [ROWS, '1000-01-01', last],
          'every row is in the target that stayed up',
        );
      } finally {
        await c.end();
      }
      const { jobs } = await gql<{ jobs: { nodes: unknown[] } }>(
        t.url,
        '{ jobs(status: [WAITING, RUNNING]) { nodes { id } } }',
      );
      assert.deepEqual(jobs.nodes, [], 'every job ended');
    });
  },
);

describe('components that misbehave', () => {
  let t: TestApp;
  before(async () => {
    t = await startHardeningApp({ server: { jobs: { abortGraceSeconds: 0.5 } } });
  });
  after(async () => t?.destroy());

  const THROWS: [string, Record<string, unknown>, string][] = [
    ['throws an Error', { message: 'thrown on purpose' }, 'step "p" failed: thrown on purpose'],
    [
      'rejects with an Error',
      { message: 'rejected on purpose', async: true },
      'step "p" failed: rejected on purpose',
    ],
    [
      'throws a bare string',
      { message: 'a bare string', thrown: 'string' },
      'step "p" failed: a bare string',
    ],
    ['throws null', { thrown: 'null', async: true }, 'step "p" failed: null'],
  ];
  for (const [name, args, error] of THROWS) {
    it(`a component that ${name}: the job fails with the step and the reason`, async () => {
      const job = await waitForFinal(
        t.url,
        await submitJob(
          t.url,
          steps(['p', 'TestThrowing', '', args], ['d', 'TestDoubleProcessor', 'p']),
        ),
      );
      assert.equal(job.status, 'FAILED');
      assert.equal(job.error, error);
      assert.deepEqual(
        job.steps.map((s) => [s.name, s.status]),
        [
          ['p', 'FAILED'],
          ['d', 'SKIPPED'],
        ],
      );
      assert.equal(job.logCount, 3, 'started, the component’s line, and the failure');
    });
  }

  it('a component that throws a plain object: the job fails, naming the step and showing the object', async () => {
    const job = await waitForFinal(
      t.url,
      await submitJob(t.url, steps(['p', 'TestThrowing', '', { thrown: 'object' }])),
    );
    assert.equal(job.status, 'FAILED');
    assert.match(job.error!, /^step "p" failed: \{.*thrown on purpose.*\}$/);
  });

  it('a component that hangs past its timeout, ignoring the signal: the job fails "timed out" once the abort grace is over, saying why; the server goes on', async () => {
    const ignoredBefore = t.app.executor.stats.abortIgnored;
    const hung = await submitJob(
      t.url,
      steps(['p', 'TestRowsProducer', '', { ms: 3000, ignoreAbort: true, lines: 2 }]),
      0.3,
    );
    const job = await waitForFinal(t.url, hung);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.error, 'timed out after 0.3 s');
    assert.deepEqual(
      job.steps.map((s) => s.status),
      ['CANCELLED'],
    );
    // Its slot was held through the grace, then freed; the job's log and the server's say so.
    assert.equal(t.app.executor.stats.abortIgnored, ignoredBefore + 1);
    const lines = await t.app.store.logLines(hung, 0, 100);
    assert.ok(
      lines.some((l) => l.level === 'warn' && /did not stop within 0.5 s/.test(l.message)),
      JSON.stringify(lines),
    );
    assert.ok(t.logs.some((l) => l.includes('did not stop within 0.5 s') && l.includes(hung)));
    const next = await waitForFinal(
      t.url,
      await submitJob(t.url, steps(['p', 'TestRowsProducer', '', { rows: 1 }])),
    );
    assert.equal(
      next.status,
      'FINISHED',
      'the next job runs while the hung component still sleeps',
    );
  });

  it('every job of them ended, in a final state', async () => {
    const { jobs } = await gql<{ jobs: { nodes: { status: string }[] } }>(
      t.url,
      '{ jobs(first: 100) { nodes { status } } }',
    );
    assert.equal(jobs.nodes.length, THROWS.length + 3);
    assert.ok(
      jobs.nodes.every((j) => ['FINISHED', 'FAILED'].includes(j.status)),
      JSON.stringify(jobs.nodes),
    );
  });
});

describe('a component that leaks a rejected promise, in the real server process', () => {
  let dir: string;
  let server: ServerProcess;
  before(async () => {
    dir = hardeningConfigDir();
    server = await startServerProcess(dir);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the job whose code it came from while that job runs; after the job ended, it is logged naming it; the server goes on', async () => {
    const running = await submitJob(
      server.url,
      steps(['p', 'TestLeakyProducer', '', { message: 'leaked while running', holdMs: 10_000 }]),
    );
    const later = await submitJob(
      server.url,
      steps([
        'p',
        'TestLeakyProducer',
        '',
        { message: 'leaked after the job ended', laterMs: 1000 },
      ]),
    );
    const thrown = await submitJob(
      server.url,
      steps([
        'p',
        'TestLeakyProducer',
        '',
        { message: 'thrown from a timer', laterMs: 1000, throwInTimer: true },
      ]),
    );
    const failed = await waitForFinal(server.url, running);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'unhandled promise rejection in step "p": leaked while running');
    for (const id of [later, thrown])
      assert.equal((await waitForFinal(server.url, id)).status, 'FINISHED');
    const logged = (what: string) =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map(
          (line) => JSON.parse(line) as { msg: string; jobId?: string; err?: { message?: string } },
        )
        .filter((line) => line.msg.startsWith(what));
    await until(
      () => logged('unhandled promise rejection').length >= 2,
      'both rejections to be logged',
    );
    assert.deepEqual(
      logged('unhandled promise rejection').map((l) => [l.jobId, l.err?.message]),
      [
        [running, 'leaked while running'],
        [later, 'leaked after the job ended'],
      ],
    );
    await until(() => logged('uncaught exception').length >= 1, 'the exception to be logged');
    assert.deepEqual(
      logged('uncaught exception').map((l) => [l.jobId, l.err?.message]),
      [[thrown, 'thrown from a timer']],
    );
    assert.equal(server.child.exitCode, null, 'still running');
    const next = await waitForFinal(
      server.url,
      await submitJob(server.url, steps(['p', 'TestRowsProducer', '', { rows: 1 }])),
    );
    assert.equal(next.status, 'FINISHED');
    assert.equal(await server.stop(), 0, 'and it still stops cleanly');
  });
});

describe('an exception outside any job, in the real server process', () => {
  let dir: string;
  let components: string;
  let server: ServerProcess | undefined;
  before(() => {
    // A component module whose own top-level code arms a timer: it runs in no job's context.
    components = mkdtempSync(join(tmpdir(), 'fda-outside-'));
    writeFileSync(
      join(components, 'outside.ts'),
      `setTimeout(() => { throw new Error('thrown outside any job'); }, 1500);\n` +
        `export const nothing = 1;\n`,
    );
    dir = hardeningConfigDir({ server: { componentsDir: components } });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(components, { recursive: true, force: true });
  });

  it('is logged as fatal and ends the process with exit code 1', async () => {
    server = await startServerProcess(dir);
    assert.equal(await server.exited, 1);
    const fatal = server
      .output()
      .split('\n')
      .filter((line) => line.includes('outside any job'))
      .map((line) => JSON.parse(line) as { level: number; err?: { message?: string } });
    assert.deepEqual(
      fatal.map((l) => [l.level, l.err?.message]),
      [[60, 'thrown outside any job']],
    );
  });
});

describe('a subscriber that disconnects mid-stream', () => {
  let t: TestApp;
  let http: RunningHttpServer;
  before(async () => {
    t = await startHardeningApp();
    // A second listener on the same app, so the test can read its stream and client counters.
    http = await startHttpServer(t.app);
  });
  after(async () => {
    await http?.close();
    await t?.destroy();
  });

  it('its socket destroyed (WebSocket and SSE) while a job writes 20,000 lines: the others get every line, nothing is left open', async () => {
    const id = await submitJob(
      http.url,
      steps(['p', 'TestChattyProducer', '', { lines: 20_000, perTick: 200, tickMs: 10 }]),
    );
    const query = 'subscription($id: ID!) { jobLogs(id: $id) { cursor lines { seq } } }';
    const leaver = connectWs(http.url);
    const stayer = connectWs(http.url);
    type Logs = { jobLogs: { cursor: number; lines: { seq: number }[] } };
    const left = collect<Logs>(leaver, query, { id }, (_result, index) => {
      // The raw socket goes away without a close frame, like a client whose network dropped.
      if (index === 1) leaver.socket().terminate();
    });
    const stayed = collect<Logs>(stayer, query, { id });

    // An SSE subscriber whose connection is cut after its first bytes.
    const abort = new AbortController();
    const sse = await fetch(`${http.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables: { id } }),
      signal: abort.signal,
    });
    const reader = sse.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);

    const leaverOutcome = await left;
    assert.ok(leaverOutcome.error, 'the vanished subscriber’s subscription ended with its socket');
    const outcome = await stayed;
    assert.equal(outcome.error, undefined);
    const job = await waitForFinal(http.url, id);
    assert.equal(job.status, 'FINISHED');
    assert.deepEqual(seqsOf(outcome.results), range(1, job.logCount), 'every line, once, in order');
    await stayer.close();
    await leaver.close();
    await until(
      () => http.live.stats.openStreams === 0 && http.webSockets.clientCount === 0,
      'every stream and socket to be released',
    );
    const errors = t.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], 'the server logged no error over it');
  });
});

describe('clients that open sockets and never speak', () => {
  let t: TestApp;
  let http: RunningHttpServer;
  before(async () => {
    t = await startHardeningApp();
    // The app's own listener keeps Node's defaults (60 s for headers); this one is short-fused so the test can watch it act.
    http = await startHttpServer(t.app, {
      headersTimeoutMs: 2500,
      requestTimeoutMs: 3000,
      connectionsCheckingIntervalMs: 200,
    });
  });
  after(async () => {
    await http?.close();
    await t?.destroy();
  });

  /** A raw TCP client: what it sent, what came back, and when it was closed. */
  function rawSocket(port: number, send: string): { closed: Promise<string> } {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    if (send) socket.once('connect', () => socket.write(send));
    return { closed: new Promise((resolve) => socket.once('close', () => resolve(received))) };
  }

  it('serves everyone else meanwhile, then closes the silent ones (408 over HTTP, 4408 over graphql-ws)', async () => {
    const port = Number(new URL(http.url).port);
    const silent = Array.from({ length: 100 }, () => rawSocket(port, ''));
    const partialHeaders = Array.from({ length: 50 }, () =>
      rawSocket(port, 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
    );
    const partialBody = Array.from({ length: 20 }, () =>
      rawSocket(
        port,
        'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
      ),
    );
    const mute = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = new WebSocket(wsUrl(http.url), 'graphql-transport-ws');
        const closed = new Promise<[number, string]>((resolve) =>
          socket.once('close', (code, reason) => resolve([code, reason.toString()])),
        );
        await new Promise((resolve) => socket.once('open', resolve));
        return { closed };
      }),
    );
    assert.equal(http.webSockets.clientCount, mute.length, 'the mute WebSockets are open');

    // Everyone else is served while those sockets sit there (the silent ones are closed after 2.5 s, the mute WebSockets after 3 s).
    assert.deepEqual(await gql(http.url, '{ __typename }'), { __typename: 'Query' });
    const id = await submitJob(
      http.url,
      steps(['p', 'TestRowsProducer', '', { rows: 2, lines: 5 }]),
    );
    const ws = connectWs(http.url);
    const followed = await collect<{ jobStatus: { job: { status: string } } }>(
      ws,
      'subscription($id: ID!) { jobStatus(id: $id) { job { status } } }',
      { id },
    );
    await ws.close();
    assert.equal(followed.results.at(-1)?.data?.jobStatus.job.status, 'FINISHED');
    assert.equal((await waitForFinal(http.url, id)).status, 'FINISHED', 'and over SSE');

    for (const answer of await Promise.all(
      [...silent, ...partialHeaders, ...partialBody].map((s) => s.closed),
    )) {
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    }
    for (const [code, reason] of await Promise.all(mute.map((m) => m.closed)))
      assert.deepEqual(
        [code, reason],
        [4408, 'Connection initialisation timeout'],
        'closed by graphql-ws',
      );
    await until(() => http.webSockets.clientCount === 0, 'every WebSocket to be gone');
    assert.deepEqual(
      await gql(http.url, '{ __typename }'),
      { __typename: 'Query' },
      'still serving',
    );
  });
});
