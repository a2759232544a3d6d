/**
 * Access control on a real server with real clients: tokens from FDA_TOKENS and from a tokens
 * file, over HTTP, server-sent events and graphql-ws; refused calls change nothing; no token ever
 * appears in a log line or an answer.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { Answers, caller, wsCaller, type Caller } from './auth-support.js';

const secret = (label: string) => `${label}-${randomBytes(18).toString('base64url')}`;
const READ = secret('read');
const WRITE = secret('write');
const FILE_WRITE = secret('file-write');
const FILE_READ = secret('file-read');
const SECRETS = [READ, WRITE, FILE_WRITE, FILE_READ];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const SUBMIT = `mutation Submit($rows: Int!) {
  submitJob(input: { steps: [{ name: "p", componentClassName: "TestRowsProducer", componentArguments: { rows: $rows, lines: 2 } }] }) {
    __typename ... on Job { id status } ... on Error { message code }
  }
}`;
const STATUS = 'subscription Follow($id: ID!) { jobStatus(id: $id) { change job { id status } } }';
const JOB_COUNT = '{ jobs(first: 100) { nodes { id } } }';

describe('access control over HTTP, server-sent events and graphql-ws', () => {
  const answers = new Answers();
  let t: TestApp;
  let dir: string;
  let anonymous: Caller;
  let reader: Caller;
  let writer: Caller;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fda-auth-'));
    writeTestConfig(dir, { server: { auth: { tokensFile: 'tokens.json' } } });
    writeFileSync(
      join(dir, 'tokens.json'),
      JSON.stringify({
        tokens: [
          { name: 'file-writer', scopes: ['write'], token: '${FDA_TEST_FILE_TOKEN}' },
          { name: 'file-reader', scopes: ['read'], sha256: sha256(FILE_READ) },
        ],
      }),
    );
    t = await startTestApp({
      dir,
      env: {
        FDA_TOKENS: `reader:read:${READ}, writer:write:${WRITE}`,
        FDA_TEST_FILE_TOKEN: FILE_WRITE,
      },
    });
    anonymous = caller(t.url, answers, undefined);
    reader = caller(t.url, answers, READ);
    writer = caller(t.url, answers, WRITE);
  });
  after(async () => {
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const jobCount = async () =>
    (await writer.data<{ jobs: { nodes: unknown[] } }>(JOB_COUNT)).jobs.nodes.length;
  const submitAs = async (who: Caller) =>
    await who.post<{ submitJob: { __typename: string; id?: string } }>(SUBMIT, { rows: 2 });

  it('refuses a caller with no token, a wrong one or a malformed header with UNAUTHENTICATED, changing nothing', async () => {
    const before = await jobCount();
    const cases: [string, Caller, RegExp][] = [
      [
        'no token',
        anonymous,
        /authentication required: send an API token as "Authorization: Bearer <token>"/,
      ],
      ['a wrong token', caller(t.url, answers, secret('wrong')), /the API token is not valid/],
      [
        'another scheme',
        caller(t.url, answers, undefined, `Basic ${Buffer.from(`x:${READ}`).toString('base64')}`),
        /must be "Bearer <token>"/,
      ],
      ['a bare token', caller(t.url, answers, undefined, READ), /must be "Bearer <token>"/],
    ];
    for (const [what, who, message] of cases) {
      for (const query of [SUBMIT, '{ components { name } }', '{ noSuchField }']) {
        const { status, body } = await who.post(query, { rows: 1 });
        assert.equal(status, 401, `${what}: HTTP 401`);
        assert.equal(body.data, undefined, what);
        assert.equal(body.errors?.length, 1, what);
        assert.equal(body.errors[0]!.extensions?.code, 'UNAUTHENTICATED', what);
        // Checked before parsing: an unauthenticated caller learns nothing about the schema.
        assert.match(body.errors[0]!.message, message, what);
      }
    }
    const get = await fetch(
      `${t.url}/graphql?query=${encodeURIComponent('{ components { name } }')}`,
      { headers: { accept: 'application/json' } },
    );
    answers.record(await get.text());
    assert.equal(get.status, 401);
    assert.match(get.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(await jobCount(), before, 'no job was submitted');
  });

  it('lets a read token query, introspect and read jobs, and refuses its mutations with FORBIDDEN, changing nothing', async () => {
    const before = await jobCount();
    const components = await reader.data<{ components: { name: string }[] }>(
      '{ components { name } }',
    );
    assert.ok(components.components.some((c) => c.name === 'TestRowsProducer'));
    const introspection = await reader.post<{ __schema: { types: unknown[] } }>(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        inputValueDeprecation: true,
        schemaDescription: true,
      }),
    );
    assert.equal(introspection.status, 200);
    assert.equal(introspection.body.errors, undefined);
    assert.ok(introspection.body.data!.__schema.types.length > 20);

    for (const mutation of [
      SUBMIT,
      'mutation { reloadComponents { name } }',
      'mutation { cancelJob(id: "x") { __typename } }',
    ]) {
      const { status, body } = await reader.post(mutation, { rows: 1 });
      assert.equal(status, 403);
      assert.equal(body.data, undefined);
      assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      assert.equal(
        body.errors[0].message,
        'a mutation needs the "write" scope; the token "reader" has only "read"',
      );
    }
    assert.equal(await jobCount(), before, 'no job was submitted');
  });

  it('lets a write token mutate; tokens from the file work with their own scopes', async () => {
    const submitted = await submitAs(writer);
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.data?.submitJob.__typename, 'Job');
    const fromFile = await submitAs(caller(t.url, answers, FILE_WRITE));
    assert.equal(
      fromFile.body.data?.submitJob.__typename,
      'Job',
      'the ${VAR} token of the file writes',
    );
    const hashedReader = caller(t.url, answers, FILE_READ);
    assert.ok(
      (await hashedReader.data<{ components: unknown[] }>('{ components { name } }')).components
        .length > 0,
      'the sha256 token of the file reads',
    );
    assert.equal((await submitAs(hashedReader)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const logged = t.logs
      .map((line) => JSON.parse(line) as { msg: string; tokenName?: string })
      .filter((l) => l.msg.startsWith('mutation by token'));
    assert.ok(
      logged.some((l) => l.tokenName === 'writer') &&
        logged.some((l) => l.tokenName === 'file-writer'),
      'mutations are logged with the token’s name',
    );
  });

  it('graphql-ws: closes a socket whose connection_init has a bad or no token with 4403; a read token subscribes but cannot mutate', async () => {
    for (const params of [
      { authorization: `Bearer ${secret('wrong')}` },
      { token: secret('wrong') },
      undefined,
      { authorization: READ },
    ]) {
      const ws = wsCaller(t.url, answers, params);
      const { results, error } = await ws.collect('{ __typename }');
      assert.deepEqual(results, []);
      assert.equal(
        (error as { code?: number }).code,
        4403,
        `closed as forbidden: ${JSON.stringify(Object.keys(params ?? {}))}`,
      );
      assert.equal((await ws.closed).code, 4403);
      await ws.close();
    }

    const job = (await submitAs(writer)).body.data!.submitJob;
    for (const [form, ws] of [
      [
        'connectionParams.authorization',
        wsCaller(t.url, answers, { authorization: `Bearer ${READ}` }),
      ],
      ['connectionParams.token', wsCaller(t.url, answers, { token: READ })],
      [
        'the upgrade request header',
        wsCaller(t.url, answers, undefined, { authorization: `Bearer ${READ}` }),
      ],
    ] as const) {
      const { results, error } = await ws.collect<{ jobStatus: { job: { status: string } } }>(
        STATUS,
        { id: job.id },
      );
      assert.equal(error, undefined, form);
      assert.equal(results.at(-1)?.data?.jobStatus.job.status, 'FINISHED', form);
      const refused = await ws.collect(SUBMIT, { rows: 1 });
      assert.equal(refused.results[0]?.errors?.[0]?.extensions?.code, 'FORBIDDEN', form);
      assert.equal(
        refused.results[0]?.errors?.[0]?.extensions?.http,
        undefined,
        'no HTTP status in a WebSocket frame',
      );
      await ws.close();
    }
    const writerWs = wsCaller(t.url, answers, { authorization: `Bearer ${WRITE}` });
    const written = await writerWs.collect<{ submitJob: { __typename: string } }>(SUBMIT, {
      rows: 1,
    });
    assert.equal(written.results[0]?.data?.submitJob.__typename, 'Job');
    await writerWs.close();
  });

  it('server-sent events: a bearer token subscribes; no token is refused', async () => {
    const job = (await submitAs(writer)).body.data!.submitJob;
    const followed = await reader.sse(STATUS, { id: job.id });
    assert.equal(followed.status, 200);
    const statuses = followed.events
      .filter((e) => e.event === 'next')
      .map(
        (e) =>
          (JSON.parse(e.data) as { data: { jobStatus: { job: { status: string } } } }).data
            .jobStatus.job.status,
      );
    assert.equal(statuses.at(-1), 'FINISHED');
    const refused = await anonymous.sse(STATUS, { id: job.id });
    assert.equal(refused.status, 401);
    const next = refused.events.find((e) => e.event === 'next');
    assert.equal(
      (JSON.parse(next!.data) as { errors: { extensions: { code: string } }[] }).errors[0]!
        .extensions.code,
      'UNAUTHENTICATED',
    );
  });

  it('serves GraphiQL (with a token field) and /health without a token', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    answers.record(html);
    assert.equal(page.status, 200);
    assert.match(html, /id="fda-token"/);
    const health = await fetch(`${t.url}/health`);
    answers.record(await health.text());
    assert.equal(health.status, 200);
  });

  it('never shows a token in a log line or an answer, and keeps answering', async () => {
    assert.ok(answers.texts.length > 40, 'answers were recorded');
    assert.deepEqual(
      answers.leaked([...SECRETS, ...SECRETS.map(sha256)]),
      [],
      'no token in any answer',
    );
    const logs = t.logs.join('\n');
    for (const [i, s] of SECRETS.entries()) {
      assert.ok(!logs.includes(s), `token ${i} is not in the log`);
      assert.ok(!logs.includes(sha256(s)), `the digest of token ${i} is not in the log`);
    }
    assert.ok(
      t.logs.some((l) => l.includes('request refused: the API token is not valid')),
      'refusals are logged',
    );
    assert.ok(t.logs.some((l) => l.includes('WebSocket refused (4403)')));
    assert.equal((await reader.data<{ __typename: string }>('{ __typename }')).__typename, 'Query');
  });
});
