import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fireTimes, instants, trigger } from './support.js';

/** Hand-worked from APScheduler 3.11's IntervalTrigger and DateTrigger; zone Asia/Shanghai (UTC+8). */
const builtAt = { now: () => new Date('2024-06-03T10:00:00+08:00') };

describe('interval trigger', () => {
  const everyTenMinutes = { minutes: 10, start_date: '2024-06-03 10:00:00' };

  it('fires at start_date first when that is still ahead', async () => {
    assert.deepEqual(
      await fireTimes(trigger('interval', everyTenMinutes), '2024-06-03T09:00:00+08:00', 2),
      instants('2024-06-03T10:00:00+08:00', '2024-06-03T10:10:00+08:00'),
    );
  });

  it('after start_date, fires at the next start_date + n × interval', async () => {
    assert.deepEqual(
      await fireTimes(trigger('interval', everyTenMinutes), '2024-06-03T10:25:00+08:00', 2),
      instants('2024-06-03T10:30:00+08:00', '2024-06-03T10:40:00+08:00'),
    );
  });

  it('fires now when now is exactly on the grid', async () => {
    assert.deepEqual(
      await fireTimes(trigger('interval', everyTenMinutes), '2024-06-03T10:20:00+08:00', 1),
      instants('2024-06-03T10:20:00+08:00'),
    );
  });

  it('adds the interval to the previous fire time, whatever now is', async () => {
    const next = await trigger('interval', everyTenMinutes).nextFireTime(
      new Date('2024-06-03T10:10:00+08:00'),
      new Date('2024-06-03T11:00:00+08:00'),
    );
    assert.equal(next?.toISOString(), instants('2024-06-03T10:20:00+08:00')[0]);
  });

  it('without start_date starts one interval after it was built', async () => {
    assert.deepEqual(
      await fireTimes(trigger('interval', { hours: 2 }, builtAt), '2024-06-03T10:00:00+08:00', 2),
      instants('2024-06-03T12:00:00+08:00', '2024-06-03T14:00:00+08:00'),
    );
  });

  it("an empty start_date is no start_date (APScheduler's `start_date or ...`)", async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('interval', { hours: 1, start_date: '' }, builtAt),
        '2024-06-03T10:00:00+08:00',
        1,
      ),
      instants('2024-06-03T11:00:00+08:00'),
    );
  });

  it('an interval of zero is one second, as in APScheduler', async () => {
    const subject = trigger('interval', {}, builtAt);
    assert.equal(subject.describe(), 'interval[0:00:01] Asia/Shanghai');
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T10:00:00+08:00', 2),
      instants('2024-06-03T10:00:01+08:00', '2024-06-03T10:00:02+08:00'),
    );
  });

  it('takes fractional units', async () => {
    const subject = trigger('interval', { hours: 1.5, start_date: '2024-06-03 10:00:00' });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T09:00:00+08:00', 3),
      instants(
        '2024-06-03T10:00:00+08:00',
        '2024-06-03T11:30:00+08:00',
        '2024-06-03T13:00:00+08:00',
      ),
    );
  });

  it('stops at end_date (inclusive)', async () => {
    const subject = trigger('interval', {
      minutes: 30,
      start_date: '2024-06-03 10:00:00',
      end_date: '2024-06-03 11:00:00',
    });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T09:00:00+08:00', 4),
      instants(
        '2024-06-03T10:00:00+08:00',
        '2024-06-03T10:30:00+08:00',
        '2024-06-03T11:00:00+08:00',
      ),
    );
  });

  it('describes its interval the way Python prints a timedelta', () => {
    assert.equal(
      trigger(
        'interval',
        { weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1.5 },
        builtAt,
      ).describe(),
      'interval[8 days, 1:01:01.500000] Asia/Shanghai',
    );
    assert.equal(
      trigger('interval', { days: 1 }, builtAt).describe(),
      'interval[1 day, 0:00:00] Asia/Shanghai',
    );
    assert.equal(
      trigger('interval', { minutes: 90 }, builtAt).describe(),
      'interval[1:30:00] Asia/Shanghai',
    );
  });

  it('jitter delays each run and, as in APScheduler, the next interval counts from the delayed run', async () => {
    const subject = trigger('interval', { ...everyTenMinutes, jitter: 30 });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T09:00:00+08:00', 3),
      instants(
        '2024-06-03T10:00:15+08:00',
        '2024-06-03T10:10:30+08:00',
        '2024-06-03T10:20:45+08:00',
      ),
    );
  });

  it('a run that jitter pushes past end_date does not happen (no clamping, unlike cron)', async () => {
    const subject = trigger('interval', {
      minutes: 30,
      start_date: '2024-06-03 10:00:00',
      end_date: '2024-06-03 10:30:00',
      jitter: 60,
    });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T09:00:00+08:00', 3),
      instants('2024-06-03T10:00:30+08:00'),
    );
  });
});

describe('date trigger', () => {
  it('fires once at a future run_date', async () => {
    const subject = trigger('date', { run_date: '2030-01-01 09:00:00' });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T00:00:00+08:00', 2),
      instants('2030-01-01T09:00:00+08:00'),
    );
    assert.equal(
      await subject.nextFireTime(
        new Date('2030-01-01T09:00:00+08:00'),
        new Date('2030-01-01T09:00:01+08:00'),
      ),
      null,
    );
    assert.equal(subject.describe(), 'date[2030-01-01 09:00:00+08:00] Asia/Shanghai');
  });

  it('returns a past run_date too: APScheduler leaves the missed run to the scheduler', async () => {
    assert.deepEqual(
      await fireTimes(trigger('date', { run_date: '2020-01-01' }), '2024-06-03T00:00:00+08:00', 2),
      instants('2020-01-01T00:00:00+08:00'),
    );
  });

  it('reads one-digit fields, the "T" separator and offsets as APScheduler does', async () => {
    assert.deepEqual(
      await fireTimes(trigger('date', { run_date: '2024-6-3 9:5:7' }), '2024-01-01T00:00:00Z', 1),
      instants('2024-06-03T09:05:07+08:00'),
    );
    assert.deepEqual(
      await fireTimes(
        trigger('date', { run_date: '2024-06-03T09:00:00Z' }),
        '2024-01-01T00:00:00Z',
        1,
      ),
      instants('2024-06-03T17:00:00+08:00'),
    );
    assert.deepEqual(
      await fireTimes(
        trigger('date', { run_date: '2024-06-03 09:00:00-05:30' }),
        '2024-01-01T00:00:00Z',
        1,
      ),
      instants('2024-06-03T22:30:00+08:00'),
    );
  });

  it('reads a naive run_date in its timezone argument', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('date', { run_date: '2024-06-03 09:00:00', timezone: 'Europe/Berlin' }),
        '2024-01-01T00:00:00Z',
        1,
      ),
      instants('2024-06-03T09:00:00+02:00'),
    );
  });

  it('without run_date runs when it was built', async () => {
    assert.deepEqual(
      await fireTimes(trigger('date', {}, builtAt), '2024-06-03T10:00:05+08:00', 1),
      instants('2024-06-03T10:00:00+08:00'),
    );
  });
});
