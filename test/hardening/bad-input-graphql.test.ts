/**
 * Bad input at the GraphQL boundary, over real HTTP, graphql-ws and SSE: broken documents,
 * variables, `@oneOf` inputs and scalar values, malformed requests and protocol messages. Each
 * case names the error it must get; afterwards the server still answers and nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { TestApp } from '../support/test-app.js';
import { collect, collectSse, connectWs, gql, wsUrl, type WsClient } from '../graphql/support.js';
import { dataSnapshot, startHardeningApp, steps, submitJob, waitForFinal } from './support.js';

interface HttpRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: string;
  /** Sent as the body instead of `{ query, variables, operationName }`. */
  raw?: string;
  contentType?: string;
  method?: 'GET';
}

interface Expected {
  status: number;
  /** `extensions.code` of the first error; null when GraphQL gives none (variable coercion). */
  code: string | null;
  message: RegExp;
}

const SUBMIT_VAR = 'mutation($i: SubmitJobInput!) { submitJob(input: $i) { __typename } }';
const deepList = (depth: number) =>
  `{ jobs(status: ${'['.repeat(depth)}${']'.repeat(depth)}) { nodes { id } } }`;
const manyAliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;

/** The HTTP cases: [what is wrong, the request, the error it must get]. */
const HTTP_CASES: [string, HttpRequest, Expected][] = [
  [
    'a syntax error',
    { query: '{ jobs { ' },
    {
      status: 400,
      code: 'GRAPHQL_PARSE_FAILED',
      message: /^Syntax Error: Expected Name, found <EOF>\.$/,
    },
  ],
  [
    'an unknown field',
    { query: '{ nope }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Cannot query field "nope" on type "Query"\./,
    },
  ],
  [
    'an unknown argument',
    { query: '{ jobs(sort: "id") { nodes { id } } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Unknown argument "sort" on field "Query\.jobs"\./,
    },
  ],
  [
    'a required argument left out',
    { query: '{ job { id } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Field "job" argument "id" of type "ID!" is required, but it was not provided\.$/,
    },
  ],
  [
    'an object field without a selection',
    { query: '{ jobs }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Field "jobs" of type "JobConnection!" must have a selection of subfields\./,
    },
  ],
  [
    'an enum value that does not exist',
    { query: '{ jobs(status: [DONE]) { nodes { id } } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Value "DONE" does not exist in "JobStatus" enum\./,
    },
  ],
  [
    'a fragment spreading itself',
    { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Cannot spread fragment "A" within itself via "B"\.$/,
    },
  ],
  [
    'an unknown directive',
    { query: '{ __typename @nope }' },
    { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: /^Unknown directive "@nope"\.$/ },
  ],
  [
    'a variable used but not declared',
    { query: '{ jobs(first: $f) { nodes { id } } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Variable "\$f" is not defined\.$/,
    },
  ],
  [
    'a variable of the wrong type',
    { query: 'query($f: Int) { jobs(first: $f) { nodes { id } } }', variables: { f: 'ten' } },
    {
      status: 400,
      code: null,
      message:
        /^Variable "\$f" got invalid value "ten"; Int cannot represent non-integer value: "ten"$/,
    },
  ],
  [
    'a required variable not sent',
    { query: 'query($id: ID!) { job(id: $id) { id } }' },
    {
      status: 400,
      code: null,
      message: /^Variable "\$id" of required type "ID!" was not provided\.$/,
    },
  ],
  [
    'variables that are not an object',
    { query: '{ __typename }', variables: 'x' },
    {
      status: 400,
      code: 'BAD_REQUEST',
      message: /^Expected "variables" param to be empty or an object, but given string\.$/,
    },
  ],
  [
    'a body that is not JSON',
    { raw: '{"query": "{ __typename }"' },
    { status: 400, code: 'BAD_REQUEST', message: /^POST body sent invalid JSON\.$/ },
  ],
  [
    'a query that is not a string',
    { query: 42 },
    {
      status: 400,
      code: 'BAD_REQUEST',
      message: /^Expected "query" param to be a string, but given number\.$/,
    },
  ],
  [
    'no query at all',
    { raw: '{}' },
    { status: 400, code: 'BAD_REQUEST', message: /^Must provide query string\.$/ },
  ],
  [
    'two operations and no operationName',
    { query: 'query a { __typename } query b { __typename }' },
    {
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
      message: /^Could not determine what operation to execute\.$/,
    },
  ],
  [
    'an operationName naming no operation',
    { query: 'query a { __typename }', operationName: 'b' },
    {
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
      message: /^Could not determine what operation to execute\.$/,
    },
  ],
  [
    'a mutation sent with GET',
    { method: 'GET', query: 'mutation { reloadComponents { name } }' },
    {
      status: 405,
      code: 'BAD_REQUEST',
      message: /^Can only perform a mutation operation from a POST request\.$/,
    },
  ],
  [
    '@oneOf input with both keys',
    { query: 'mutation { submitJob(input: { steps: [], document: {} }) { __typename } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^OneOf Input Object "SubmitJobInput" must specify exactly one key\.$/,
    },
  ],
  [
    '@oneOf input with no key',
    { query: 'mutation { submitJob(input: {}) { __typename } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^OneOf Input Object "SubmitJobInput" must specify exactly one key\.$/,
    },
  ],
  [
    '@oneOf variable with both keys',
    { query: SUBMIT_VAR, variables: { i: { steps: [], document: {} } } },
    {
      status: 400,
      code: null,
      message:
        /^Variable "\$i" got invalid value .*; Exactly one key must be specified for OneOf type "SubmitJobInput"\.$/,
    },
  ],
  [
    '@oneOf variable with its one key null',
    { query: SUBMIT_VAR, variables: { i: { steps: null } } },
    {
      status: 400,
      code: null,
      message:
        /^Variable "\$i" got invalid value null at "i\.steps"; Field "steps" must be non-null\.$/,
    },
  ],
  [
    'a step input with an unknown field',
    {
      query: SUBMIT_VAR,
      variables: {
        i: {
          steps: [{ name: 'p', componentClassName: 'TestRowsProducer', component_arguments: {} }],
        },
      },
    },
    {
      status: 400,
      code: null,
      message:
        /^Variable "\$i" got invalid value .*; Field "component_arguments" is not defined by type "StepInput"\./,
    },
  ],
  [
    'a Date that is not a real day',
    { query: '{ tradeDays(from: "2024-02-30", to: "2024-03-01") { date } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Date "2024-02-30" is not a real calendar day$/,
    },
  ],
  [
    'a Date written the wrong way (variable)',
    {
      query: 'query($f: Date!) { tradeDays(from: $f, to: "2024-01-02") { date } }',
      variables: { f: '2024-1-1' },
    },
    {
      status: 400,
      code: null,
      message:
        /^Variable "\$f" got invalid value "2024-1-1"; Date must be a calendar day written YYYY-MM-DD, e\.g\. "2024-05-06"; got "2024-1-1"$/,
    },
  ],
  [
    'a DateTime where a Date goes',
    { query: '{ tradeDays(from: "2024-01-01T00:00:00Z", to: "2024-01-02") { date } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message:
        /^Date must be a calendar day written YYYY-MM-DD, e\.g\. "2024-05-06"; got "2024-01-01T00:00:00Z"$/,
    },
  ],
  [
    'a Date written as a number',
    { query: '{ tradeDays(from: 20240101, to: "2024-01-02") { date } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Date must be written as a string YYYY-MM-DD$/,
    },
  ],
  [
    'a JSON literal using an undeclared variable',
    { query: 'mutation { submitJob(input: { document: { a: $x } }) { __typename } }' },
    {
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Variable "\$x" is not defined\.$/,
    },
  ],
  [
    'a page size past the limit',
    { query: '{ jobs(first: 1000) { nodes { id } } }' },
    { status: 200, code: 'VALIDATION', message: /^first must be between 1 and 100, not 1000$/ },
  ],
  [
    'a date range backwards',
    { query: '{ tradeDays(from: "2024-03-01", to: "2024-02-01") { date } }' },
    {
      status: 200,
      code: 'VALIDATION',
      message: /^to \(2024-02-01\) is before from \(2024-03-01\)$/,
    },
  ],
  [
    'a storage target that does not exist',
    { query: '{ tradeDays(from: "2024-01-01", to: "2024-01-02", target: "nowhere") { date } }' },
    { status: 200, code: 'NOT_FOUND', message: /^no target named "nowhere"$/ },
  ],
  // Limits (server.json `limits`): refused before anything runs, naming the setting.
  [
    'a body past the size limit',
    {
      raw: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(30_000_000) } }),
    },
    {
      status: 413,
      code: 'REQUEST_ENTITY_TOO_LARGE',
      message:
        /^the request body is \d+ bytes; at most \d+ are accepted \(server\.json limits\.maxBodyBytes\)$/,
    },
  ],
  // A list nested 5,000 deep used to overflow the parser's stack (a masked 500); now refused before parsing.
  [
    'a list nested 5,000 deep',
    { query: deepList(5000) },
    {
      status: 400,
      code: 'LIMIT_EXCEEDED',
      message: /^the document nests braces, brackets or parentheses more than \d+ deep \(line 1\)$/,
    },
  ],
  [
    'a document of 20,000 aliases',
    { query: manyAliases(20_000) },
    {
      status: 400,
      code: 'LIMIT_EXCEEDED',
      message: /^the document has more than \d+ tokens \(server\.json limits\.maxTokens\)$/,
    },
  ],
  [
    '16 aliased fields',
    {
      query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: offlineCalendar { coveredFrom }`).join(' ')} }`,
    },
    {
      status: 400,
      code: 'LIMIT_EXCEEDED',
      message: /^Aliases limit of 15 exceeded, found 16 \(server\.json limits\.maxAliases\)$/,
    },
  ],
  [
    '21 directives',
    { query: `{ __typename ${'@include(if: true) '.repeat(21)}}` },
    {
      status: 400,
      code: 'LIMIT_EXCEEDED',
      message: /^Directives limit of 20 exceeded, found 21 \(server\.json limits\.maxDirectives\)$/,
    },
  ],
];

