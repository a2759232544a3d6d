import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fireTimes, instants, trigger } from './support.js';

/**
 * What APScheduler 3.11 (ZoneInfo zones) does around DST changes, traced by hand through its
 * source. 2024 transitions: America/New_York springs forward on 10 March (02:00 EST → 03:00 EDT,
 * 07:00Z) and falls back on 3 November (02:00 EDT → 01:00 EST, 06:00Z); Europe/Berlin on
 * 31 March (02:00 CET → 03:00 CEST, 01:00Z) and 27 October (03:00 CEST → 02:00 CET, 01:00Z);
 * Berlin springs forward on 30 March in 2025.
 *
 * The rules that decide the outcome: the cron search sets a field by building the wall time
 * with the current fold and without normalizing, so a skipped wall time keeps the offset from
 * before the change (02:30 "EST" = 03:30 EDT); it increments a field by adding the wall-clock
 * difference in absolute time, which lands on the second occurrence of a repeated hour. The
 * interval trigger adds the interval to the wall clock (timedelta arithmetic), then normalizes.
 */
const NEW_YORK = { defaultTimeZone: 'America/New_York' };
const BERLIN = { defaultTimeZone: 'Europe/Berlin' };

describe('cron trigger across daylight-saving changes', () => {
  it('a daily 02:30 in New York fires at 03:30 EDT on the spring-forward day', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('cron', { hour: 2, minute: 30 }, NEW_YORK),
        '2024-03-09T12:00:00-05:00',
        2,
      ),
      instants('2024-03-10T03:30:00-04:00', '2024-03-11T02:30:00-04:00'),
    );
  });

  it('a daily 01:30 in New York fires twice on the fall-back day (docs: "it will execute twice")', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('cron', { hour: 1, minute: 30 }, NEW_YORK),
        '2024-11-02T12:00:00-04:00',
        3,
      ),
      instants(
        '2024-11-03T01:30:00-04:00',
        '2024-11-03T01:30:00-05:00',
        '2024-11-04T01:30:00-05:00',
      ),
    );
  });

  it('an hourly :30 runs in both occurrences of the repeated hour', async () => {
    assert.deepEqual(
      await fireTimes(trigger('cron', { minute: 30 }, NEW_YORK), '2024-11-03T00:00:00-04:00', 4),
      instants(
        '2024-11-03T00:30:00-04:00',
        '2024-11-03T01:30:00-04:00',
        '2024-11-03T01:30:00-05:00',
        '2024-11-03T02:30:00-05:00',
      ),
    );
  });

  it('an hourly :30 goes from 01:30 EST to 03:30 EDT over the skipped hour', async () => {
    assert.deepEqual(
      await fireTimes(trigger('cron', { minute: 30 }, NEW_YORK), '2024-03-10T00:00:00-05:00', 4),
      instants(
        '2024-03-10T00:30:00-05:00',
        '2024-03-10T01:30:00-05:00',
        '2024-03-10T03:30:00-04:00',
        '2024-03-10T04:30:00-04:00',
      ),
    );
  });

  it('a Berlin schedule that only names the skipped hour fires an hour later on the wall clock', async () => {
    const subject = trigger('cron', { month: 3, day: 'last sun', hour: 2, minute: 30 }, BERLIN);
    assert.deepEqual(
      await fireTimes(subject, '2024-01-01T00:00:00+01:00', 2),
      instants('2024-03-31T03:30:00+02:00', '2025-03-30T03:30:00+02:00'),
    );
  });

  it('a daily 02:30 in Berlin fires in both occurrences of 02:30 on 27 October', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('cron', { hour: 2, minute: 30 }, BERLIN),
        '2024-10-26T12:00:00+02:00',
        3,
      ),
      instants(
        '2024-10-27T02:30:00+02:00',
        '2024-10-27T02:30:00+01:00',
        '2024-10-28T02:30:00+01:00',
      ),
    );
  });

  it('uses its timezone argument over the default zone', async () => {
    const subject = trigger('cron', { hour: 1, minute: 30, timezone: 'America/New_York' });
    assert.deepEqual(
      await fireTimes(subject, '2024-11-03T00:00:00-04:00', 2),
      instants('2024-11-03T01:30:00-04:00', '2024-11-03T01:30:00-05:00'),
    );
  });
});

