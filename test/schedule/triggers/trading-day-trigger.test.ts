import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fireTimes, instants, trigger } from './support.js';

/**
 * An in-memory calendar around China's 2024 National Day holiday (closed 1-7 October). Days not
 * listed have no row, so the trigger falls back to Monday-Friday and warns. Weekdays: 2024-09-27
 * is a Friday, 09-30 a Monday, 10-08 a Tuesday, 10-14 a Monday, 10-19/10-20 a weekend.
 */
const ROWS: Record<string, boolean> = {
  '2024-09-26': true,
  '2024-09-27': true,
  '2024-09-28': false,
  '2024-09-29': false,
  '2024-09-30': true,
  '2024-10-01': false,
  '2024-10-02': false,
  '2024-10-03': false,
  '2024-10-04': false,
  '2024-10-05': false,
  '2024-10-06': false,
  '2024-10-07': false,
  '2024-10-08': true,
  '2024-10-09': true,
  '2024-10-10': true,
  '2024-10-11': true,
  '2024-10-12': false,
  '2024-10-13': false,
};

function calendar(rows: Record<string, boolean> = ROWS) {
  const warnings: string[] = [];
  const lookups: string[] = [];
  return {
    warnings,
    lookups,
    deps: {
      isTradingDay: (date: string) => {
        lookups.push(date);
        return Promise.resolve(rows[date]);
      },
      warn: (message: string) => warnings.push(message),
    },
  };
}

describe('trading_day trigger', () => {
  it('fires on trading days only, skipping the weekend and the holiday', async () => {
    const { deps, warnings } = calendar();
    const subject = trigger('trading_day', { hour: 15, minute: 30 }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-09-27T16:00:00+08:00', 3),
      instants(
        '2024-09-30T15:30:00+08:00',
        '2024-10-08T15:30:00+08:00',
        '2024-10-09T15:30:00+08:00',
      ),
    );
    assert.deepEqual(warnings, []);
  });

  it('fires today when the time is still ahead, and at exactly now', async () => {
    const { deps } = calendar();
    const subject = trigger('trading_day', { hour: '15', minute: '30' }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-09-30T15:30:00+08:00', 1),
      instants('2024-09-30T15:30:00+08:00'),
    );
    const next = await subject.nextFireTime(
      new Date('2024-09-30T15:30:00+08:00'),
      new Date('2024-09-30T15:30:00.010+08:00'),
    );
    assert.equal(next?.toISOString(), instants('2024-10-08T15:30:00+08:00')[0]);
  });

  it('falls back to Monday-Friday for days without a row and warns once per such day', async () => {
    const { deps, warnings } = calendar();
    const subject = trigger('trading_day', { hour: 9 }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-10-11T16:00:00+08:00', 2),
      instants('2024-10-14T09:00:00+08:00', '2024-10-15T09:00:00+08:00'),
    );
    // Asking again about the same day does not warn again.
    assert.deepEqual(
      await fireTimes(subject, '2024-10-11T16:00:00+08:00', 1),
      instants('2024-10-14T09:00:00+08:00'),
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /no row for 2024-10-14.*a trading day \(Monday to Friday\)/);
    assert.match(warnings[1] ?? '', /no row for 2024-10-15/);
  });

  it('treats a weekend without rows as closed (and says so)', async () => {
    const { deps, warnings } = calendar();
    const subject = trigger('trading_day', { hour: 9 }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-10-18T10:00:00+08:00', 1),
      instants('2024-10-21T09:00:00+08:00'),
    );
    assert.deepEqual(
      warnings.map((warning) => /no row for (\S+);/.exec(warning)?.[1]),
      ['2024-10-19', '2024-10-20', '2024-10-21'],
    );
    assert.match(warnings[0] ?? '', /a non-trading day \(weekend\)/);
  });

  it('offset_days -1 fires on the calendar day before each trading day', async () => {
    // 09-29 (Sunday) precedes 09-30; 10-07 (last holiday day) precedes 10-08; 10-08..10-10 precede trading days.
    const { deps } = calendar();
    const subject = trigger('trading_day', { hour: 20, offset_days: -1 }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-09-26T21:00:00+08:00', 5),
      instants(
        '2024-09-29T20:00:00+08:00',
        '2024-10-07T20:00:00+08:00',
        '2024-10-08T20:00:00+08:00',
        '2024-10-09T20:00:00+08:00',
        '2024-10-10T20:00:00+08:00',
      ),
    );
  });

  it('offset_days 1 fires on the calendar day after each trading day', async () => {
    const { deps } = calendar();
    const subject = trigger('trading_day', { hour: 8, offset_days: '1' }, deps);
    assert.deepEqual(
      await fireTimes(subject, '2024-09-27T16:00:00+08:00', 3),
      instants(
        '2024-09-28T08:00:00+08:00',
        '2024-10-01T08:00:00+08:00',
        '2024-10-09T08:00:00+08:00',
      ),
    );
  });

  it('gives up after 400 days without a firing day and says so', async () => {
    const warnings: string[] = [];
    let lookups = 0;
    const subject = trigger(
      'trading_day',
      { hour: 9 },
      {
        isTradingDay: () => {
          lookups += 1;
          return Promise.resolve(false);
        },
        warn: (message) => warnings.push(message),
      },
    );
    assert.equal(await subject.nextFireTime(null, new Date('2024-01-01T00:00:00+08:00')), null);
    assert.equal(lookups, 400);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /no firing day within 400 days/);
  });

  it('computes in its timezone argument and describes itself', async () => {
    const { deps } = calendar();
    const subject = trigger(
      'trading_day',
      { hour: 9, minute: 15, offset_days: -1, timezone: 'Europe/Berlin' },
      deps,
    );
    assert.equal(
      subject.describe(),
      "trading_day[hour='9', minute='15', second='0', offset_days=-1] Europe/Berlin",
    );
    assert.equal(subject.timeZone, 'Europe/Berlin');
    assert.deepEqual(
      await fireTimes(subject, '2024-09-27T00:00:00+02:00', 1),
      instants('2024-09-29T09:15:00+02:00'),
    );
  });
});
