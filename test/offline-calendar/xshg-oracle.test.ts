/**
 * Compares the offline calendar with the XSHG reference files in ../shared/data (a test oracle
 * only: the shipped code never reads them). Every covered day must agree.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  createOfflineCalendar,
  type OfflineCalendar,
} from '../../src/sources/offline-calendar/index.js';
import { referenceCalendar, referenceYearCounts } from '../support/reference-data.js';

describe('offline calendar against the XSHG oracle', () => {
  let calendar: OfflineCalendar;
  let oracleDays: Map<string, boolean>;
  let lastCompared: string;

  before(() => {
    calendar = createOfflineCalendar();
    oracleDays = new Map(referenceCalendar().map(([date, flag]) => [date, flag === '1']));
    const oracleEnd = [...oracleDays.keys()].at(-1) ?? '';
    lastCompared = calendar.coveredRange.to < oracleEnd ? calendar.coveredRange.to : oracleEnd;
  });

  it('covers 2004-01-01 to the end of a year', () => {
    assert.equal(calendar.coveredRange.from, '2004-01-01');
    assert.match(calendar.coveredRange.to, /^\d{4}-12-31$/);
  });

  it('agrees with the oracle on every day from 2004-01-01', () => {
    const days = calendar.days('2004-01-01', lastCompared);
    const differences = days
      .filter((day) => oracleDays.get(day.calendarDate) !== day.isTradingDay)
      .map(
        (day) =>
          `${day.calendarDate}: ours ${day.isTradingDay}, oracle ${String(oracleDays.get(day.calendarDate))}`,
      );
    assert.deepEqual(
      differences.slice(0, 20),
      [],
      `${differences.length} days differ, first ones listed`,
    );
    // Every compared day was present in the oracle, so the check above really covered them all.
    assert.ok(days.every((day) => oracleDays.has(day.calendarDate)));
    assert.ok(days.length > 8000, `compared only ${days.length} days`);
  });

  it('has the oracle trading-day count in every full covered year', () => {
    const lastYear = Number(lastCompared.slice(0, 4));
    const expected = referenceYearCounts().filter(({ year }) => year >= 2004 && year <= lastYear);
    assert.equal(expected.length, lastYear - 2004 + 1);
    const actual = expected.map(({ year }) => ({
      year,
      count: calendar.days(`${year}-01-01`, `${year}-12-31`).filter((day) => day.isTradingDay)
        .length,
    }));
    assert.deepEqual(actual, expected);
  });
});
