import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScheduleStore } from '../../src/schedule/schedule-store.js';
import { sqlRunnerFor } from '../../src/storage/sql-runner.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('schedule store: the firing row is the gate', () => {
  let t: TestApp;
  let store: ScheduleStore;
  before(async () => {
    t = await startTestApp();
    store = new ScheduleStore(sqlRunnerFor(t.app.targets.control()));
  });
  after(() => t?.destroy());

  it('lets one SUBMITTED claim in, and a SUBMITTED claim take over a SKIPPED or MISSED row without a job', async () => {
    const at = new Date(1_700_000_000_000);
    assert.equal(await store.claimFiring('a', at, 'SUBMITTED'), true);
    assert.equal(await store.claimFiring('a', at, 'SUBMITTED'), false);
    assert.equal(await store.claimFiring('a', at, 'SKIPPED'), false);

    // One process's tick came late (MISSED), another's instances were busy (SKIPPED): a process
    // that can run the firing still may, once.
    for (const [name, outcome] of [
      ['b', 'MISSED'],
      ['c', 'SKIPPED'],
    ] as const) {
      assert.equal(await store.claimFiring(name, at, outcome, null, { reason: 'busy' }), true);
      const takers = await Promise.all([
        store.claimFiring(name, at, 'SUBMITTED'),
        store.claimFiring(name, at, 'SUBMITTED'),
      ]);
      assert.deepEqual(takers.sort(), [false, true]);
      assert.deepEqual(
        (await store.firings(name, 5)).map((f) => [f.outcome, f.reason]),
        [['SUBMITTED', null]],
      );
    }

    // A firing that was skipped because another job holds its partition names that job: final.
    assert.equal(await store.claimFiring('d', at, 'SUBMITTED'), true);
    await store.recordJob('d', at, 'SKIPPED', '01HOLDER', 'partition taken');
    assert.equal(await store.claimFiring('d', at, 'SUBMITTED'), false);
  });
});