interface Answer {
  status: number;
  errors: { message: string; extensions?: { code?: string } }[];
}

async function send(url: string, request: HttpRequest): Promise<Answer> {
  let response: Response;
  if (request.method === 'GET') {
    const params = new URLSearchParams({ query: String(request.query) });
    response = await fetch(`${url}/graphql?${params}`, {
      headers: { accept: 'application/graphql-response+json, application/json' },
    });
  } else {
    const body =
      request.raw ??
      JSON.stringify({
        query: request.query,
        variables: request.variables,
        operationName: request.operationName,
      });
    response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': request.contentType ?? 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body,
    });
  }
  const text = await response.text();
  const json = text === '' ? {} : (JSON.parse(text) as { errors?: Answer['errors'] });
  return { status: response.status, errors: json.errors ?? [] };
}

/** The graphql-ws cases: a subscription the server must refuse with this error, keeping the connection. */
const WS_CASES: [
  string,
  string,
  Record<string, unknown> | undefined,
  { code: string | null; message: RegExp },
][] = [
  [
    'a syntax error',
    'subscription { jobLogs( }',
    undefined,
    { code: 'GRAPHQL_PARSE_FAILED', message: /^Syntax Error: Expected Name, found "}"\.$/ },
  ],
  [
    'an unknown subscription field',
    'subscription { nope }',
    undefined,
    {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /^Cannot query field "nope" on type "Subscription"\./,
    },
  ],
  [
    'a job that does not exist',
    'subscription { jobLogs(id: "nope") { cursor } }',
    undefined,
    { code: 'NOT_FOUND', message: /^no job named "nope"$/ },
  ],
  [
    'an ID variable of the wrong type',
    'subscription($id: ID!) { jobStatus(id: $id) { change } }',
    { id: 5.5 },
    {
      code: null,
      message: /^Variable "\$id" got invalid value 5\.5; ID cannot represent value: 5\.5$/,
    },
  ],
  [
    'a list nested 5,000 deep',
    `subscription { jobLogs(id: ${'['.repeat(5000)}${']'.repeat(5000)}) { cursor } }`,
    undefined,
    {
      code: 'LIMIT_EXCEEDED',
      message: /^the document nests braces, brackets or parentheses more than \d+ deep \(line 1\)$/,
    },
  ],
];

