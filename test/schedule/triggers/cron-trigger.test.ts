import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fireTimes, instants, trigger } from './support.js';

/**
 * Expected times are worked out by hand from APScheduler 3.x's rules (cron.rst and the
 * CronTrigger/fields/expressions source), all in the default zone Asia/Shanghai (UTC+8, no DST).
 * Calendar facts used: 2024-06-03, 2024-07-01, 2024-08-05 are Mondays; June 2024's Fridays are
 * 7/14/21/28, July's 5/12/19/26, August's 2/9/16/23/30; 2024 is a leap year, 2023/2025-2027 not.
 */
interface Row {
  name: string;
  args: Record<string, unknown>;
  now: string;
  expected: string[];
  /** The trigger stops after the expected times: ask for one more and get none. */
  ends?: boolean;
}

const ORIGINAL_DAILY_JOB = {
  second: '0',
  minute: '0',
  hour: '9',
  day: '*',
  month: '*',
  day_of_week: '*',
};

const rows: Row[] = [
  {
    name: "the original system's daily 09:00 job, just before nine",
    args: ORIGINAL_DAILY_JOB,
    now: '2024-06-03T08:59:59.500+08:00',
    expected: [
      '2024-06-03T09:00:00+08:00',
      '2024-06-04T09:00:00+08:00',
      '2024-06-05T09:00:00+08:00',
    ],
  },
  {
    name: 'the daily job at exactly nine fires now',
    args: ORIGINAL_DAILY_JOB,
    now: '2024-06-03T09:00:00+08:00',
    expected: ['2024-06-03T09:00:00+08:00'],
  },
  {
    name: 'the daily job a millisecond after nine waits a day',
    args: ORIGINAL_DAILY_JOB,
    now: '2024-06-03T09:00:00.001+08:00',
    expected: ['2024-06-04T09:00:00+08:00'],
  },

  // day_of_week: 0 = mon … 6 = sun (not cron's 0 = sunday); numbers and names, as strings or numbers.
  {
    name: 'day_of_week 0 (a number) is Monday',
    args: { day_of_week: 0, hour: 10 },
    now: '2024-06-05T00:00:00+08:00',
    expected: ['2024-06-10T10:00:00+08:00', '2024-06-17T10:00:00+08:00'],
  },
  {
    name: 'day_of_week "6" is Sunday; omitted time fields are midnight',
    args: { day_of_week: '6' },
    now: '2024-06-05T12:00:00+08:00',
    expected: ['2024-06-09T00:00:00+08:00', '2024-06-16T00:00:00+08:00'],
  },
  {
    name: 'day_of_week "5-6" is the weekend',
    args: { day_of_week: '5-6' },
    now: '2024-06-03T00:00:00+08:00',
    expected: [
      '2024-06-08T00:00:00+08:00',
      '2024-06-09T00:00:00+08:00',
      '2024-06-15T00:00:00+08:00',
    ],
  },
  {
    name: 'day_of_week names "sat,sun"',
    args: { day_of_week: 'sat,sun', hour: 8, minute: 30 },
    now: '2024-06-05T00:00:00+08:00',
    expected: [
      '2024-06-08T08:30:00+08:00',
      '2024-06-09T08:30:00+08:00',
      '2024-06-15T08:30:00+08:00',
    ],
  },
  {
    name: 'day_of_week "mon-fri" after Friday\'s run',
    args: { day_of_week: 'mon-fri', hour: '17' },
    now: '2024-06-07T17:00:01+08:00',
    expected: ['2024-06-10T17:00:00+08:00', '2024-06-11T17:00:00+08:00'],
  },
  {
    name: 'day_of_week names are case-insensitive',
    args: { day_of_week: 'FRI', hour: 9 },
    now: '2024-06-03T00:00:00+08:00',
    expected: ['2024-06-07T09:00:00+08:00'],
  },
  {
    name: 'day_of_week "*/2" is mon, wed, fri, sun',
    args: { day_of_week: '*/2', hour: 12 },
    now: '2024-06-04T13:00:00+08:00',
    expected: [
      '2024-06-05T12:00:00+08:00',
      '2024-06-07T12:00:00+08:00',
      '2024-06-09T12:00:00+08:00',
      '2024-06-10T12:00:00+08:00',
    ],
  },

  // day and day_of_week must both match (unlike Unix cron, where either may).
  {
    name: 'day "1-7" with day_of_week "mon" is the first Monday',
    args: { day: '1-7', day_of_week: 'mon', hour: 9 },
    now: '2024-06-01T00:00:00+08:00',
    expected: [
      '2024-06-03T09:00:00+08:00',
      '2024-07-01T09:00:00+08:00',
      '2024-08-05T09:00:00+08:00',
    ],
  },
  {
    name: 'day 13 with day_of_week "fri" is Friday the 13th',
    args: { day: 13, day_of_week: 'fri' },
    now: '2024-01-01T00:00:00+08:00',
    expected: ['2024-09-13T00:00:00+08:00', '2024-12-13T00:00:00+08:00'],
  },

  // Steps, ranges and lists.
  {
    name: 'minute "*/15" fires every quarter hour',
    args: { minute: '*/15' },
    now: '2024-06-03T10:07:30+08:00',
    expected: [
      '2024-06-03T10:15:00+08:00',
      '2024-06-03T10:30:00+08:00',
      '2024-06-03T10:45:00+08:00',
      '2024-06-03T11:00:00+08:00',
    ],
  },
  {
    name: 'hour "9-11" with minute "0,30"',
    args: { hour: '9-11', minute: '0,30' },
    now: '2024-06-03T10:40:00+08:00',
    expected: [
      '2024-06-03T11:00:00+08:00',
      '2024-06-03T11:30:00+08:00',
      '2024-06-04T09:00:00+08:00',
      '2024-06-04T09:30:00+08:00',
    ],
  },
  {
    name: 'hour "8-18/4" is 8, 12 and 16',
    args: { hour: '8-18/4' },
    now: '2024-06-03T12:00:01+08:00',
    expected: [
      '2024-06-03T16:00:00+08:00',
      '2024-06-04T08:00:00+08:00',
      '2024-06-04T12:00:00+08:00',
    ],
  },
  {
    name: 'minute "5/20" is 5, 25 and 45',
    args: { minute: '5/20' },
    now: '2024-06-03T10:26:00+08:00',
    expected: [
      '2024-06-03T10:45:00+08:00',
      '2024-06-03T11:05:00+08:00',
      '2024-06-03T11:25:00+08:00',
    ],
  },
  {
    name: 'second "*/20" fires three times a minute',
    args: { second: '*/20' },
    now: '2024-06-03T10:00:05+08:00',
    expected: [
      '2024-06-03T10:00:20+08:00',
      '2024-06-03T10:00:40+08:00',
      '2024-06-03T10:01:00+08:00',
    ],
  },
  {
    name: 'month names "jan-mar,oct" on the 1st',
    args: { month: 'jan-mar,oct', day: 1 },
    now: '2024-06-03T00:00:00+08:00',
    expected: [
      '2024-10-01T00:00:00+08:00',
      '2025-01-01T00:00:00+08:00',
      '2025-02-01T00:00:00+08:00',
      '2025-03-01T00:00:00+08:00',
      '2025-10-01T00:00:00+08:00',
    ],
  },
  {
    name: 'month "*/3" is January, April, July and October',
    args: { month: '*/3', day: 15, hour: 6 },
    now: '2024-06-03T00:00:00+08:00',
    expected: [
      '2024-07-15T06:00:00+08:00',
      '2024-10-15T06:00:00+08:00',
      '2025-01-15T06:00:00+08:00',
    ],
  },

  // "xth y", "last y" and "last" in the day field.
  {
    name: 'day "3rd fri"',
    args: { day: '3rd fri', hour: 9 },
    now: '2024-06-01T00:00:00+08:00',
    expected: [
      '2024-06-21T09:00:00+08:00',
      '2024-07-19T09:00:00+08:00',
      '2024-08-16T09:00:00+08:00',
    ],
  },
  {
    name: 'day "last fri"',
    args: { day: 'last fri' },
    now: '2024-06-01T00:00:00+08:00',
    expected: [
      '2024-06-28T00:00:00+08:00',
      '2024-07-26T00:00:00+08:00',
      '2024-08-30T00:00:00+08:00',
    ],
  },
  {
    name: 'day "5th mon" skips months with four Mondays',
    args: { day: '5th mon' },
    now: '2024-01-01T00:00:00+08:00',
    expected: [
      '2024-01-29T00:00:00+08:00',
      '2024-04-29T00:00:00+08:00',
      '2024-07-29T00:00:00+08:00',
    ],
  },
  {
    name: 'day "last" in a leap February',
    args: { day: 'last' },
    now: '2024-02-01T00:00:00+08:00',
    expected: [
      '2024-02-29T00:00:00+08:00',
      '2024-03-31T00:00:00+08:00',
      '2024-04-30T00:00:00+08:00',
    ],
  },
  {
    name: 'day "last" in a common February',
    args: { day: 'last' },
    now: '2023-02-10T00:00:00+08:00',
    expected: ['2023-02-28T00:00:00+08:00', '2023-03-31T00:00:00+08:00'],
  },
  {
    name: 'day "last" of February across leap and common years',
    args: { month: 2, day: 'last' },
    now: '2023-03-01T00:00:00+08:00',
    expected: [
      '2024-02-29T00:00:00+08:00',
      '2025-02-28T00:00:00+08:00',
      '2026-02-28T00:00:00+08:00',
      '2027-02-28T00:00:00+08:00',
      '2028-02-29T00:00:00+08:00',
    ],
  },
  {
    name: 'day 29 of February only in leap years',
    args: { month: 'feb', day: 29 },
    now: '2024-03-01T00:00:00+08:00',
    expected: ['2028-02-29T00:00:00+08:00', '2032-02-29T00:00:00+08:00'],
  },

  // Omitted fields: more significant than the least significant given field are "*", less significant their minimum.
  {
    name: "day 1, minute 20: every hour at :20 on the 1st (the docs' example)",
    args: { day: 1, minute: 20 },
    now: '2024-06-01T05:30:00+08:00',
    expected: [
      '2024-06-01T06:20:00+08:00',
      '2024-06-01T07:20:00+08:00',
      '2024-06-01T08:20:00+08:00',
    ],
  },
  {
    name: 'day 1, minute 20 late on the 1st waits for next month',
    args: { day: 1, minute: 20 },
    now: '2024-06-01T23:30:00+08:00',
    expected: ['2024-07-01T00:20:00+08:00'],
  },
  {
    name: 'hour 5 alone: minute and second are 0',
    args: { hour: 5 },
    now: '2024-06-03T05:00:01+08:00',
    expected: ['2024-06-04T05:00:00+08:00'],
  },
  {
    name: 'month 6 alone: 00:00 on June 1st',
    args: { month: 6 },
    now: '2024-05-01T00:00:00+08:00',
    expected: ['2024-06-01T00:00:00+08:00', '2025-06-01T00:00:00+08:00'],
  },
  {
    name: 'no field at all fires every second',
    args: {},
    now: '2024-06-03T10:00:00.200+08:00',
    expected: ['2024-06-03T10:00:01+08:00', '2024-06-03T10:00:02+08:00'],
  },
  {
    name: 'null counts as omitted',
    args: { hour: 7, minute: null },
    now: '2024-06-03T08:00:00+08:00',
    expected: ['2024-06-04T07:00:00+08:00'],
  },

  // year and ISO week.
  {
    name: 'year 2025 alone fires once, at its start',
    args: { year: 2025 },
    now: '2024-06-01T00:00:00+08:00',
    expected: ['2025-01-01T00:00:00+08:00'],
    ends: true,
  },
  {
    name: 'year 2025, ISO week 10, Wednesday',
    args: { year: '2025', week: 10, day_of_week: 'wed' },
    now: '2024-06-01T00:00:00+08:00',
    expected: ['2025-03-05T00:00:00+08:00'],
    ends: true,
  },
  {
    name: 'ISO week 1 Mondays fall in late December or early January',
    args: { week: '1', day_of_week: 0 },
    now: '2025-06-01T00:00:00+08:00',
    expected: ['2025-12-29T00:00:00+08:00', '2027-01-04T00:00:00+08:00'],
  },
  {
    name: 'a date that never exists never fires',
    args: { month: 2, day: 30 },
    now: '2024-01-01T00:00:00+08:00',
    expected: [],
    ends: true,
  },

  // start_date and end_date (naive ones are in the trigger's zone).
  {
    name: 'start_date (a date) delays the first run',
    args: { hour: 9, start_date: '2024-06-10' },
    now: '2024-06-03T00:00:00+08:00',
    expected: ['2024-06-10T09:00:00+08:00'],
  },
  {
    name: 'start_date just after a fire time skips it',
    args: { hour: 9, start_date: '2024-06-10 09:00:01' },
    now: '2024-06-03T00:00:00+08:00',
    expected: ['2024-06-11T09:00:00+08:00'],
  },
  {
    name: 'start_date in UTC ("T" and "Z")',
    args: { hour: 7, start_date: '2024-06-10T00:00:00Z' },
    now: '2024-06-03T00:00:00+08:00',
    expected: ['2024-06-11T07:00:00+08:00'],
  },
  {
    name: 'end_date is inclusive',
    args: { hour: 9, end_date: '2024-06-05 09:00:00' },
    now: '2024-06-03T10:00:00+08:00',
    expected: ['2024-06-04T09:00:00+08:00', '2024-06-05T09:00:00+08:00'],
    ends: true,
  },
  {
    name: 'end_date with an offset',
    args: { hour: 9, end_date: '2024-06-04T00:59:59+00:00' },
    now: '2024-06-03T08:00:00+08:00',
    expected: ['2024-06-03T09:00:00+08:00'],
    ends: true,
  },
  {
    name: 'an explicit timezone argument',
    args: { hour: 9, timezone: 'Europe/Berlin' },
    now: '2024-06-03T00:00:00+02:00',
    expected: ['2024-06-03T09:00:00+02:00', '2024-06-04T09:00:00+02:00'],
  },
];

