import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ProgressThrottle } from '../../src/jobs/progress-throttle.js';

describe('ProgressThrottle', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1000 }));
  afterEach(() => mock.timers.reset());

  it('publishes at most once per interval, and nothing after stop', () => {
    let published = 0;
    const throttle = new ProgressThrottle(200, () => published++);
    throttle.published(); // a status change just went out
    for (let i = 0; i < 50; i++) throttle.request();
    mock.timers.tick(199);
    assert.equal(published, 0);
    mock.timers.tick(1);
    assert.equal(published, 1);
    throttle.request();
    mock.timers.tick(100);
    assert.equal(published, 1);
    throttle.stop();
    mock.timers.tick(1000);
    assert.equal(published, 1);
    throttle.request();
    mock.timers.tick(1000);
    assert.equal(published, 1);
  });
});
