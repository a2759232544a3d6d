import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { gql, until } from '../graphql/support.js';

const shippedConf = fileURLToPath(new URL('../../conf', import.meta.url));

describe('a fresh machine running the shipped configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-fresh-'));
  let server: ServerProcess | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the embedded database, fills the calendar from the offline source as a STARTUP job, and schedules the daily refresh', async () => {
    // The shipped conf/ as it is; its relative paths (../data) land inside this temporary folder.
    cpSync(shippedConf, join(dir, 'conf'), { recursive: true });
    server = await startServerProcess(join(dir, 'conf'));
    assert.ok(existsSync(join(dir, 'data', 'finance-data.sqlite')));

    type Jobs = {
      jobs: {
        nodes: Array<{ id: string; status: string; origin: { type: string; name: string } }>;
      };
    };
    let startup: Jobs['jobs']['nodes'][number] | undefined;
    await until(
      async () => {
        startup = (
          await gql<Jobs>(
            server!.url,
            `{ jobs(first: 5) { nodes { id status origin { type name } } } }`,
          )
        ).jobs.nodes.find((j) => j.origin.type === 'STARTUP');
        return startup?.status === 'FINISHED';
      },
      'the start-up fill to finish',
      30_000,
    );

    const data = await gql<{
      tradeDays: Array<{ isTradingDay: boolean }>;
      isTradingDay: boolean;
      schedules: Array<{ name: string; error: string | null; nextRunAt: string | null }>;
    }>(
      server.url,
      `{ tradeDays(from: "2024-01-01", to: "2024-12-31") { isTradingDay } isTradingDay(date: "2024-02-09") schedules { name error nextRunAt } }`,
    );
    assert.equal(data.tradeDays.length, 366);
    assert.equal(
      data.tradeDays.filter((d) => d.isTradingDay).length,
      242,
      'the exchange traded on 242 days in 2024',
    );
    assert.equal(data.isTradingDay, false);
    assert.deepEqual(
      data.schedules.map((s) => [s.name, s.error]),
      [
        ['daily-bars', null],
        ['trade-days', null],
      ],
    );
    const byName = new Map(data.schedules.map((s) => [s.name, s]));
    assert.match(
      byName.get('trade-days')!.nextRunAt ?? '',
      /T01:00:00\.000Z$/,
      '09:00 in Shanghai',
    );
    assert.equal(byName.get('daily-bars')!.nextRunAt, null, 'shipped disabled: no network yet');

    assert.equal(await server.stop(), 0);
  });
});
