import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { MAX_TIMER_MS, setLongTimeout } from '../../src/long-timeout.js';

const DAY = 86_400_000;

describe('setLongTimeout, on a clock the test moves', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('a 30-day deadline (past what one Node timer holds) fires at 30 days, not before', () => {
    assert.ok(30 * DAY > MAX_TIMER_MS);
    let fired = 0;
    setLongTimeout(30 * DAY, () => fired++);
    mock.timers.tick(MAX_TIMER_MS);
    assert.equal(fired, 0, 'not when the first timer is over');
    mock.timers.tick(30 * DAY - MAX_TIMER_MS - 1);
    assert.equal(fired, 0, 'not a millisecond early');
    mock.timers.tick(1);
    assert.equal(fired, 1);
    mock.timers.tick(60 * DAY);
    assert.equal(fired, 1, 'once');
  });

  it('a short one is one ordinary timer; clear stops either', () => {
    let fired = 0;
    setLongTimeout(500, () => fired++);
    mock.timers.tick(499);
    assert.equal(fired, 0);
    mock.timers.tick(1);
    assert.equal(fired, 1);
    const long = setLongTimeout(40 * DAY, () => fired++);
    mock.timers.tick(30 * DAY);
    long.clear();
    mock.timers.tick(30 * DAY);
    assert.equal(fired, 1);
  });
});
