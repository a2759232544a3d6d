import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHttpServer, type RunningHttpServer } from '../../src/app/http-server.js';
import type { TestApp } from '../support/test-app.js';
import {
  collect,
  collectSse,
  connectWs,
  gql,
  JOB_FIELDS,
  range,
  seqsOf,
  startGraphQLTestApp,
  until,
  type Result,
  type WsClient,
} from './support.js';

interface JobView {
  id: string;
  status: string;
  error: string | null;
  logCount: number;
  progress: {
    stepsFinished: number;
    stepsTotal: number;
    items: { step: string; label: string | null; done: number; total: number }[];
  };
}
type StatusResult = Result<{ jobStatus: { change: string; job: JobView } }>;
type LogsResult = Result<{
  jobLogs: {
    cursor: number;
    lines: { seq: number; message: string; level: string; step: string | null }[];
  };
}>;

const SUBMIT = `mutation($steps: [StepInput!]!) { submitJob(input: { steps: $steps }) { __typename ... on Job { id status } ... on Error { message } } }`;
const STATUS = `subscription($id: ID!) { jobStatus(id: $id) { change job { ${JOB_FIELDS} } } }`;
const LOGS = `subscription($id: ID!, $after: Int) { jobLogs(id: $id, after: $after) { cursor lines { seq message level step } } }`;

/** A chatty producer → doubling processor → collecting storager. */
function chattySteps(args: Record<string, unknown>, probe = 'graphql-subs') {
  return [
    {
      name: 'producer_0',
      componentClassName: 'TestChattyProducer',
      preComponentName: '',
      componentArguments: { rows: 5, ...args },
    },
    {
      name: 'processor_0',
      componentClassName: 'TestDoubleProcessor',
      preComponentName: 'producer_0',
    },
    {
      name: 'storager_0',
      componentClassName: 'TestCollectStorager',
      preComponentName: 'processor_0',
      componentArguments: { probe },
    },
  ];
}

/** A job that holds the only slot until it is cancelled. */
const BLOCKER = [
  {
    name: 'p',
    componentClassName: 'TestRowsProducer',
    preComponentName: '',
    componentArguments: { ms: 60_000 },
  },
];

async function submit(url: string, steps: unknown): Promise<string> {
  const data = await gql<{ submitJob: { __typename: string; id?: string; message?: string } }>(
    url,
    SUBMIT,
    { steps },
  );
  assert.equal(data.submitJob.__typename, 'Job', data.submitJob.message);
  return data.submitJob.id!;
}

async function jobOf(url: string, id: string): Promise<JobView> {
  return (
    await gql<{ job: JobView }>(url, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id })
  ).job;
}

