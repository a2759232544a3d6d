/**
 * `/health` is for load balancers and monitors, which have no token: up or down per part for
 * anyone, where things are and why they are down only for a `read` token; and the databases are
 * pinged at most once every few seconds, however often it is asked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMariadbInstance, type MariadbInstance } from '../support/mariadb-instance.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const READ = 'health-reader-token-0123456789';

interface Health {
  status: string;
  details: boolean;
  targets: { name: string; up: boolean; at?: string; error?: string | null }[];
}

describe('/health', { skip: await mysqlSkipReason() }, () => {
  let instance: MariadbInstance;
  let t: TestApp;
  before(async () => {
    instance = await startMariadbInstance();
    t = await startTestApp({
      env: { FDA_TOKENS: `monitor:read:${READ}` },
      storage: {
        control: 'local',
        sqlite: { local: { file: 'control.sqlite' } },
        mysql: {
          market: {
            host: instance.host,
            port: instance.port,
            user: instance.user,
            password: instance.password,
            database: 'fda_health',
          },
        },
      },
    });
  });
  after(async () => {
    await t?.destroy();
    await instance?.destroy();
  });

  const market = (body: Health) => body.targets.find((target) => target.name === 'market')!;
  const health = async (token?: string) => {
    const response = await fetch(`${t.url}/health`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Health };
  };

  it('tells anyone what is up, and only a read token where and why', async () => {
    const open = await health();
    assert.equal(open.status, 200);
    assert.equal(open.body.details, false);
    assert.deepEqual(
      open.body.targets.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'local', dialect: 'sqlite', up: true },
        { name: 'market', dialect: 'mysql', up: true },
      ],
    );
    const detailed = await health(READ);
    assert.equal(detailed.body.details, true);
    assert.match(
      market(detailed.body).at!,
      new RegExp(`@127\\.0\\.0\\.1:${instance.port}/fda_health$`),
    );
    const wrong = await health('not-a-configured-token-at-all');
    assert.equal(wrong.body.details, false, 'a bad token sees what anyone sees');
  });

  it('a hundred checks at once ping each target once; a down target is down, its error for the reader only', async () => {
    // Past the last check's interval, so the next one pings.
    await new Promise((r) => setTimeout(r, 5100));
    const before = await instance.status('Questions');
    const answers = await Promise.all(Array.from({ length: 100 }, () => health()));
    assert.ok(answers.every((a) => a.status === 200));
    // One ping (SELECT 1) and the counter's own SHOW STATUS.
    assert.ok((await instance.status('Questions')) - before <= 3);

    await instance.kill();
    await new Promise((r) => setTimeout(r, 5100));
    const down = await health();
    assert.equal(down.status, 200, 'the job store (SQLite) still works');
    assert.equal(down.body.status, 'degraded');
    assert.deepEqual(market(down.body), { name: 'market', dialect: 'mysql', up: false });
    const why = await health(READ);
    assert.match(market(why.body).error!, /ECONNREFUSED|connect/);
    await instance.start();
  });
});
