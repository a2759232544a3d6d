import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { adjustDailyBars } from '../../src/sources/baostock/adjust-daily-bars.js';
import { divideDecimals, formatDecimal, parseDecimal } from '../../src/sources/baostock/decimal.js';
import { FrameReader } from '../../src/sources/baostock/frame-reader.js';
import {
  decodeAdjustFactors,
  decodeDailyBars,
  type AdjustFactorRow,
  type DailyBar,
} from '../../src/sources/baostock/market-rows.js';
import { readRecordPage } from '../../src/sources/baostock/record-page.js';
import { K_LINE_COLUMNS } from '../support/baostock-fake-market.js';
import { capture, fakeMarket } from './helpers.js';

function bar(tradeDate: string, close: string, extra: Partial<DailyBar> = {}): DailyBar {
  return {
    code: 'sh.600000',
    tradeDate,
    open: close,
    high: close,
    low: close,
    close,
    preclose: close,
    volume: 1000,
    amount: '10000',
    turn: '0.1',
    pctChg: '0',
    tradeStatus: 1,
    isSt: false,
    ...extra,
  };
}

const factor = (dividOperateDate: string, fore: string, back: string): AdjustFactorRow => ({
  code: 'sh.600000',
  dividOperateDate,
  foreAdjustFactor: fore,
  backAdjustFactor: back,
  adjustFactor: back,
});

/**
 * Worked by hand. Two ex-dividend dates: 2024-01-03 (back 1 → 1.25) and 2024-01-05
 * (1.25 → 1.5625). Fore factors are back / latest back: 1/1.5625 = 0.64 before the first,
 * 1.25/1.5625 = 0.8 from the first, 1 from the second. The raw closes fall on each ex-date by
 * exactly the factor step, so the adjusted series is flat across them.
 */
const HAND_BARS = [
  bar('2024-01-02', '10.00', { high: '10.20', low: '9.90' }),
  bar('2024-01-03', '8.00', { preclose: '8.00' }),
  bar('2024-01-04', '8.10', { open: '8.0000', preclose: '8.00' }),
  bar('2024-01-05', '6.48', { preclose: '6.48' }),
  bar('2024-01-08', '6.50', { preclose: '6.48' }),
];
const HAND_FACTORS = [factor('2024-01-05', '1', '1.5625'), factor('2024-01-03', '0.8', '1.25')];