describe('cron trigger: next fire times', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const count = row.expected.length + (row.ends === true ? 1 : 0);
      assert.deepEqual(
        await fireTimes(trigger('cron', row.args), row.now, count),
        instants(...row.expected),
      );
    });
  }
});

describe('cron trigger: previous fire time and now', () => {
  const daily = trigger('cron', ORIGINAL_DAILY_JOB);

  it('continues after the previous fire time', async () => {
    const next = await daily.nextFireTime(
      new Date('2024-06-03T09:00:00+08:00'),
      new Date('2024-06-03T09:00:05+08:00'),
    );
    assert.equal(next?.toISOString(), instants('2024-06-04T09:00:00+08:00')[0]);
  });

  it('returns the missed run after a long pause, as APScheduler does (the scheduler decides about it)', async () => {
    const next = await daily.nextFireTime(
      new Date('2024-06-03T09:00:00+08:00'),
      new Date('2024-06-05T12:00:00+08:00'),
    );
    assert.equal(next?.toISOString(), instants('2024-06-04T09:00:00+08:00')[0]);
  });

  it('describes itself like APScheduler (given fields only) with its zone', () => {
    assert.equal(
      daily.describe(),
      "cron[month='*', day='*', day_of_week='*', hour='9', minute='0', second='0'] Asia/Shanghai",
    );
    assert.equal(daily.type, 'cron');
    assert.equal(daily.timeZone, 'Asia/Shanghai');
    assert.equal(
      trigger('cron', { month: 'JAN-mar', day_of_week: '0', day: 'Last Fri' }).describe(),
      "cron[month='jan-mar', day='last fri', day_of_week='0'] Asia/Shanghai",
    );
  });
});

