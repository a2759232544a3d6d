/**
 * A job spec can reach no host and no secret the configuration did not give it: BaoStock
 * endpoints and their accounts live in sources.json; a job names an endpoint, nothing else; a
 * password goes to its own endpoint only and appears in no log line or answer.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { referenceCalendar } from '../support/reference-data.js';
import type { TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';
import { startHardeningApp, steps, submit, submitJob, waitForFinal } from './support.js';

const PASSWORD = 'baostock-account-password-7f3a9c';

describe('BaoStock credentials are the server’s, not the job’s', () => {
  let t: TestApp;
  let fake: FakeBaoStock;
  let listener: Server;
  let listenerPort: number;
  let bytesReceived = 0;

  before(async () => {
    // Where an attacker would like the password sent.
    listener = createServer((socket) =>
      socket.on('data', (chunk) => (bytesReceived += chunk.length)),
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerPort = (listener.address() as { port: number }).port;
    fake = await startFakeBaoStock({ calendar: referenceCalendar() });
    t = await startHardeningApp({
      env: { FDA_TEST_BAOSTOCK_PASSWORD: PASSWORD },
      sources: {
        default: 'account',
        baostock: {
          account: {
            host: fake.host,
            port: fake.port,
            user: 'quant-desk',
            password: '${FDA_TEST_BAOSTOCK_PASSWORD}',
          },
        },
      },
    });
  });
  after(async () => {
    await t?.destroy();
    await fake?.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('a spec that names a host, a port, a user or an environment variable is invalid, and no byte leaves', async () => {
    const answer = await submit(
      t.url,
      steps([
        'p',
        'BaoStockTradeDayProducer',
        '',
        { host: '127.0.0.1', port: listenerPort, user: 'attacker', passwordEnv: 'HOME' },
      ]),
    );
    assert.equal(answer.__typename, 'JobSpecInvalid');
    assert.deepEqual(answer.problems, [
      {
        path: 'steps[0].componentArguments',
        message: 'unknown fields "host", "port", "user", "passwordEnv"',
      },
    ]);
    const unknown = await submit(
      t.url,
      steps(['p', 'BaoStockTradeDayProducer', '', { endpoint: 'attacker' }]),
    );
    assert.deepEqual(unknown.problems, [
      {
        path: 'steps[0].componentArguments.endpoint',
        message: 'no BaoStock endpoint is named "attacker" in sources.json (configured: account)',
      },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(bytesReceived, 0);
  });

  it('the configured password goes to its endpoint, and nowhere else', async () => {
    const id = await submitJob(
      t.url,
      steps([
        'p',
        'BaoStockTradeDayProducer',
        '',
        { from: '2024-01-01', to: '2024-01-10', fallback: false },
      ]),
    );
    const job = await waitForFinal(t.url, id);
    assert.equal(job.status, 'FINISHED', job.error ?? '');
    const login = fake.requests.find((r) => r.method === 'login')!;
    assert.deepEqual(login.fields.slice(1, 3), ['quant-desk', PASSWORD]);
    const lines = await t.app.store.logLines(id, 0, 1000);
    const answers = JSON.stringify(
      await gql(
        t.url,
        `{ job(id: "${id}") { spec { document } steps { result error } logs { lines { message } } } components { argumentsSchema } }`,
      ),
    );
    for (const text of [JSON.stringify(lines), answers, t.logs.join('\n')])
      assert.ok(!text.includes(PASSWORD), 'the password is not in the logs or an answer');
    assert.equal(bytesReceived, 0);
  });
});