describe('subscriptions over graphql-ws', () => {
  let t: TestApp;
  let ws: WsClient;
  before(async () => {
    t = await startGraphQLTestApp({ server: { maxConcurrentJobs: 2 } });
    ws = connectWs(t.url);
  });
  after(async () => {
    await ws.close();
    await t.destroy();
  });

  it('follows a job: statuses in order ending with FINISHED, log lines exactly seq 1..n', async () => {
    const id = await submit(t.url, chattySteps({ lines: 3000, perTick: 250, tickMs: 5 }));
    const [status, logs] = await Promise.all([
      collect<StatusResult['data']>(ws, STATUS, { id }),
      collect<LogsResult['data']>(ws, LOGS, { id }),
    ]);
    assert.equal(status.error, undefined);
    assert.equal(logs.error, undefined);
    const events = (status.results as StatusResult[]).map((r) => r.data!.jobStatus);
    assert.equal(events[0]!.change, 'CURRENT');
    const statuses = events
      .map((e) => e.job.status)
      .filter((s, i, all) => i === 0 || s !== all[i - 1]);
    const order = ['WAITING', 'RUNNING', 'FINISHED'];
    assert.deepEqual(
      statuses,
      order.slice(order.indexOf(statuses[0]!)),
      `statuses in order: ${statuses.join(' → ')}`,
    );
    const final = events.at(-1)!.job;
    assert.equal(final.status, 'FINISHED', final.error ?? undefined);
    assert.deepEqual(final.progress, {
      stepsFinished: 3,
      stepsTotal: 3,
      items: [{ step: 'storager_0', label: 'memory', done: 5, total: 5 }],
    });
    assert.ok(final.logCount > 3000);
    assert.deepEqual(seqsOf(logs.results as LogsResult[]), range(1, final.logCount));
    const lines = (logs.results as LogsResult[]).flatMap((r) => r.data!.jobLogs.lines);
    assert.ok(
      lines.some((l) => l.message === 'line 3000' && l.step === 'producer_0' && l.level === 'INFO'),
    );
    assert.equal((logs.results as LogsResult[]).at(-1)!.data!.jobLogs.cursor, final.logCount);
  });

  it('gives the same complete sequence to a subscriber that starts mid-job, one that starts after it ended, and one that resumes', async () => {
    const id = await submit(t.url, chattySteps({ lines: 2000, perTick: 100, tickMs: 10 }));
    await until(
      async () => (await jobOf(t.url, id)).logCount > 300,
      'the job to have written some lines',
    );
    const midway = await collect<LogsResult['data']>(ws, LOGS, { id });
    const final = await jobOf(t.url, id);
    assert.equal(final.status, 'FINISHED');
    const afterwards = await collect<LogsResult['data']>(ws, LOGS, { id });
    const resumed = await collect<LogsResult['data']>(ws, LOGS, { id, after: 1234 });
    assert.deepEqual(seqsOf(midway.results as LogsResult[]), range(1, final.logCount));
    assert.deepEqual(seqsOf(afterwards.results as LogsResult[]), range(1, final.logCount));
    assert.deepEqual(seqsOf(resumed.results as LogsResult[]), range(1235, final.logCount));
    // Stored lines come in bounded pages, never one event per line.
    assert.ok(afterwards.results.length < 10, `${afterwards.results.length} events`);
  });

  it('sends an ended job its state once and completes', async () => {
    const id = await submit(t.url, chattySteps({ lines: 3 }));
    await until(async () => (await jobOf(t.url, id)).status === 'FINISHED', 'the job to finish');
    const status = await collect<StatusResult['data']>(ws, STATUS, { id });
    assert.deepEqual(
      (status.results as StatusResult[]).map((r) => [
        r.data!.jobStatus.change,
        r.data!.jobStatus.job.status,
      ]),
      [['CURRENT', 'FINISHED']],
    );
    const logs = await collect<LogsResult['data']>(ws, LOGS, { id, after: 1_000_000 });
    assert.deepEqual(logs, { results: [] });
  });

  it('answers an unknown job id in each subscription with an error naming it', async () => {
    const missing = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    for (const query of [STATUS, LOGS]) {
      const outcome = await collect(ws, query, { id: missing });
      // graphql-ws sends the failed subscribe as one result with errors, then completes.
      assert.equal(outcome.error, undefined);
      assert.equal(outcome.results.length, 1);
      const errors = outcome.results[0]!.errors!;
      assert.match(errors[0]!.message, new RegExp(`no job named "${missing}"`));
      assert.equal(errors[0]!.extensions?.code, 'NOT_FOUND');
    }
    // The connection is still good.
    assert.equal(
      (await gql<{ components: unknown[] }>(t.url, '{ components { name } }')).components.length >
        0,
      true,
    );
  });
});