describe('adjustDailyBars', () => {
  it('a hand-worked example with two ex-dividend dates, both ways', () => {
    const pick = (bars: DailyBar[]) =>
      bars.map((b) => [b.tradeDate, b.open, b.high, b.low, b.close, b.preclose]);
    assert.deepEqual(pick(adjustDailyBars(HAND_BARS, HAND_FACTORS, 'BACKWARD')), [
      ['2024-01-02', '10', '10.2', '9.9', '10', '10'],
      ['2024-01-03', '10', '10', '10', '10', '10'],
      ['2024-01-04', '10', '10.125', '10.125', '10.125', '10'],
      ['2024-01-05', '10.125', '10.125', '10.125', '10.125', '10.125'],
      ['2024-01-08', '10.15625', '10.15625', '10.15625', '10.15625', '10.125'],
    ]);
    assert.deepEqual(pick(adjustDailyBars(HAND_BARS, HAND_FACTORS, 'FORWARD')), [
      ['2024-01-02', '6.4', '6.528', '6.336', '6.4', '6.4'],
      ['2024-01-03', '6.4', '6.4', '6.4', '6.4', '6.4'],
      ['2024-01-04', '6.4', '6.48', '6.48', '6.48', '6.4'],
      ['2024-01-05', '6.48', '6.48', '6.48', '6.48', '6.48'],
      ['2024-01-08', '6.5', '6.5', '6.5', '6.5', '6.48'],
    ]);
    const none = adjustDailyBars(HAND_BARS, HAND_FACTORS, 'NONE');
    assert.deepEqual(none, HAND_BARS);
    assert.notEqual(none[0], HAND_BARS[0]);
  });

  it('volume, amount, turn and pctChg are left as they are; empty prices stay null', () => {
    const suspended = bar('2024-01-04', '8.10', {
      open: null,
      high: null,
      low: null,
      tradeStatus: 0,
    });
    const [out] = adjustDailyBars([suspended], HAND_FACTORS, 'BACKWARD');
    assert.deepEqual(out, { ...suspended, close: '10.125', preclose: '10.125' });
  });

  it("reproduces BaoStock's own forward k-lines of sh.600000 from raw prices and the captured factor", () => {
    const reply = new FrameReader().push(capture('query_history_k_data_plus', 'response.bin'))!;
    const forward = decodeDailyBars(readRecordPage(reply, 1, 'k'), 'k');
    const factorReply = new FrameReader().push(capture('query_adjust_factor', 'response.bin'))!;
    const factors = decodeAdjustFactors(readRecordPage(factorReply, 1, 'f'), 'f');
    const fore = parseDecimal(factors[0]!.foreAdjustFactor)!;
    // Raw A-share prices have 2 decimals: dividing BaoStock's values back must land on cents.
    const toRaw = (p: string | null) => {
      const raw = formatDecimal(divideDecimals(parseDecimal(p!)!, fore, 4));
      assert.match(raw, /^\d+(\.\d{1,2})?$/);
      return raw;
    };
    const raw = forward.map((b) => ({
      ...b,
      open: toRaw(b.open),
      high: toRaw(b.high),
      low: toRaw(b.low),
      close: toRaw(b.close),
      preclose: toRaw(b.preclose),
    }));
    assert.equal(raw[0]!.close, '6.6');
    assert.deepEqual(adjustDailyBars(raw, factors, 'FORWARD'), forward);
  });

  it('two ranges adjusted apart stitch into the whole, across ex-dividend dates', () => {
    const market = fakeMarket();
    const code = 'sz.000001';
    const page = (records: string[][], echoes: string[]) => ({
      rowsPerPage: 10_000,
      records,
      echoes,
    });
    const bars = decodeDailyBars(
      page(market.dailyBars(code, K_LINE_COLUMNS, '2019-01-01', '2024-12-31'), [
        code,
        K_LINE_COLUMNS.join(','),
      ]),
      'bars',
    );
    const factors = decodeAdjustFactors(
      page(market.adjustFactors(code, '1990-01-01', '2026-12-31'), [
        code,
        '1990-01-01',
        '2026-12-31',
        'code,dividOperateDate,foreAdjustFactor,backAdjustFactor,adjustFactor',
      ]),
      'factors',
    );
    const exDates = factors
      .map((f) => f.dividOperateDate)
      .filter((d) => d >= '2019' && d <= '2024-12-31');
    assert.ok(exDates.length >= 3, `ex-dividend dates in range: ${exDates.join(', ')}`);
    // Split on an ex-dividend day, and on an ordinary one.
    for (const split of [exDates[1]!, '2021-03-15']) {
      const first = bars.filter((b) => b.tradeDate < split);
      const second = bars.filter((b) => b.tradeDate >= split);
      for (const mode of ['FORWARD', 'BACKWARD'] as const) {
        const whole = adjustDailyBars(bars, factors, mode);
        const stitched = [
          ...adjustDailyBars(first, factors, mode),
          ...adjustDailyBars(second, factors, mode),
        ];
        assert.deepEqual(stitched, whole, `${mode} split at ${split}`);
      }
    }
    // No float anywhere: every adjusted price is the exact product (scale ≤ 4 + 6).
    for (const b of adjustDailyBars(bars, factors, 'FORWARD'))
      assert.match(b.close!, /^\d+(\.\d{1,10})?$/);
  });

  it('refuses a factor table with one date given two different ways', () => {
    assert.throws(
      () =>
        adjustDailyBars(
          HAND_BARS,
          [...HAND_FACTORS, factor('2024-01-03', '0.7', '1.25')],
          'FORWARD',
        ),
      (e: unknown) =>
        e instanceof ValidationError && /sh.600000 2024-01-03: two factor rows/.test(e.message),
    );
  });
});
