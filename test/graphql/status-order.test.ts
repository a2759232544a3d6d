import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLaterStatus } from '../../src/graphql/live/status-order.js';
import { createJobIdGenerator, jobIdTimePrefix } from '../../src/jobs/job-id.js';

describe('catching up after lost live events', () => {
  it('takes only a later status as news', () => {
    assert.equal(isLaterStatus('RUNNING', undefined), true);
    assert.equal(isLaterStatus('RUNNING', 'WAITING'), true);
    assert.equal(isLaterStatus('FINISHED', 'RUNNING'), true);
    assert.equal(isLaterStatus('CANCELLED', 'WAITING'), true);
    assert.equal(isLaterStatus('RUNNING', 'RUNNING'), false);
    assert.equal(isLaterStatus('RUNNING', 'FINISHED'), false, 'a stale read after the end');
    assert.equal(isLaterStatus('FAILED', 'FINISHED'), false);
  });

  it('bounds job ids by time: ids made at or after a time sort at or above its prefix', () => {
    let now = 1_700_000_000_000;
    const newId = createJobIdGenerator(() => now);
    const before = newId();
    now += 1;
    const prefix = jobIdTimePrefix(now);
    const atOrAfter = [newId(), newId()];
    now += 60_000;
    atOrAfter.push(newId());
    assert.ok(before < prefix);
    assert.ok(atOrAfter.every((id) => id >= prefix));
  });
});
