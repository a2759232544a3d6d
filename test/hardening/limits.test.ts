/**
 * The `limits` of server.json on a real server with real clients: depth, alias, directive, cost,
 * token and body-size limits each refused with an error naming the limit, while GraphiQL's example
 * operations and its introspection query pass the defaults; operations per WebSocket, SSE streams
 * per client and job spec size capped. After each refusal the server keeps answering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import { LimitExceededError } from '../../src/errors.js';
import { graphiqlTabs } from '../../src/graphql/graphiql-examples.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Answers, caller, wsCaller, type Caller } from './auth-support.js';

const READ = 'limits-read-token-0123456789';
const WRITE = 'limits-write-token-0123456789';

interface GraphQLErrorJson {
  message: string;
  extensions?: { code?: string; limit?: string };
}

const SUBMIT = `mutation($input: SubmitJobInput!) {
  submitJob(input: $input) { __typename ... on Job { id } ... on Error { message code } }
}`;

const producer = (name: string, args: Record<string, unknown> = {}) => ({
  name,
  componentClassName: 'TestRowsProducer',
  preComponentName: '',
  componentArguments: args,
});

describe('limits', () => {
  const answers = new Answers();
  let t: TestApp;
  let reader: Caller;
  let writer: Caller;

  before(async () => {
    t = await startTestApp({
      env: { FDA_TOKENS: `reader:read:${READ},writer:write:${WRITE}` },
      // The document and body limits keep their defaults; the caps are made small to reach them.
      server: {
        limits: {
          maxSubscriptionsPerConnection: 3,
          maxSseSubscriptionsPerClient: 2,
          maxJobSteps: 5,
          maxComponentArgumentBytes: 200,
        },
      },
    });
    reader = caller(t.url, answers, READ);
    writer = caller(t.url, answers, WRITE);
  });
  after(() => t.destroy());

  /** The server still answers, after whatever was just refused. */
  const stillServing = async () =>
    assert.equal((await reader.data<{ __typename: string }>('{ __typename }')).__typename, 'Query');

  it('passes every GraphiQL example and GraphiQL’s introspection query under the default limits', async () => {
    for (const tab of graphiqlTabs) {
      // A read token: the example mutation gets FORBIDDEN, which is decided after the limits passed.
      const { body } = await reader.post<Record<string, unknown>>(
        tab.query,
        JSON.parse(tab.variables) as Record<string, unknown>,
      );
      const codes = (body.errors ?? []).map((e) => (e as GraphQLErrorJson).extensions?.code);
      assert.ok(
        !codes.includes('LIMIT_EXCEEDED'),
        `${tab.query.split('\n')[2] ?? tab.query}: ${JSON.stringify(body.errors)}`,
      );
      assert.ok(
        body.data || codes.every((c) => c === 'FORBIDDEN' || c === 'NOT_FOUND'),
        JSON.stringify(body),
      );
    }
    const introspection = await reader.post<{ __schema: { types: unknown[] } }>(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        inputValueDeprecation: true,
        schemaDescription: true,
      }),
    );
    assert.equal(introspection.body.errors, undefined);
    assert.ok(introspection.body.data!.__schema.types.length > 20);
  });

  it('refuses documents past the depth, alias, directive, cost and token limits, naming each', async () => {
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    const cases: [string, string, RegExp][] = [
      [
        'maxDepth',
        `{ __type(name: "Query") { fields { type { ${ofTypes(8)} } } } }`,
        /^query depth limit of 10 exceeded, found 12 \(server\.json limits\.maxDepth\)$/i,
      ],
      [
        'maxAliases',
        `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: components { name }`).join(' ')} }`,
        /^aliases limit of 15 exceeded, found 16 \(server\.json limits\.maxAliases\)$/i,
      ],
      [
        'maxDirectives',
        `{ ${Array.from({ length: 21 }, () => '__typename @include(if: true)').join(' ')} }`,
        /^directives limit of 20 exceeded, found 21 \(server\.json limits\.maxDirectives\)$/i,
      ],
      [
        'maxCost',
        '{ job(id: "x") { logs(first: 5000) { cursor lines { seq time level step message } } } }',
        /^query cost limit of 50000 exceeded, found \d+ \(server\.json limits\.maxCost\)$/i,
      ],
      [
        'maxTokens',
        `{ ${'__typename '.repeat(2100)}}`,
        /^the document has more than 2000 tokens \(server\.json limits\.maxTokens\)$/,
      ],
    ];
    for (const [limit, query, message] of cases) {
      const { status, body } = await reader.post(query);
      assert.equal(status, 400, limit);
      assert.equal(body.data, undefined, limit);
      const error = body.errors?.[0] as GraphQLErrorJson;
      assert.match(error.message, message);
      assert.deepEqual(error.extensions, { code: 'LIMIT_EXCEEDED', limit });
      await stillServing();
    }
    // graphql-js parses recursively: nesting is bounded before it runs, so a deep list is an error, not a stack overflow.
    const { status, body } = await reader.post(
      `{ job(id: ${'['.repeat(5000)}${']'.repeat(5000)}) { id } }`,
    );
    assert.equal(status, 400);
    assert.deepEqual(body.errors, [
      {
        message: 'the document nests braces, brackets or parentheses more than 128 deep (line 1)',
        extensions: { code: 'LIMIT_EXCEEDED', limit: 'nesting' },
      },
    ]);
    await stillServing();
  });

  it('applies the same limits over graphql-ws, keeping the connection', async () => {
    const ws = wsCaller(t.url, answers, { authorization: `Bearer ${READ}` });
    const deep = await ws.collect(
      `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: components { name }`).join(' ')} }`,
    );
    assert.equal((deep.error as GraphQLErrorJson[])[0]!.extensions?.limit, 'maxAliases');
    const nested = await ws.collect(
      `subscription { jobLogs(id: ${'['.repeat(5000)}${']'.repeat(5000)}) { cursor } }`,
    );
    assert.equal((nested.error as GraphQLErrorJson[])[0]!.extensions?.limit, 'nesting');
    const fine = await ws.collect<{ __typename: string }>('{ __typename }');
    assert.equal(fine.results[0]?.data?.__typename, 'Query');
    await ws.close();
  });

  it('refuses a request body past maxBodyBytes, declared or chunked', async () => {
    const big = JSON.stringify({
      query: '{ __typename }',
      variables: { padding: 'x'.repeat(1_100_000) },
    });
    const declared = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${READ}` },
      body: big,
    });
    assert.equal(declared.status, 413);
    const error = ((await declared.json()) as { errors: GraphQLErrorJson[] }).errors[0]!;
    assert.equal(
      error.message,
      `the request body is ${big.length} bytes; at most 1048576 are accepted (server.json limits.maxBodyBytes)`,
    );
    assert.deepEqual(error.extensions, { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 'maxBodyBytes' });
    await stillServing();

    const chunks = [big.slice(0, 600_000), big.slice(600_000)];
    const chunked = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${READ}` },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    const chunkedError = ((await chunked.json()) as { errors: GraphQLErrorJson[] }).errors[0]!;
    assert.match(chunkedError.message, /too large/i);
    assert.equal(
      chunkedError.extensions?.code,
      'REQUEST_ENTITY_TOO_LARGE',
      'the same code, however the body came',
    );
    await stillServing();
  });

  it('caps the operations in flight on one WebSocket, and frees a slot when one completes', async () => {
    const ws = wsCaller(t.url, answers, { authorization: `Bearer ${READ}` });
    const errors: unknown[] = [];
    const open = Array.from({ length: 3 }, () =>
      ws.client.subscribe(
        { query: 'subscription { jobEvents { change } }' },
        { next: () => {}, error: (e) => errors.push(e), complete: () => {} },
      ),
    );
    const fourth = await ws.collect('subscription { jobEvents { change } }');
    const refusal = (fourth.error as GraphQLErrorJson[])[0]!;
    assert.equal(
      refusal.message,
      'this connection already has 3 operations in flight; at most 3 are allowed (complete one, or open another connection) (server.json limits.maxSubscriptionsPerConnection)',
    );
    assert.deepEqual(refusal.extensions, {
      code: 'LIMIT_EXCEEDED',
      limit: 'maxSubscriptionsPerConnection',
    });

    // Another connection has its own slots; this one gets a slot back when a subscription ends.
    const other = wsCaller(t.url, answers, { authorization: `Bearer ${READ}` });
    assert.equal(
      (await other.collect<{ __typename: string }>('{ __typename }')).results[0]?.data?.__typename,
      'Query',
    );
    open[0]!();
    const again = await ws.collect<{ __typename: string }>('{ __typename }');
    assert.equal(again.results[0]?.data?.__typename, 'Query');
    assert.deepEqual(errors, []);
    await other.close();
    await ws.close();
    await stillServing();
  });

  it('caps open server-sent-event subscriptions per client, and frees a slot when one is closed', async () => {
    const openSse = async (token: string) => {
      const controller = new AbortController();
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ query: 'subscription { jobEvents { change } }' }),
        signal: controller.signal,
      });
      return { response, close: () => controller.abort() };
    };
    const first = await openSse(READ);
    const second = await openSse(READ);
    assert.equal(first.response.status, 200);
    assert.equal(second.response.status, 200);
    const third = await openSse(READ);
    assert.equal(third.response.status, 429);
    const text = await third.response.text();
    assert.match(
      text,
      /this client already has 2 open subscriptions over server-sent events; at most 2 are allowed/,
    );
    assert.match(text, /"limit":"maxSseSubscriptionsPerClient"/);
    const otherToken = await openSse(WRITE);
    assert.equal(otherToken.response.status, 200, 'another token is another client');
    otherToken.close();

    first.close();
    // The server notices the closed stream on its own time: try until a slot is free.
    let fourth = await openSse(READ);
    for (let tries = 0; fourth.response.status !== 200 && tries < 200; tries++) {
      fourth.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
      fourth = await openSse(READ);
    }
    assert.equal(fourth.response.status, 200, 'a closed stream frees its slot');
    fourth.close();
    second.close();
    await stillServing();
  });

  it('refuses job specs with too many steps or too large arguments in both forms, queuing nothing', async () => {
    const count = async () =>
      (await writer.data<{ jobs: { nodes: unknown[] } }>('{ jobs(first: 100) { nodes { id } } }'))
        .jobs.nodes.length;
    const before = await count();
    const six = Array.from({ length: 6 }, (_, i) => producer(`p${i}`));
    const document = {
      pipeline_structure: Object.fromEntries(
        six.map((s) => [
          s.name,
          {
            component_class_name: s.componentClassName,
            pre_component_name: '',
            component_arguments: {},
          },
        ]),
      ),
    };
    const cases: [unknown, RegExp][] = [
      [
        { steps: six },
        /^the job spec has 6 steps; at most 5 are allowed \(server\.json limits\.maxJobSteps\)$/,
      ],
      [{ document }, /^the job spec has 6 steps; at most 5 are allowed/],
      [
        { steps: [producer('p', { padding: 'x'.repeat(300) })] },
        /^the componentArguments of step "p" are 31\d bytes of JSON; at most 200 are allowed \(server\.json limits\.maxComponentArgumentBytes\)$/,
      ],
      [
        {
          document: {
            pipeline_structure: {
              big: {
                component_class_name: 'TestRowsProducer',
                pre_component_name: '',
                component_arguments: { padding: '字'.repeat(80) },
              },
            },
          },
        },
        /^the componentArguments of step "big" are 25\d bytes of JSON/,
      ],
    ];
    for (const [input, message] of cases) {
      const answer = (
        await writer.data<{ submitJob: { __typename: string; message: string; code: string } }>(
          SUBMIT,
          { input },
        )
      ).submitJob;
      assert.equal(answer.__typename, 'LimitExceeded');
      assert.equal(answer.code, 'LIMIT_EXCEEDED');
      assert.match(answer.message, message);
    }
    assert.equal(await count(), before, 'nothing was queued');
    // The engine refuses them too, for every submitter (schedules and retries go through it).
    await assert.rejects(
      t.app.executor.submit({ steps: six }),
      (error: unknown) => error instanceof LimitExceededError && /6 steps/.test(error.message),
    );
    // Specs within the limits still run.
    assert.equal(
      (
        await writer.data<{ submitJob: { __typename: string } }>(SUBMIT, {
          input: {
            steps: six
              .slice(0, 5)
              .map((s, i) => ({ ...s, name: `q${i}` }))
              .slice(0, 1),
          },
        })
      ).submitJob.__typename,
      'Job',
    );
  });
});
