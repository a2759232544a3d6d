import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  catchUpPartitions,
  partitionOfDay,
} from '../../src/schedule/partitions/partition-of-day.js';
import { partitionSpecSchema } from '../../src/schedule/partitions/partition-spec.js';
import { dayInZone } from '../../src/schedule/partitions/day-in-zone.js';
import { spring2024, tradingDaysOf } from './support.js';

const days = tradingDaysOf('2024-01-01', '2024-03-31', spring2024);
const lag = (n: number, nonTradingDay: 'previous' | 'skip' = 'previous') => ({
  lag: n,
  nonTradingDay,
});

describe('the partition of a firing', () => {
  it('lag 0 on a trading day is that day; on a weekend the Friday before', async () => {
    assert.deepEqual(await partitionOfDay('2024-01-05', lag(0), days), { partition: '2024-01-05' });
    assert.deepEqual(await partitionOfDay('2024-01-06', lag(0), days), { partition: '2024-01-05' });
    assert.deepEqual(await partitionOfDay('2024-01-07', lag(0), days), { partition: '2024-01-05' });
  });

  it('lag 1 at a Monday 09:00 run loads the Friday before; around the Spring Festival the last day before it', async () => {
    assert.deepEqual(await partitionOfDay('2024-01-08', lag(1), days), { partition: '2024-01-05' });
    assert.deepEqual(await partitionOfDay('2024-02-19', lag(1), days), { partition: '2024-02-08' });
    assert.deepEqual(await partitionOfDay('2024-02-20', lag(1), days), { partition: '2024-02-19' });
    // A closed day first steps back to its trading day, then lag more.
    assert.deepEqual(await partitionOfDay('2024-02-12', lag(1), days), { partition: '2024-02-07' });
    assert.deepEqual(await partitionOfDay('2024-02-12', lag(0), days), { partition: '2024-02-08' });
  });

  it('runs nothing on a closed day when the schedule says skip, and says why', async () => {
    const choice = await partitionOfDay('2024-02-13', lag(0, 'skip'), days);
    assert.equal(choice.partition, null);
    assert.match(choice.reason, /2024-02-13 is not a trading day .*"skip"/);
    assert.deepEqual(await partitionOfDay('2024-02-19', lag(0, 'skip'), days), {
      partition: '2024-02-19',
    });
  });

  it('has no partition for a day the stored calendar does not cover, or with nothing before it', async () => {
    const beyond = await partitionOfDay('2024-04-01', lag(0), days);
    assert.equal(beyond.partition, null);
    assert.match(beyond.reason, /does not cover 2024-04-01/);
    const first = await partitionOfDay('2024-01-02', lag(1), days);
    assert.equal(first.partition, null);
    assert.match(first.reason, /no trading day 1 trading day\(s\) before 2024-01-02/);
  });

  it('takes the firing’s day in the schedule’s zone', () => {
    // 17:30 UTC on the 5th is 01:30 on the 6th in Shanghai.
    assert.equal(dayInZone(new Date('2024-01-05T17:30:00Z'), 'Asia/Shanghai'), '2024-01-06');
    assert.equal(dayInZone(new Date('2024-01-05T17:30:00Z'), 'UTC'), '2024-01-05');
  });
});

describe('catch-up after downtime', () => {
  it('runs every missed trading day once, oldest first: a week of downtime is five runs, a holiday none', async () => {
    const week = await catchUpPartitions('2024-01-05', '2024-01-12', 10, days);
    assert.deepEqual(week.partitions, [
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
      '2024-01-11',
      '2024-01-12',
    ]);
    const festival = await catchUpPartitions('2024-02-08', '2024-02-19', 10, days);
    assert.deepEqual(festival.partitions, ['2024-02-19']);
  });

  it('keeps the newest max_catchup partitions and names the ones left to a backfill', async () => {
    const capped = await catchUpPartitions('2024-01-05', '2024-01-12', 3, days);
    assert.deepEqual(capped.partitions, ['2024-01-10', '2024-01-11', '2024-01-12']);
    assert.deepEqual(capped.dropped, ['2024-01-08', '2024-01-09']);
  });

  it('runs only the current partition for a schedule that never finished one, or is ahead', async () => {
    assert.deepEqual((await catchUpPartitions(null, '2024-01-12', 10, days)).partitions, [
      '2024-01-12',
    ]);
    assert.deepEqual((await catchUpPartitions('2024-01-12', '2024-01-12', 10, days)).partitions, [
      '2024-01-12',
    ]);
  });
});

describe('a schedule file’s partitions', () => {
  it('defaults lag 0, max_catchup 10, previous trading day; refuses what it does not know, naming it', () => {
    assert.deepEqual(partitionSpecSchema.parse({ by: 'trading_day' }), {
      by: 'trading_day',
      lag: 0,
      maxCatchup: 10,
      nonTradingDay: 'previous',
    });
    const bad = partitionSpecSchema.safeParse({ by: 'calendar_day', lag: -1, extra: 1 });
    assert.equal(bad.success, false);
    const paths = bad.error.issues.map((i) => i.path.join('.') || i.message);
    assert.ok(paths.includes('by') && paths.includes('lag'), JSON.stringify(bad.error.issues));
  });
});