describe('cron trigger: jitter', () => {
  it('adds random.uniform(0, jitter) seconds: half of 120 s with random 0.5', async () => {
    assert.deepEqual(
      await fireTimes(trigger('cron', { hour: 9, jitter: 120 }), '2024-06-03T08:00:00+08:00', 1),
      instants('2024-06-03T09:01:00+08:00'),
    );
  });

  it('keeps the delay within [0, jitter] seconds for any random value', async () => {
    for (const [random, expected] of [
      [0, '2024-06-03T09:00:00+08:00'],
      [0.25, '2024-06-03T09:00:30+08:00'],
      [0.999999, '2024-06-03T09:01:59.999+08:00'],
    ] as const) {
      const subject = trigger('cron', { hour: 9, jitter: 120 }, { random: () => random });
      const [next] = await fireTimes(subject, '2024-06-03T08:00:00+08:00', 1);
      assert.equal(next, instants(expected)[0], `random ${random}`);
    }
  });

  it('searches on from the jittered previous time', async () => {
    const subject = trigger('cron', { hour: 9, jitter: 120 });
    const next = await subject.nextFireTime(
      new Date('2024-06-03T09:01:00+08:00'),
      new Date('2024-06-03T09:01:00+08:00'),
    );
    assert.equal(next?.toISOString(), instants('2024-06-04T09:01:00+08:00')[0]);
  });

  it('a negative jitter fires early, as random.uniform(0, -60) does', async () => {
    assert.deepEqual(
      await fireTimes(trigger('cron', { hour: 9, jitter: -60 }), '2024-06-03T08:00:00+08:00', 1),
      instants('2024-06-03T08:59:30+08:00'),
    );
  });

  it('never goes past end_date: the jittered time is clamped to it', async () => {
    const subject = trigger('cron', { hour: 9, jitter: 60, end_date: '2024-06-03 09:00:10' });
    assert.deepEqual(
      await fireTimes(subject, '2024-06-03T08:00:00+08:00', 2),
      instants('2024-06-03T09:00:10+08:00'),
    );
  });
});
