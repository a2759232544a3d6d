import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SHIPPED = fileURLToPath(new URL('../../conf/scheduled-jobs', import.meta.url));

describe('the shipped daily-bars schedule', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ server: { scheduledJobsDir: SHIPPED, schedules: { watch: false } } });
  });
  after(() => t?.destroy());

  it('is valid, disabled (a fresh machine has no network), fires at 18:00 on trading days, one partition per day', () => {
    const view = t.app.scheduler.get('daily-bars');
    assert.equal(view.schedule.error, null);
    const definition = view.schedule.definition!;
    assert.equal(definition.options.enabled, false);
    assert.equal(view.nextRunTime === null || !definition.options.enabled, true);
    assert.equal(definition.trigger.type, 'trading_day');
    assert.match(definition.trigger.describe(), /hour='18', minute='0'.*Asia\/Shanghai/);
    assert.deepEqual(definition.partitions, {
      by: 'trading_day',
      lag: 0,
      maxCatchup: 10,
      nonTradingDay: 'previous',
    });
    assert.equal(t.app.scheduler.get('trade-days').schedule.error, null);
  });
});
