import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../support/test-app.js';
import { collect, connectWs, gql, post, startGraphQLTestApp, until } from './support.js';

interface Problem {
  path: string;
  message: string;
}
type SubmitResult = {
  __typename: string;
  id?: string;
  status?: string;
  timeoutSeconds?: number;
  message?: string;
  code?: string;
  problems?: Problem[];
};

const SUBMIT_STEPS = `mutation($steps: [StepInput!]!, $timeout: Float) {
  submitJob(input: { steps: $steps }, timeoutSeconds: $timeout) {
    __typename
    ... on Job { id status timeoutSeconds }
    ... on JobSpecInvalid { problems { path message } }
    ... on Error { message code }
  }
}`;
const SUBMIT_DOCUMENT = SUBMIT_STEPS.replace('$steps: [StepInput!]!', '$document: JSON!').replace(
  '{ steps: $steps }',
  '{ document: $document }',
);

const step = (
  name: string,
  componentClassName: string,
  preComponentName = '',
  componentArguments?: Record<string, unknown>,
) => ({
  name,
  componentClassName,
  preComponentName,
  ...(componentArguments ? { componentArguments } : {}),
});

describe('the GraphQL API over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await startGraphQLTestApp({ server: { maxConcurrentJobs: 1 } });
  });
  after(async () => t.destroy());

  async function submitSteps(steps: unknown[], timeout?: number): Promise<SubmitResult> {
    return (await gql<{ submitJob: SubmitResult }>(t.url, SUBMIT_STEPS, { steps, timeout }))
      .submitJob;
  }

  async function waitFinal(id: string): Promise<{ status: string }> {
    let job = { status: '' };
    await until(async () => {
      job = (
        await gql<{ job: { status: string } }>(
          t.url,
          'query($id: ID!) { job(id: $id) { status } }',
          { id },
        )
      ).job;
      return ['FINISHED', 'FAILED', 'CANCELLED'].includes(job.status);
    }, `job ${id} to end`);
    return job;
  }

  it('submits a job in either form and reads it back', async () => {
    const typed = await submitSteps(
      [
        step('p', 'TestRowsProducer', '', { rows: 4, lines: 3 }),
        step('d', 'TestDoubleProcessor', 'p'),
        step('s', 'TestCollectStorager', 'd', { probe: 'http-api' }),
      ],
      30,
    );
    assert.equal(typed.__typename, 'Job');
    assert.equal(typed.timeoutSeconds, 30);
    const document = {
      pipeline_structure: {
        producer_0: {
          component_class_name: 'TestRowsProducer',
          pre_component_name: '',
          component_arguments: { rows: 2 },
        },
        storager_0: {
          component_class_name: 'TestCollectStorager',
          pre_component_name: 'producer_0',
          component_arguments: { probe: 'http-api-doc' },
        },
      },
      trigger: { type: 'cron', arguments: { hour: '9' } },
    };
    const original = (await gql<{ submitJob: SubmitResult }>(t.url, SUBMIT_DOCUMENT, { document }))
      .submitJob;
    assert.equal(original.__typename, 'Job');
    assert.equal((await waitFinal(typed.id!)).status, 'FINISHED');
    assert.equal((await waitFinal(original.id!)).status, 'FINISHED');
    const { job } = await gql<{
      job: Record<string, unknown> & { logs: { lines: { seq: number }[]; cursor: number } };
    }>(
      t.url,
      `query($id: ID!) { job(id: $id) {
        id status origin { type name } submittedAt startedAt finishedAt error retryOf logCount
        steps { name componentName kind status rowsIn rowsOut error result progress { label done total } }
        progress { stepsFinished stepsTotal items { step label done total } }
        spec { steps { name componentClassName preComponentName componentArguments } document }
        logs(after: 1, first: 2) { cursor lines { seq } }
      } }`,
      { id: typed.id },
    );
    assert.equal(job.status, 'FINISHED');
    assert.deepEqual(job.origin, { type: 'ADHOC', name: null });
    assert.match(job.submittedAt as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(
      (job.steps as { name: string; kind: string; rowsOut: number; result: unknown }[]).map((s) => [
        s.name,
        s.kind,
        s.rowsOut,
        s.result,
      ]),
      [
        ['p', 'PRODUCER', 4, null],
        ['d', 'PROCESSOR', 4, null],
        ['s', 'STORAGER', 4, { stored: 4 }],
      ],
    );
    assert.deepEqual(job.progress, {
      stepsFinished: 3,
      stepsTotal: 3,
      items: [{ step: 's', label: 'memory', done: 4, total: 4 }],
    });
    assert.deepEqual((job.spec as { document: unknown }).document, {
      pipeline_structure: {
        p: {
          component_class_name: 'TestRowsProducer',
          pre_component_name: '',
          component_arguments: { rows: 4, lines: 3 },
        },
        d: {
          component_class_name: 'TestDoubleProcessor',
          pre_component_name: 'p',
          component_arguments: {},
        },
        s: {
          component_class_name: 'TestCollectStorager',
          pre_component_name: 'd',
          component_arguments: { probe: 'http-api' },
        },
      },
    });
    assert.deepEqual(job.logs, { cursor: 3, lines: [{ seq: 2 }, { seq: 3 }] });
  });

  it('lists jobs newest first, filtered by status, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitSteps([step('p', 'TestRowsProducer')])).id!);
    for (const id of ids) await waitFinal(id);
    type Page = {
      jobs: {
        nodes: { id: string; status: string }[];
        edges: { cursor: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const query = `query($after: String) { jobs(status: [FINISHED], first: 2, after: $after) { nodes { id status } edges { cursor } pageInfo { hasNextPage endCursor } } }`;
    const first = (await gql<Page>(t.url, query)).jobs;
    assert.deepEqual(
      first.nodes.map((n) => n.id),
      [ids[2], ids[1]],
    );
    assert.equal(first.pageInfo.hasNextPage, true);
    assert.equal(first.pageInfo.endCursor, ids[1]);
    assert.deepEqual(
      first.edges.map((e) => e.cursor),
      [ids[2], ids[1]],
    );
    const second = (await gql<Page>(t.url, query, { after: first.pageInfo.endCursor })).jobs;
    assert.equal(second.nodes[0]!.id, ids[0]);
    assert.ok(second.nodes.every((n) => n.status === 'FINISHED'));
    const none = (
      await gql<Page>(
        t.url,
        `{ jobs(status: [RUNNING]) { nodes { id status } edges { cursor } pageInfo { hasNextPage endCursor } } }`,
      )
    ).jobs;
    assert.deepEqual(none, {
      nodes: [],
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const { body } = await post(t.url, '{ jobs(first: 1000) { nodes { id } } }');
    assert.match(body.errors![0]!.message, /first must be between 1 and 100, not 1000/);
    assert.equal(body.errors![0]!.extensions?.code, 'VALIDATION');
  });

  it('answers each kind of invalid spec with JobSpecInvalid and its problems, queuing nothing', async () => {
    const cases: [string, unknown[], Problem[]][] = [
      ['no steps', [], [{ path: 'steps', message: 'the job has no steps' }]],
      [
        'an unknown component, with a suggestion',
        [step('p', 'TestRowsProduce')],
        [
          {
            path: 'steps[0].componentClassName',
            message: 'unknown component "TestRowsProduce"; did you mean "TestRowsProducer"?',
          },
        ],
      ],
      [
        'a predecessor that does not exist',
        [step('producer', 'TestRowsProducer'), step('double', 'TestDoubleProcessor', 'produce')],
        [
          {
            path: 'steps[1].preComponentName',
            message: 'predecessor "produce" is not a step of this job; did you mean "producer"?',
          },
        ],
      ],
      [
        'a step that is its own predecessor',
        [step('p', 'TestRowsProducer'), step('d', 'TestDoubleProcessor', 'd')],
        [
          {
            path: 'steps[1].preComponentName',
            message: 'step "d" names itself as its predecessor',
          },
        ],
      ],
      [
        'a cycle and no producer',
        [step('a', 'TestDoubleProcessor', 'b'), step('b', 'TestDoubleProcessor', 'a')],
        [
          {
            path: '',
            message:
              'the job has no producer: one step must run a PRODUCER component with an empty preComponentName',
          },
          { path: 'steps[0].preComponentName', message: 'steps "a" → "b" → "a" form a cycle' },
        ],
      ],
      [
        'a producer with a predecessor and a processor without one',
        [
          step('p', 'TestRowsProducer'),
          step('q', 'TestRowsProducer', 'p'),
          step('d', 'TestDoubleProcessor'),
        ],
        [
          {
            path: 'steps[1].preComponentName',
            message:
              'step "q" runs TestRowsProducer, a PRODUCER, which cannot have a predecessor (found "p")',
          },
          {
            path: 'steps[2].preComponentName',
            message:
              'step "d" runs TestDoubleProcessor, a PROCESSOR, which needs a predecessor (preComponentName)',
          },
        ],
      ],
      [
        'duplicate step names',
        [step('p', 'TestRowsProducer'), step('p', 'TestRowsProducer')],
        [{ path: 'steps[1].name', message: 'duplicate step name "p" (also step 1)' }],
      ],
    ];
    for (const [what, steps, problems] of cases) {
      const result = await submitSteps(steps);
      assert.equal(result.__typename, 'JobSpecInvalid', what);
      assert.equal(result.code, 'JOB_SPEC_INVALID', what);
      assert.deepEqual(result.problems, problems, what);
    }
    const badArgs = await submitSteps([
      step('p', 'TestRowsProducer', '', { rows: -1, colour: 'red' }),
    ]);
    assert.equal(badArgs.__typename, 'JobSpecInvalid');
    assert.deepEqual(badArgs.problems!.map((p) => p.path).sort(), [
      'steps[0].componentArguments',
      'steps[0].componentArguments.rows',
    ]);
    assert.ok(badArgs.problems!.some((p) => p.message === 'unknown field "colour"'));

    const badDocument = (
      await gql<{ submitJob: SubmitResult }>(t.url, SUBMIT_DOCUMENT, {
        document: {
          pipeline_structure: {
            producer_0: { component_class_name: 'Nope', pre_component_name: 3 },
          },
          extra: 1,
        },
      })
    ).submitJob;
    assert.equal(badDocument.__typename, 'JobSpecInvalid');
    assert.deepEqual(
      badDocument.problems!.map((p) => p.path),
      [
        'extra',
        'pipeline_structure.producer_0.pre_component_name',
        'pipeline_structure.producer_0.component_class_name',
      ],
    );
    const notAnObject = (
      await gql<{ submitJob: SubmitResult }>(t.url, SUBMIT_DOCUMENT, { document: [1, 2] })
    ).submitJob;
    assert.deepEqual(notAnObject.problems, [
      { path: '', message: 'the job spec must be a JSON object, not an array' },
    ]);

    const badTimeout = await submitSteps([step('p', 'TestRowsProducer')], -5);
    assert.deepEqual(badTimeout.problems, [
      { path: 'timeoutSeconds', message: 'must be a positive number of seconds, not -5' },
    ]);

    const { jobs } = await gql<{ jobs: { nodes: { id: string; status: string }[] } }>(
      t.url,
      '{ jobs(status: [WAITING, RUNNING]) { nodes { id status } } }',
    );
    assert.deepEqual(jobs.nodes, []);
  });

  it('answers malformed GraphQL, wrong variable types, unknown fields and a broken oneOf with GraphQL errors, and keeps serving', async () => {
    const malformed = await post(t.url, '{ jobs( ');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.errors![0]!.message, /^Syntax Error/);
    const unknownField = await post(t.url, '{ jobs { nodes { id colour } } }');
    assert.match(
      unknownField.body.errors![0]!.message,
      /Cannot query field "colour" on type "Job"/,
    );
    const wrongType = await post(t.url, 'query($id: ID!) { job(id: $id) { id } }', {
      id: { not: 'an id' },
    });
    assert.match(wrongType.body.errors![0]!.message, /Variable "\$id" got invalid value/);
    const wrongEnum = await post(t.url, '{ jobs(status: [DONE]) { nodes { id } } }');
    assert.match(
      wrongEnum.body.errors![0]!.message,
      /Value "DONE" does not exist in "JobStatus" enum/,
    );
    const both = await post(
      t.url,
      'mutation { submitJob(input: { steps: [], document: {} }) { __typename } }',
    );
    assert.match(
      both.body.errors![0]!.message,
      /OneOf Input Object "SubmitJobInput" must specify exactly one key/,
    );
    const neither = await post(t.url, 'mutation { submitJob(input: {}) { __typename } }');
    assert.match(
      neither.body.errors![0]!.message,
      /OneOf Input Object "SubmitJobInput" must specify exactly one key/,
    );
    const missingStepField = await post(t.url, SUBMIT_STEPS, { steps: [{ name: 'p' }] });
    assert.match(
      missingStepField.body.errors![0]!.message,
      /Field "componentClassName" of required type "String!" was not provided/,
    );
    for (const { status } of [
      malformed,
      unknownField,
      wrongType,
      wrongEnum,
      both,
      neither,
      missingStepField,
    ])
      assert.ok(status < 500, `status ${status}`);

    // The same over a WebSocket: an error for that operation, and the connection stays usable.
    const ws = connectWs(t.url);
    try {
      const broken = await collect(ws, 'subscription { jobLogs( ');
      assert.match((broken.error as { message: string }[])[0]!.message, /^Syntax Error/);
      const unknown = await collect(ws, 'subscription { jobLogs(id: "x") { colour } }');
      assert.match(
        (unknown.error as { message: string }[])[0]!.message,
        /Cannot query field "colour" on type "LogBatch"/,
      );
      const fine = await collect<{ components: unknown[] }>(ws, '{ components { name } }');
      assert.ok(fine.results[0]!.data!.components.length > 0);
    } finally {
      await ws.close();
    }
    assert.ok(
      (await gql<{ components: unknown[] }>(t.url, '{ components { name } }')).components.length >
        0,
    );
  });

  it('cancels and retries jobs, answering unknown ids and wrong states as data', async () => {
    const cancel = `mutation($id: ID!) { cancelJob(id: $id) { __typename ... on Job { id status error } ... on NotFound { kind key message } } }`;
    const retry = `mutation($id: ID!) { retryJob(id: $id) { __typename ... on Job { id status retryOf } ... on Error { message code } } }`;
    const missing = (
      await gql<{ cancelJob: Record<string, string> }>(t.url, cancel, { id: 'nope' })
    ).cancelJob;
    assert.deepEqual(missing, {
      __typename: 'NotFound',
      kind: 'job',
      key: 'nope',
      message: 'no job named "nope"',
    });
    const slow = await submitSteps([step('p', 'TestRowsProducer', '', { ms: 60_000 })]);
    const conflict = (
      await gql<{ retryJob: Record<string, string> }>(t.url, retry, { id: slow.id })
    ).retryJob;
    assert.equal(conflict.__typename, 'Conflict');
    assert.equal(conflict.code, 'CONFLICT');
    const cancelled = (
      await gql<{ cancelJob: Record<string, string> }>(t.url, cancel, { id: slow.id })
    ).cancelJob;
    assert.deepEqual(cancelled, {
      __typename: 'Job',
      id: slow.id,
      status: 'CANCELLED',
      error: 'cancelled by request',
    });
    const retried = (await gql<{ retryJob: Record<string, string> }>(t.url, retry, { id: slow.id }))
      .retryJob;
    assert.equal(retried.__typename, 'Job');
    assert.equal(retried.retryOf, slow.id);
    await gql(t.url, cancel, { id: retried.id });
    const notFound = (await gql<{ retryJob: Record<string, string> }>(t.url, retry, { id: 'nope' }))
      .retryJob;
    assert.equal(notFound.__typename, 'NotFound');
  });

  it('runs a CPU-heavy step on a worker thread', async () => {
    const job = await submitSteps([step('cpu', 'TestCpuProducer', '', { ms: 50 })]);
    assert.equal(job.__typename, 'Job');
    assert.equal((await waitFinal(job.id!)).status, 'FINISHED');
  });

  it('lists components with their JSON Schema, reloads them, and shows load failures', async () => {
    type Component = {
      name: string;
      kind: string;
      description: string;
      source: string;
      loadedAt: string;
      argumentsSchema: { properties?: Record<string, unknown> };
    };
    const { components, componentLoadFailures } = await gql<{
      components: Component[];
      componentLoadFailures: unknown[];
    }>(
      t.url,
      '{ components { name kind description source loadedAt argumentsSchema } componentLoadFailures { file error at } }',
    );
    const rows = components.find((c) => c.name === 'TestRowsProducer')!;
    assert.equal(rows.kind, 'PRODUCER');
    assert.match(rows.source, /graphql-test-components\.ts$/);
    assert.deepEqual(Object.keys(rows.argumentsSchema.properties!).sort(), [
      'fail',
      'ignoreAbort',
      'lines',
      'ms',
      'probe',
      'rows',
    ]);
    assert.deepEqual(
      components.map((c) => c.name),
      [...components.map((c) => c.name)].sort(),
    );
    assert.deepEqual(componentLoadFailures, []);
    const { reloadComponents } = await gql<{ reloadComponents: { name: string }[] }>(
      t.url,
      'mutation { reloadComponents { name } }',
    );
    assert.deepEqual(
      reloadComponents.map((c) => c.name),
      components.map((c) => c.name),
    );
  });

  it('describes the storage targets and their table sizes, without secrets', async () => {
    type Target = Record<string, unknown> & {
      tables: { table: string; rows: number; rowsExact: boolean; totalBytes: number }[];
    };
    const { storageTargets } = await gql<{ storageTargets: Target[] }>(
      t.url,
      '{ storageTargets { name dialect location isControl reachable error checkedAt tables { table rows rowsExact totalBytes } } }',
    );
    assert.equal(storageTargets.length, 1);
    const { tables, checkedAt, ...target } = storageTargets[0]!;
    assert.deepEqual(target, {
      name: 'local',
      dialect: 'SQLITE',
      location: `sqlite:${t.dir}/control.sqlite`,
      isControl: true,
      reachable: true,
      error: null,
    });
    assert.match(checkedAt as string, /Z$/);
    const jobs = tables.find((table) => table.table === 'jobs')!;
    assert.ok(jobs.rows > 0 && jobs.rowsExact && jobs.totalBytes > 0);
  });

  it('serves GraphiQL with the example operations to a browser, and health as JSON', async () => {
    const page = await fetch(`${t.url}/graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    for (const text of [
      'finance-data-api',
      'SubmitTradeDayJob',
      'BaoStockTradeDayProducer',
      'FollowJobStatus',
      'FollowJobLogs',
      'ListComponents',
    ])
      assert.ok(html.includes(text), `the page mentions ${text}`);

    const health = await fetch(`${t.url}/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as {
      status: string;
      server: { up: boolean };
      jobStore: unknown;
      targets: unknown[];
    };
    assert.equal(body.status, 'ok');
    assert.equal(body.server.up, true);
    assert.deepEqual(body.jobStore, { target: 'local', up: true });
    // No tokens configured: the loopback caller may read everything, details included.
    const [local] = body.targets as { name: string; up: boolean; error: null; at: string }[];
    assert.deepEqual([local!.name, local!.up, local!.error], ['local', true, null]);
    assert.match(local!.at, /^sqlite:.*control\.sqlite$/);
  });
});
