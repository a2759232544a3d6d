/**
 * Secrets: the real server process, configured with a MySQL user's password (and a wrong one for a
 * second target) and with API tokens from the environment and from a tokens file, runs a
 * representative workload: queries (storageTargets included), /health, GraphiQL, jobs that write
 * to MySQL and one that fails on the refused password, their logs over HTTP, graphql-ws and SSE,
 * refused tokens and scopes, and configuration errors. Every log line the process printed and
 * every answer it sent must be free of every configured password and token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { loadAppConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/errors.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { writeTestConfig } from '../support/test-app.js';
import { Answers, caller, wsCaller, type Caller } from './auth-support.js';
import { hardeningConfigDir } from './support.js';

const secret = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;
const PASSWORD = secret('pw');
const WRONG_PASSWORD = secret('wrongpw');
const WRITE_TOKEN = secret('write');
const READ_TOKEN = secret('read');
const FILE_TOKEN = secret('file');
const SECRETS = [PASSWORD, WRONG_PASSWORD, WRITE_TOKEN, READ_TOKEN, FILE_TOKEN];
const USER = 'fda_secret_test';

const TRADE_DAYS = (targets: string[]) => ({
  steps: [
    {
      name: 'producer_0',
      componentClassName: 'BaoStockTradeDayProducer',
      componentArguments: { source: 'offline', from: '2024-01-01', to: '2024-03-31' },
    },
    {
      name: 'processor_0',
      componentClassName: 'BaoStockTradeDayProcessor',
      preComponentName: 'producer_0',
    },
    {
      name: 'storager_0',
      componentClassName: 'BaoStockTradeDayStorager',
      preComponentName: 'processor_0',
      componentArguments: { targets },
    },
  ],
});
const SUBMIT =
  'mutation($input: SubmitJobInput!) { submitJob(input: $input) { __typename ... on Job { id } ... on Error { message code } } }';
const JOB =
  'query($id: ID!) { job(id: $id) { id status error logCount steps { name status error result } spec { document } logs(first: 1000) { lines { level message } } } }';

describe(
  'no configured password or token appears in any log line or answer',
  { skip: await mysqlSkipReason() },
  () => {
    const answers = new Answers();
    const server = mysqlTestServer();
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let dir: string;
    let serverProcess: ServerProcess;
    let writer: Caller;
    let reader: Caller;

    const asRoot = async (work: (c: mysql.Connection) => Promise<unknown>) => {
      const c = await mysql.createConnection(server);
      try {
        await work(c);
      } finally {
        await c.end();
      }
    };

    before(async () => {
      database = await createTestDatabase('secrets');
      await asRoot(async (c) => {
        await c.query('DROP USER IF EXISTS ?@?', [USER, '%']);
        await c.query('CREATE USER ?@? IDENTIFIED BY ?', [USER, '%', PASSWORD]);
        await c.query(`GRANT ALL ON \`${database.name}\`.* TO ?@?`, [USER, '%']);
      });
      const target = (password: string) => ({
        host: server.host,
        port: server.port,
        user: USER,
        password,
        database: database.name,
        pool: { connectTimeoutMs: 2000 },
      });
      dir = hardeningConfigDir({
        server: { auth: { tokensFile: 'tokens.json' }, log: { level: 'debug', batchMs: 10 } },
        storage: {
          control: 'local',
          sqlite: { local: { file: 'control.sqlite' } },
          mysql: {
            secured: target('${FDA_TEST_DB_PASSWORD}'),
            refused: target('${FDA_TEST_WRONG_PASSWORD}'),
          },
        },
      });
      writeFileSync(
        join(dir, 'tokens.json'),
        JSON.stringify({
          tokens: [{ name: 'file-writer', scopes: ['write'], token: '${FDA_TEST_FILE_TOKEN}' }],
        }),
      );
      serverProcess = await startServerProcess(dir, {
        FDA_TEST_DB_PASSWORD: PASSWORD,
        FDA_TEST_WRONG_PASSWORD: WRONG_PASSWORD,
        FDA_TEST_FILE_TOKEN: FILE_TOKEN,
        FDA_TOKENS: `ops:write:${WRITE_TOKEN},viewer:read:${READ_TOKEN}`,
      });
      writer = caller(serverProcess.url, answers, WRITE_TOKEN);
      reader = caller(serverProcess.url, answers, READ_TOKEN);
    });
    after(async () => {
      await serverProcess?.stop();
      await asRoot((c) => c.query('DROP USER IF EXISTS ?@?', [USER, '%'])).catch(() => undefined);
      await database?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('lists the storage targets: the one with the password works, the refused one says why, neither shows a password', async () => {
      const { storageTargets } = await reader.data<{
        storageTargets: {
          name: string;
          location: string;
          reachable: boolean;
          error: string | null;
        }[];
      }>('{ storageTargets { name location reachable error tables { table rows } } }');
      const byName = new Map(storageTargets.map((t) => [t.name, t]));
      assert.equal(byName.get('secured')?.reachable, true, byName.get('secured')?.error ?? '');
      assert.equal(byName.get('refused')?.reachable, false);
      assert.match(
        byName.get('refused')!.error!,
        new RegExp(`Access denied for user '${USER}'@'[^']+' \\(using password: YES\\)`),
      );
      assert.equal(
        byName.get('secured')?.location,
        `mysql://${USER}@${server.host}:${server.port}/${database.name}`,
      );
      const health = await fetch(`${serverProcess.url}/health`);
      answers.record(await health.text());
      const page = await fetch(`${serverProcess.url}/graphql`, {
        headers: { accept: 'text/html' },
      });
      answers.record(await page.text());
    });

    it('runs a job into MySQL and one that fails on the refused password, and serves their logs over HTTP, graphql-ws and SSE', async () => {
      const ok = await writer.data<{ submitJob: { id: string } }>(SUBMIT, {
        input: TRADE_DAYS(['local', 'secured']),
      });
      const failing = await writer.data<{ submitJob: { id: string } }>(SUBMIT, {
        input: TRADE_DAYS(['refused']),
      });
      const ws = wsCaller(serverProcess.url, answers, { authorization: `Bearer ${READ_TOKEN}` });
      try {
        for (const [id, status] of [
          [ok.submitJob.id, 'FINISHED'],
          [failing.submitJob.id, 'FAILED'],
        ] as const) {
          const followed = await ws.collect<{ jobStatus: { job: { status: string } } }>(
            'subscription($id: ID!) { jobStatus(id: $id) { job { status error } } }',
            { id },
          );
          assert.equal(followed.results.at(-1)?.data?.jobStatus.job.status, status);
          const logs = await ws.collect(
            'subscription($id: ID!) { jobLogs(id: $id) { lines { level step message } } }',
            { id },
          );
          assert.ok(logs.results.length > 0);
          await reader.sse('subscription($id: ID!) { jobLogs(id: $id) { lines { message } } }', {
            id,
          });
          await reader.data(JOB, { id });
        }
      } finally {
        await ws.close();
      }
      const { job } = await reader.data<{ job: { error: string } }>(JOB, {
        id: failing.submitJob.id,
      });
      assert.match(job.error, /storage target "refused"/);
      assert.match(job.error, /Access denied/);
      const { tradeDays } = await reader.data<{ tradeDays: unknown[] }>(
        '{ tradeDays(from: "2024-01-01", to: "2024-03-31", target: "secured") { date } }',
      );
      assert.equal(tradeDays.length, 91);
      const fileWriter = caller(serverProcess.url, answers, FILE_TOKEN);
      assert.equal(
        (
          await fileWriter.data<{ submitJob: { __typename: string } }>(SUBMIT, {
            input: { steps: [{ name: 'p', componentClassName: 'TestRowsProducer' }] },
          })
        ).submitJob.__typename,
        'Job',
      );
    });

    it('refuses wrong tokens, a read token’s mutation and a bad WebSocket, without echoing what was sent', async () => {
      const wrong = caller(serverProcess.url, answers, `${WRITE_TOKEN}x`);
      const refused = await wrong.post('{ __typename }');
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      const truncated = caller(serverProcess.url, answers, READ_TOKEN.slice(0, -1));
      assert.equal(
        (await truncated.post('{ __typename }')).body.errors?.[0]?.extensions?.code,
        'UNAUTHENTICATED',
      );
      const malformed = caller(serverProcess.url, answers, undefined, `Token ${WRITE_TOKEN}`);
      assert.equal(
        (await malformed.post('{ __typename }')).body.errors?.[0]?.extensions?.code,
        'UNAUTHENTICATED',
      );
      const forbidden = await reader.post(SUBMIT, {
        input: { steps: [{ name: 'p', componentClassName: 'TestRowsProducer' }] },
      });
      assert.equal(forbidden.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      const badSocket = wsCaller(serverProcess.url, answers, {
        authorization: `Bearer ${READ_TOKEN}0`,
      });
      const attempt = badSocket.collect('{ __typename }');
      assert.equal((await badSocket.closed).code, 4403);
      await attempt;
      await badSocket.close();
    });

    it('configuration errors near a secret do not print it', () => {
      const configDir = mkdtempSync(join(tmpdir(), 'fda-secrets-config-'));
      const messages: string[] = [];
      const load = (storage: string, env: NodeJS.ProcessEnv = {}) => {
        writeFileSync(join(configDir, 'storage.json'), storage);
        try {
          loadAppConfig({ FDA_CONFIG_DIR: configDir, ...env });
          return 'loaded';
        } catch (error) {
          assert.ok(error instanceof ConfigError, String(error));
          messages.push(error.message);
          return error.message;
        }
      };
      try {
        writeTestConfig(configDir, {});
        const mysqlTarget = (extra: Record<string, unknown>) =>
          JSON.stringify({ mysql: { db: { user: USER, database: 'x', ...extra } } });
        assert.match(
          load(mysqlTarget({ password: '${FDA_TEST_DB_PASSWORD}', port: 'three' }), {
            FDA_TEST_DB_PASSWORD: PASSWORD,
          }),
          /mysql\.db\.port/,
        );
        assert.match(
          load(mysqlTarget({ password: PASSWORD, pasword: PASSWORD })),
          /unknown field "pasword"/,
        );
        // V8 quotes the text around some JSON syntax errors: here, the unquoted password itself.
        assert.match(
          load(`{ "mysql": { "db": { "user": "u", "database": "x", "password": ${PASSWORD} } } }`),
          /not valid JSON: .*excerpt not shown/,
        );
        assert.match(load(mysqlTarget({ password: 42 })), /mysql\.db\.password/);
        writeFileSync(
          join(configDir, 'storage.json'),
          JSON.stringify({ sqlite: { local: { file: 'x.sqlite' } } }),
        );
        for (const tokens of [
          `ops:admin:${WRITE_TOKEN}`,
          `ops write ${WRITE_TOKEN}`,
          `o p:write:${WRITE_TOKEN}`,
          `ops:write:${WRITE_TOKEN} ${READ_TOKEN}`,
        ]) {
          try {
            loadAppConfig({ FDA_CONFIG_DIR: configDir, FDA_TOKENS: tokens });
            assert.fail(`FDA_TOKENS=${tokens.replace(WRITE_TOKEN, '<token>')} was accepted`);
          } catch (error) {
            assert.ok(error instanceof ConfigError, String(error));
            messages.push(error.message);
          }
        }
        answers.texts.push(...messages);
      } finally {
        rmSync(configDir, { recursive: true, force: true });
      }
    });

    it('prints no password or token anywhere: every log line of the process, every answer', async () => {
      assert.equal(await serverProcess.stop(), 0);
      const output = serverProcess.output();
      const lines = output.split('\n').filter(Boolean);
      // The workload was logged: the refused password and the refused tokens among it.
      assert.ok(lines.length > 30, `only ${lines.length} lines`);
      assert.match(output, /Access denied for user/);
      assert.match(output, /4403|refused/);
      assert.ok(answers.texts.length > 20);
      for (const value of SECRETS) {
        const inLogs = lines.filter((line) => line.includes(value));
        assert.deepEqual(inLogs, [], 'a secret leaked into the log');
      }
      assert.deepEqual(answers.leaked(SECRETS), [], 'a secret leaked into an answer');
    });
  },
);