describe('subscriptions over server-sent events', () => {
  let t: TestApp;
  before(async () => {
    t = await startGraphQLTestApp();
  });
  after(async () => t.destroy());

  it('streams a job’s status and logs to a plain HTTP client', async () => {
    const id = await submit(t.url, chattySteps({ lines: 1500, perTick: 300, tickMs: 5 }));
    const [status, logs] = await Promise.all([
      collectSse(t.url, STATUS, { id }),
      collectSse(t.url, LOGS, { id }),
    ]);
    assert.equal(status.status, 200);
    assert.match(status.contentType ?? '', /^text\/event-stream/);
    assert.equal(status.events.at(-1)!.event, 'complete');
    const statusEvents = status.events
      .filter((e) => e.event === 'next')
      .map((e) => (JSON.parse(e.data) as StatusResult).data!.jobStatus);
    assert.equal(statusEvents[0]!.change, 'CURRENT');
    const final = statusEvents.at(-1)!.job;
    assert.equal(final.status, 'FINISHED');
    assert.equal(logs.events.at(-1)!.event, 'complete');
    const batches = logs.events
      .filter((e) => e.event === 'next')
      .map((e) => JSON.parse(e.data) as LogsResult);
    assert.deepEqual(seqsOf(batches), range(1, final.logCount));
  });

  it('answers an unknown job id with an error naming it', async () => {
    const { events } = await collectSse(t.url, LOGS, { id: 'no-such-job' });
    const errors = events
      .filter((e) => e.event === 'next')
      .flatMap((e) => (JSON.parse(e.data) as Result).errors ?? []);
    assert.match(errors[0]!.message, /no job named "no-such-job"/);
  });
});

