import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDailyBars } from '../../src/sources/baostock/check-daily-bars.js';
import type { DailyBar } from '../../src/sources/baostock/market-rows.js';

function bar(tradeDate: string, extra: Partial<DailyBar> = {}): DailyBar {
  return {
    code: 'sz.000001',
    tradeDate,
    open: '10.1',
    high: '10.5',
    low: '9.8',
    close: '10.2',
    preclose: '10',
    volume: 5000,
    amount: '51000',
    turn: '0.2',
    pctChg: '2',
    tradeStatus: 1,
    isSt: false,
    ...extra,
  };
}

const OPEN_DAYS = new Set(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);

describe('checkDailyBars', () => {
  it('passes good bars through in order, an identical repeat once', () => {
    const bars = [bar('2024-01-02'), bar('2024-01-03'), bar('2024-01-02')];
    assert.deepEqual(checkDailyBars(bars, OPEN_DAYS), { bars: bars.slice(0, 2), problems: [] });
  });

  it('names code and date of each refused bar, and keeps the rest', () => {
    const result = checkDailyBars(
      [
        bar('2024-01-06'),
        bar('2024-01-02', { low: '10.15' }),
        bar('2024-01-03', { high: '10.15' }),
        bar('2024-01-04', { volume: -1 }),
        bar('2024-01-05', { close: null }),
        bar('2024-01-05', { code: 'sz.000002' }),
      ],
      (d) => OPEN_DAYS.has(d),
    );
    assert.deepEqual(
      result.problems.map((p) => p.problem),
      [
        'sz.000001 2024-01-06: a bar on a day the calendar says the exchange was closed',
        'sz.000001 2024-01-02: low 10.15 is above the lower of open 10.1 and close 10.2',
        'sz.000001 2024-01-03: high 10.15 is below the higher of open 10.1 and close 10.2',
        'sz.000001 2024-01-04: volume -1 is negative',
        'sz.000001 2024-01-05: a traded bar without close',
      ],
    );
    assert.deepEqual(result.problems[0]!.tradeDate, '2024-01-06');
    assert.deepEqual(
      result.bars.map((b) => b.code),
      ['sz.000002'],
    );
  });

  it('a suspended bar needs no prices and no bounds', () => {
    const suspended = bar('2024-01-02', {
      open: null,
      high: null,
      low: '11',
      close: '10',
      tradeStatus: 0,
      volume: 0,
      turn: null,
      pctChg: null,
    });
    assert.deepEqual(checkDailyBars([suspended], OPEN_DAYS).problems, []);
  });

  it('two different bars for one key: both refused, named with what differs', () => {
    const result = checkDailyBars(
      [
        bar('2024-01-02'),
        bar('2024-01-03'),
        bar('2024-01-02', { close: '10.3', volume: 6000 }),
        bar('2024-01-02', { close: '10.4' }),
      ],
      OPEN_DAYS,
    );
    assert.deepEqual(
      result.bars.map((b) => b.tradeDate),
      ['2024-01-03'],
    );
    assert.deepEqual(result.problems, [
      {
        code: 'sz.000001',
        tradeDate: '2024-01-02',
        problem:
          'sz.000001 2024-01-02: two bars for the same day differ (close 10.2 vs 10.3, volume 5000 vs 6000)',
      },
    ]);
  });
});
