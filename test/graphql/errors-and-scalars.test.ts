import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphQLError, type GraphQLScalarType } from 'graphql';
import { schema } from '../../src/graphql/schema/index.js';
import type { TestApp } from '../support/test-app.js';
import { gql, post, startGraphQLTestApp } from './support.js';

describe('unexpected errors', () => {
  let t: TestApp;
  before(async () => {
    t = await startGraphQLTestApp();
  });
  after(async () => t.destroy());

  it('are masked for the client and logged in full', async () => {
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      'mutation { submitJob(input: { steps: [{ name: "p", componentClassName: "TestRowsProducer" }] }) { ... on Job { id } } }',
    );
    const target = t.app.targets.control();
    if (target.dialect !== 'sqlite') throw new Error('expected the SQLite control target');
    const { sqlite } = await target.connect();
    // Breaking the store behind the server's back is the one way to make a resolver fail unexpectedly.
    sqlite.exec('ALTER TABLE job_log_lines RENAME TO job_log_lines_away');
    try {
      const { status, body } = await post(
        t.url,
        'query($id: ID!) { job(id: $id) { id logs { cursor } } }',
        { id: submitJob.id },
      );
      assert.equal(status, 200);
      assert.deepEqual(body.data, { job: null });
      assert.equal(body.errors![0]!.message, 'Unexpected error.');
      assert.equal(body.errors![0]!.extensions?.code, 'INTERNAL_SERVER_ERROR');
      assert.doesNotMatch(JSON.stringify(body), /job_log_lines/);
      const logged = t.logs
        .map((l) => JSON.parse(l) as { msg?: string; err?: { message?: string; stack?: string } })
        .find((l) => l.msg?.includes('unexpected error'));
      assert.ok(logged, 'the error was logged');
      assert.match(logged.err!.message!, /no such table: job_log_lines/);
      assert.ok(logged.err!.stack, 'with its stack');
    } finally {
      sqlite.exec('ALTER TABLE job_log_lines_away RENAME TO job_log_lines');
    }
  });
});

describe('custom scalars', () => {
  const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;
  const rejects = (name: string, value: unknown, message: RegExp) =>
    assert.throws(
      () => scalar(name).parseValue(value),
      (error: unknown) => error instanceof GraphQLError && message.test(error.message),
    );

  it('Date takes only real calendar days written YYYY-MM-DD', () => {
    assert.equal(scalar('Date').parseValue('2024-02-29'), '2024-02-29');
    rejects('Date', '2023-02-29', /Date "2023-02-29" is not a real calendar day/);
    rejects('Date', '2024-13-01', /not a real calendar day/);
    rejects(
      'Date',
      '2024-5-6',
      /Date must be a calendar day written YYYY-MM-DD, e\.g\. "2024-05-06"; got "2024-5-6"/,
    );
    rejects('Date', 20240506, /got number/);
    assert.equal(scalar('Date').serialize('2024-05-06'), '2024-05-06');
  });

  it('DateTime takes ISO 8601 instants with an offset and prints UTC', () => {
    assert.equal(
      (scalar('DateTime').parseValue('2024-05-06T17:30:00+08:00') as Date).toISOString(),
      '2024-05-06T09:30:00.000Z',
    );
    assert.equal(
      (scalar('DateTime').parseValue('2024-05-06T09:30:00.123Z') as Date).toISOString(),
      '2024-05-06T09:30:00.123Z',
    );
    rejects('DateTime', '2024-05-06T09:30:00', /with an offset/);
    rejects('DateTime', '2024-02-30T09:30:00Z', /DateTime must be an ISO 8601/);
    rejects('DateTime', 'yesterday', /got "yesterday"/);
    assert.equal(
      scalar('DateTime').serialize(new Date(Date.UTC(2024, 4, 6, 9, 30))),
      '2024-05-06T09:30:00.000Z',
    );
  });

  it('JSON passes any value through, literals included', async () => {
    const t = await startGraphQLTestApp();
    try {
      const literal = await post<{
        submitJob: { __typename: string; problems: { path: string }[] };
      }>(
        t.url,
        'mutation { submitJob(input: { document: { pipeline_structure: { p: { component_class_name: "TestRowsProducer", pre_component_name: "", component_arguments: { rows: 2, nested: [1, "two", null, { three: true }] } } } } }) { __typename ... on JobSpecInvalid { problems { path } } } }',
      );
      // The literal arrived whole: the component's schema objects to the one unknown field inside it.
      assert.deepEqual(literal.body.data?.submitJob, {
        __typename: 'JobSpecInvalid',
        problems: [{ path: 'pipeline_structure.p.component_arguments' }],
      });
    } finally {
      await t.destroy();
    }
  });
});