/** Opens a raw graphql-ws socket, optionally initialises it, sends `message` and returns how the server closed it. */
async function closedAfter(url: string, message: string, init: boolean): Promise<[number, string]> {
  const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const closed = new Promise<[number, string]>((resolve) =>
    socket.once('close', (code, reason) => resolve([code, reason.toString()])),
  );
  await new Promise((resolve) => socket.once('open', resolve));
  if (init) {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
  }
  socket.send(message);
  return closed;
}

describe('bad input at the GraphQL boundary', () => {
  let t: TestApp;
  let initial: unknown;

  before(async () => {
    t = await startHardeningApp();
    // Something to leave unchanged: a finished job with lines, and a stored calendar month.
    const seeded = await submitJob(
      t.url,
      steps(
        [
          'producer_0',
          'BaoStockTradeDayProducer',
          '',
          { source: 'offline', from: '2024-01-01', to: '2024-01-31' },
        ],
        ['processor_0', 'BaoStockTradeDayProcessor', 'producer_0'],
        ['storager_0', 'BaoStockTradeDayStorager', 'processor_0'],
      ),
    );
    assert.equal((await waitForFinal(t.url, seeded)).status, 'FINISHED');
    initial = await dataSnapshot(t.url);
  });
  after(async () => t?.destroy());

  for (const [name, request, expected] of HTTP_CASES) {
    it(`HTTP: ${name} → ${expected.status} ${expected.code ?? '(no code)'}`, async () => {
      const answer = await send(t.url, request);
      assert.equal(answer.status, expected.status, JSON.stringify(answer.errors));
      const [first] = answer.errors;
      assert.ok(first, 'an error is returned');
      assert.equal(first.extensions?.code ?? null, expected.code, first.message);
      assert.match(first.message, expected.message);
    });
  }

  it('HTTP: a body that is not JSON at all → 403 (a page could send it as a form); with the CSRF header, 415', async () => {
    const plain = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{ __typename }',
    });
    assert.equal(plain.status, 403);
    await plain.arrayBuffer();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-graphql-csrf': '1' },
      body: '{ __typename }',
    });
    assert.equal(response.status, 415);
    await response.arrayBuffer();
  });

  describe('over graphql-ws', () => {
    let ws: WsClient;
    before(() => {
      ws = connectWs(t.url);
    });
    after(async () => ws?.close());

    for (const [name, query, variables, expected] of WS_CASES) {
      it(`a subscription with ${name} is refused with its error; the connection stays`, async () => {
        const { results, error } = await collect(ws, query, variables);
        // A document that cannot run comes back as the protocol's `error` message; a failed execution as a result with errors.
        const errors =
          (error as { message: string; extensions?: { code?: string } }[] | undefined) ??
          (results[0]?.errors as { message: string; extensions?: { code?: string } }[] | undefined);
        assert.ok(errors?.[0], `an error for ${name}: ${JSON.stringify({ results, error })}`);
        assert.match(errors[0].message, expected.message);
        assert.equal(errors[0].extensions?.code ?? null, expected.code);
        assert.equal(
          (await collect(ws, '{ __typename }')).results[0]?.data?.__typename,
          'Query',
          'the same connection still answers',
        );
      });
    }

    const PROTOCOL_CASES: [string, string, boolean, number, RegExp][] = [
      ['a message that is not JSON', 'not json', true, 4400, /^Invalid message received$/],
      [
        'a message of an unknown type',
        JSON.stringify({ type: 'bogus' }),
        true,
        4400,
        /^Invalid message received$/,
      ],
      [
        'a subscribe before connection_init',
        JSON.stringify({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } }),
        false,
        4401,
        /^Unauthorized$/,
      ],
      [
        'a subscribe without a payload',
        JSON.stringify({ type: 'subscribe', id: '1' }),
        true,
        4400,
        /^Invalid message received$/,
      ],
    ];
    for (const [name, message, init, code, reason] of PROTOCOL_CASES) {
      it(`${name} closes that socket with ${code}`, async () => {
        const [closedCode, closedReason] = await closedAfter(t.url, message, init);
        assert.equal(closedCode, code);
        assert.match(closedReason, reason);
      });
    }

    it('a socket without the graphql-transport-ws subprotocol is closed with 4406', async () => {
      const socket = new WebSocket(wsUrl(t.url));
      const [code, reason] = await new Promise<[number, string]>((resolve) =>
        socket.once('close', (c, r) => resolve([c, r.toString()])),
      );
      assert.deepEqual([code, reason], [4406, 'Subprotocol not acceptable']);
    });
  });

  it('over SSE: a syntax error and an unknown job come back as errors, then the stream completes', async () => {
    for (const [query, code, message] of [
      [
        'subscription { jobStatus(id: ) { change } }',
        'GRAPHQL_PARSE_FAILED',
        /^Syntax Error: Unexpected "\)"\.$/,
      ],
      ['subscription { jobStatus(id: "nope") { change } }', 'NOT_FOUND', /^no job named "nope"$/],
    ] as const) {
      const { status, events } = await collectSse(t.url, query);
      assert.equal(status, 200);
      assert.deepEqual(
        events.map((e) => e.event),
        ['next', 'complete'],
      );
      const error = (
        JSON.parse(events[0]!.data) as {
          errors: { message: string; extensions: { code: string } }[];
        }
      ).errors[0]!;
      assert.equal(error.extensions.code, code);
      assert.match(error.message, message);
    }
  });

  it('afterwards the server still answers, runs jobs, and nothing it holds changed', async () => {
    assert.deepEqual(
      await dataSnapshot(t.url),
      initial,
      'no refused input changed jobs, trade days or tables',
    );
    assert.deepEqual(await gql(t.url, '{ __typename }'), { __typename: 'Query' });
    const id = await submitJob(t.url, steps(['p', 'TestRowsProducer', '', { rows: 2, lines: 3 }]));
    assert.equal((await waitForFinal(t.url, id)).status, 'FINISHED');
  });
});