describe('interval trigger across daylight-saving changes', () => {
  it('hours=1 skips the second 01:30 when the clock falls back (wall-clock arithmetic)', async () => {
    const subject = trigger('interval', { hours: 1, start_date: '2024-11-03 00:30:00' }, NEW_YORK);
    assert.deepEqual(
      await fireTimes(subject, '2024-11-03T00:00:00-04:00', 4),
      instants(
        '2024-11-03T00:30:00-04:00',
        '2024-11-03T01:30:00-04:00',
        '2024-11-03T02:30:00-05:00',
        '2024-11-03T03:30:00-05:00',
      ),
    );
  });

  it('hours=1 stays an hour apart when the clock springs forward (02:30 EST is 03:30 EDT)', async () => {
    const subject = trigger('interval', { hours: 1, start_date: '2024-03-10 00:30:00' }, NEW_YORK);
    assert.deepEqual(
      await fireTimes(subject, '2024-03-10T00:00:00-05:00', 4),
      instants(
        '2024-03-10T00:30:00-05:00',
        '2024-03-10T01:30:00-05:00',
        '2024-03-10T03:30:00-04:00',
        '2024-03-10T04:30:00-04:00',
      ),
    );
  });

  for (const interval of [{ days: 1 }, { hours: 24 }]) {
    it(`${JSON.stringify(interval)} keeps 09:00 on the wall clock: 23 hours over the spring-forward night`, async () => {
      const subject = trigger(
        'interval',
        { ...interval, start_date: '2024-03-09 09:00:00' },
        NEW_YORK,
      );
      assert.deepEqual(
        await fireTimes(subject, '2024-03-09T00:00:00-05:00', 3),
        instants(
          '2024-03-09T09:00:00-05:00',
          '2024-03-10T09:00:00-04:00',
          '2024-03-11T09:00:00-04:00',
        ),
      );
    });
  }

  it('days=1 is 25 hours over the fall-back night', async () => {
    const subject = trigger('interval', { days: 1, start_date: '2024-11-02 09:00:00' }, NEW_YORK);
    assert.deepEqual(
      await fireTimes(subject, '2024-11-02T00:00:00-04:00', 2),
      instants('2024-11-02T09:00:00-04:00', '2024-11-03T09:00:00-05:00'),
    );
  });

  it('a start_date with an explicit offset makes the arithmetic absolute', async () => {
    const subject = trigger(
      'interval',
      { days: 1, start_date: '2024-03-09T09:00:00-05:00' },
      NEW_YORK,
    );
    assert.deepEqual(
      await fireTimes(subject, '2024-03-09T00:00:00-05:00', 3),
      instants(
        '2024-03-09T09:00:00-05:00',
        '2024-03-10T10:00:00-04:00',
        '2024-03-11T10:00:00-04:00',
      ),
    );
  });

  it('counts elapsed intervals on the wall clock when now is in the same zone as start_date', async () => {
    // now is 01:45 EST, the second 01:45: 1h45 after 00:00 on the wall clock, 2h45 in absolute time.
    const subject = trigger('interval', { hours: 1, start_date: '2024-11-03 00:00:00' }, NEW_YORK);
    assert.deepEqual(
      await fireTimes(subject, '2024-11-03T01:45:00-05:00', 1),
      instants('2024-11-03T02:00:00-05:00'),
    );
  });

  it('counts them in absolute time when the scheduler zone differs from the trigger zone', async () => {
    const subject = trigger('interval', {
      hours: 1,
      start_date: '2024-11-03 00:00:00',
      timezone: 'America/New_York',
    });
    assert.deepEqual(
      await fireTimes(subject, '2024-11-03T01:45:00-05:00', 1),
      instants('2024-11-03T03:00:00-05:00'),
    );
  });
});

describe('date strings in a skipped or repeated hour', () => {
  it('a run_date in the skipped hour moves forward by the gap', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('date', { run_date: '2024-03-10 02:30:00' }, NEW_YORK),
        '2024-03-01T00:00:00Z',
        1,
      ),
      instants('2024-03-10T03:30:00-04:00'),
    );
  });

  it('a run_date in the repeated hour means its first occurrence', async () => {
    assert.deepEqual(
      await fireTimes(
        trigger('date', { run_date: '2024-11-03 01:30:00' }, NEW_YORK),
        '2024-11-01T00:00:00Z',
        1,
      ),
      instants('2024-11-03T01:30:00-04:00'),
    );
  });

  it('a cron end_date in the repeated hour compares by wall clock, as Python does within one zone', async () => {
    // The second 01:15 (EST, 06:15Z) is after end_date 01:30 EDT (05:30Z) in absolute time, but
    // Python compares two datetimes of one ZoneInfo by their wall clocks: 01:15 <= 01:30.
    const subject = trigger('cron', { minute: 15, end_date: '2024-11-03 01:30:00' }, NEW_YORK);
    assert.deepEqual(
      await fireTimes(subject, '2024-11-03T01:00:00-04:00', 3),
      instants('2024-11-03T01:15:00-04:00', '2024-11-03T01:15:00-05:00'),
    );
  });
});