describe('slow, stuck and departing subscribers', () => {
  let t: TestApp;
  let server: RunningHttpServer;
  const limits = { maxBatchLines: 500, maxPendingLines: 2000 };
  before(async () => {
    t = await startGraphQLTestApp({ server: { maxConcurrentJobs: 1 } });
    // A second endpoint on the same app, with small buffers, whose counters the tests can read.
    server = await startHttpServer(t.app, { liveLimits: limits });
  });
  after(async () => {
    await server.close();
    await t.destroy();
  });

  it('keeps serving others while one client stops reading; the stuck one stays bounded and later gets every line', async () => {
    const slow = connectWs(server.url);
    const fast = connectWs(server.url);
    try {
      const id = await submit(
        server.url,
        chattySteps({ lines: 30_000, lineBytes: 400, perTick: 1000, tickMs: 5 }, 'graphql-lag'),
      );
      let paused = false;
      let slowLines = 0;
      const slowDone = collect<LogsResult['data']>(slow, LOGS, { id }, (result) => {
        slowLines += result.data!.jobLogs.lines.length;
        if (paused) return;
        paused = true;
        slow.socket().pause(); // stops reading: the server's writes to it back up
      });
      const fastDone = collect<LogsResult['data']>(fast, LOGS, { id });
      const fastResult = await fastDone;
      const job = await jobOf(server.url, id); // the server answers queries meanwhile
      assert.equal(job.status, 'FINISHED');
      assert.deepEqual(seqsOf(fastResult.results as LogsResult[]), range(1, job.logCount));
      assert.ok(paused);
      assert.ok(
        slowLines < job.logCount,
        `the stuck client is behind (${slowLines} of ${job.logCount} lines) while the other is done`,
      );
      assert.ok(
        server.live.stats.maxPendingLinesSeen <= limits.maxPendingLines,
        `at most ${limits.maxPendingLines} lines held, saw ${server.live.stats.maxPendingLinesSeen}`,
      );
      slow.socket().resume();
      const slowResult = await slowDone;
      assert.equal(slowResult.error, undefined);
      assert.deepEqual(seqsOf(slowResult.results as LogsResult[]), range(1, job.logCount));
      assert.ok(
        (slowResult.results as LogsResult[]).every(
          (r) => r.data!.jobLogs.lines.length <= limits.maxBatchLines,
        ),
      );
    } finally {
      if (slow.socket().isPaused) slow.socket().terminate(); // a paused socket cannot finish a close handshake
      await Promise.all([slow.close(), fast.close()]);
    }
  });

  it('fans one job out to many subscribers, each shared batch serialised once for all', async () => {
    const clients = Array.from({ length: 20 }, () => connectWs(server.url));
    try {
      const framesBefore = server.webSockets.framesShared;
      const streamsBefore = server.live.stats.openStreams;
      // The job waits behind a blocker until every subscriber is in, so all of them follow it live.
      const blocker = await submit(server.url, BLOCKER);
      // Written over about 0.6 s, so the lines arrive live even when a loaded machine slows the
      // subscribers' first (stored) read down.
      const id = await submit(
        server.url,
        chattySteps({ lines: 3000, perTick: 100, tickMs: 20 }, 'graphql-fan'),
      );
      const outcomes = Promise.all(
        clients.map((client) => collect<LogsResult['data']>(client, LOGS, { id })),
      );
      await until(
        () => server.live.stats.openStreams === streamsBefore + clients.length,
        'every subscriber to be in',
      );
      await gql(server.url, `mutation($id: ID!) { cancelJob(id: $id) { __typename } }`, {
        id: blocker,
      });
      const results = await outcomes;
      const { logCount } = await jobOf(server.url, id);
      for (const outcome of results)
        assert.deepEqual(seqsOf(outcome.results as LogsResult[]), range(1, logCount));
      assert.ok(
        server.webSockets.framesShared > framesBefore,
        'live batches went out as shared frames',
      );
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  it('releases a subscription whose client unsubscribes or disconnects mid-stream', async () => {
    const id = await submit(
      server.url,
      chattySteps({ lines: 2000, perTick: 20, tickMs: 10 }, 'graphql-leave'),
    );
    const before = server.live.stats.openStreams;
    const leaving = connectWs(server.url);
    const vanishing = connectWs(server.url);
    let unsubscribe = () => {};
    const firstBatch = new Promise<void>((resolve) => {
      unsubscribe = leaving.client.subscribe(
        { query: LOGS, variables: { id } },
        { next: () => resolve(), error: () => {}, complete: () => {} },
      );
    });
    void collect(vanishing, LOGS, { id });
    void collect(vanishing, STATUS, { id });
    await firstBatch;
    await until(() => server.live.stats.openStreams === before + 3, 'three open streams');
    unsubscribe();
    await until(
      () => server.live.stats.openStreams === before + 2,
      'the unsubscribed stream to be released',
    );
    vanishing.socket().terminate();
    await until(
      () => server.live.stats.openStreams === before,
      'the disconnected client’s streams to be released',
    );
    await leaving.close();
    await vanishing.close();
    await gql(server.url, `mutation($id: ID!) { cancelJob(id: $id) { __typename } }`, { id });
  });

  it('streams every job’s changes on jobEvents', async () => {
    const seen = new Map<string, string[]>();
    const open = server.live.stats.openStreams;
    const ws = connectWs(server.url);
    let failure: unknown;
    const unsubscribe = ws.client.subscribe<{
      jobEvents: { change: string; job: { id: string; status: string } };
    }>(
      { query: 'subscription { jobEvents { change job { id status } } }' },
      {
        next: ({ data }) => {
          const { id, status } = data!.jobEvents.job;
          seen.set(id, [...(seen.get(id) ?? []), status]);
        },
        error: (error) => (failure = error),
        complete: () => (failure = new Error('jobEvents completed')),
      },
    );
    // Jobs submitted once the server holds the subscription are seen whole.
    await until(() => server.live.stats.openStreams === open + 1, 'the subscription to be open');
    const ids = [
      await submit(server.url, chattySteps({ lines: 10 })),
      await submit(server.url, chattySteps({ lines: 10 })),
    ];
    await until(
      () => failure !== undefined || ids.every((id) => seen.get(id)?.at(-1) === 'FINISHED'),
      'both jobs to be seen finishing',
    );
    assert.equal(failure, undefined);
    for (const id of ids) assert.equal(seen.get(id)![0], 'WAITING');
    unsubscribe();
    await ws.close();
  });

  it('completes open subscriptions when the server closes', async () => {
    const extra = await startHttpServer(t.app);
    const client = connectWs(extra.url);
    const id = await submit(
      extra.url,
      chattySteps({ lines: 1000, perTick: 10, tickMs: 20 }, 'graphql-close'),
    );
    let started!: () => void;
    const gotOne = new Promise<void>((resolve) => (started = resolve));
    const outcome = collect(client, LOGS, { id }, () => started());
    await gotOne;
    await extra.close();
    const { error } = await outcome;
    assert.equal(error, undefined, 'completed, not failed');
    assert.equal(extra.live.stats.openStreams, 0);
    await client.close();
    await gql(server.url, `mutation($id: ID!) { cancelJob(id: $id) { __typename } }`, { id });
  });
});
