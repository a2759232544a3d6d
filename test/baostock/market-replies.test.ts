import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeRequest } from '../../src/sources/baostock/frame.js';
import { FrameReader, type BaoStockReply } from '../../src/sources/baostock/frame-reader.js';
import { BaoStockProtocolError, BaoStockRowError } from '../../src/sources/baostock/errors.js';
import {
  adjustFactorRequest,
  allStockRequest,
  kLineRequest,
  stockBasicRequest,
} from '../../src/sources/baostock/market-requests.js';
import {
  decodeAdjustFactors,
  decodeDailyBars,
  decodeSecurities,
  decodeUniverse,
} from '../../src/sources/baostock/market-rows.js';
import { readRecordPage } from '../../src/sources/baostock/record-page.js';
import { capture } from './helpers.js';

const page1 = { version: '00.9.10', user: 'anonymous', page: 1, rowsPerPage: 10_000 };

function reply(name: Parameters<typeof capture>[0]): BaoStockReply {
  const read = new FrameReader().push(capture(name, 'response.bin'));
  assert.ok(read, `${name} reply is complete`);
  return read;
}

describe('market requests are the captured frames byte for byte', () => {
  it('query_all_stock for 2024-01-02', () => {
    assert.deepEqual(
      encodeRequest(allStockRequest({ ...page1, day: '2024-01-02' })),
      capture('query_all_stock', 'request.bin'),
    );
  });

  it('query_stock_basic for sh.600000, the empty name field closing the body', () => {
    assert.deepEqual(
      encodeRequest(stockBasicRequest({ ...page1, code: 'sh.600000' })),
      capture('query_stock_basic', 'request.bin'),
    );
  });

  it('query_history_k_data_plus: 14 fields, daily, forward-adjusted as captured', () => {
    const frame = kLineRequest({
      ...page1,
      code: 'sh.600000',
      from: '2024-01-01',
      to: '2024-01-31',
      adjustFlag: '2',
    });
    assert.deepEqual(encodeRequest(frame), capture('query_history_k_data_plus', 'request.bin'));
    // What we send by default: unadjusted (adjusting is ours to do, exactly).
    const plain = kLineRequest({
      ...page1,
      code: 'sh.600000',
      from: '2024-01-01',
      to: '2024-01-31',
    });
    assert.equal(plain.fields.at(-1), '3');
    assert.equal(plain.fields.at(-2), 'd');
  });

  it('query_adjust_factor for sh.600000 over 2023', () => {
    assert.deepEqual(
      encodeRequest(
        adjustFactorRequest({ ...page1, code: 'sh.600000', from: '2023-01-01', to: '2023-12-31' }),
      ),
      capture('query_adjust_factor', 'request.bin'),
    );
  });
});

describe('market replies decode into typed rows', () => {
  it('query_all_stock: 5,638 securities, 7 suspended, Chinese names intact', () => {
    const where = 'BaoStock query_all_stock 2024-01-02 page 1';
    const page = readRecordPage(reply('query_all_stock'), 1, where);
    const rows = decodeUniverse(page, where);
    assert.equal(rows.length, 5638);
    assert.equal(rows.filter((r) => r.tradeStatus === 0).length, 7);
    assert.deepEqual(rows[0], { code: 'sh.000001', tradeStatus: 1, name: '上证综合指数' });
    assert.equal(new Set(rows.map((r) => r.code)).size, 5638);
    assert.equal(page.rowsPerPage, 10_000);
  });

  it('query_stock_basic: one row, the empty out date as null', () => {
    const where = 'BaoStock query_stock_basic sh.600000 page 1';
    const rows = decodeSecurities(readRecordPage(reply('query_stock_basic'), 1, where), where);
    assert.deepEqual(rows, [
      {
        code: 'sh.600000',
        name: '浦发银行',
        ipoDate: '1999-11-10',
        outDate: null,
        type: 1,
        status: 1,
      },
    ]);
  });

  it('query_adjust_factor: one row, factors as exact decimal strings', () => {
    const where = 'BaoStock query_adjust_factor page 1';
    const rows = decodeAdjustFactors(readRecordPage(reply('query_adjust_factor'), 1, where), where);
    assert.deepEqual(rows, [
      {
        code: 'sh.600000',
        dividOperateDate: '2023-07-21',
        foreAdjustFactor: '0.936211',
        backAdjustFactor: '11.949786',
        adjustFactor: '11.949786',
      },
    ]);
  });

  it('query_history_k_data_plus (compressed): 22 bars, canonical decimals, the echoed flag kept', () => {
    const read = reply('query_history_k_data_plus');
    assert.equal(read.compressed, true);
    const where = 'BaoStock query_history_k_data_plus page 1';
    const page = readRecordPage(read, 1, where);
    assert.equal(page.echoes.at(-1), '2');
    const bars = decodeDailyBars(page, where);
    assert.equal(bars.length, 22);
    assert.deepEqual(bars[0], {
      code: 'sh.600000',
      tradeDate: '2024-01-02',
      open: '6.20707893',
      high: '6.22580315',
      low: '6.1789926',
      close: '6.1789926',
      preclose: '6.19771682',
      volume: 22066700,
      amount: '146066303.72',
      turn: '0.0752',
      pctChg: '-0.3021',
      tradeStatus: 1,
      isSt: false,
    });
    assert.equal(bars[14]!.pctChg, '0');
    assert.equal(bars.at(-1)!.tradeDate, '2024-01-31');
  });
});

describe('market rows: bad values are named', () => {
  const pageOf = (record: string[], columns: string): BaoStockReply => {
    const fields = [
      '0',
      'success',
      'query_x',
      'anonymous',
      '1',
      '10000',
      JSON.stringify({ record: [record] }),
      'x',
      columns,
    ];
    return {
      version: '00.9.00',
      type: '46',
      declaredLength: 0,
      compressed: false,
      body: '',
      fields,
    };
  };
  const where = 'BaoStock query_stock_basic sh.600000 page 1';

  it('a bad date names the row and column', () => {
    const page = readRecordPage(
      pageOf(
        ['sh.600000', '浦发银行', '1999-02-30', '', '1', '1'],
        'code, code_name, ipoDate, outDate, type, status',
      ),
      1,
      where,
    );
    assert.throws(
      () => decodeSecurities(page, where),
      (e: unknown) =>
        e instanceof BaoStockRowError &&
        e.message === `${where} row 1: ipoDate "1999-02-30" is not a date written YYYY-MM-DD`,
    );
  });

  it('dates: leap days read by the Gregorian rule, impossible days refused', () => {
    const ipo = (date: string) =>
      readRecordPage(
        pageOf(
          ['sh.600000', '浦发银行', date, '', '1', '1'],
          'code, code_name, ipoDate, outDate, type, status',
        ),
        1,
        where,
      );
    for (const date of ['2024-02-29', '2000-02-29', '1990-12-31', '2023-01-01'])
      assert.equal(decodeSecurities(ipo(date), where)[0]!.ipoDate, date);
    for (const date of [
      '2023-02-29',
      '1900-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '0099-01-01',
    ])
      assert.throws(() => decodeSecurities(ipo(date), where), BaoStockRowError, date);
  });

  it('data that is not records of strings is named where it goes wrong', () => {
    const fields = pageOf([], 'code').fields;
    fields[6] = JSON.stringify({ record: [['sh.600000', 7]] });
    assert.throws(
      () => readRecordPage({ ...pageOf([], 'code'), fields }, 1, where),
      (e: unknown) =>
        e instanceof BaoStockProtocolError &&
        e.message.endsWith('data.record[0][1]: Invalid input: expected string, received number'),
    );
  });

  it('a price that is not a plain decimal, and an empty numeric field read as null', () => {
    const columns =
      'date,code,open,high,low,close,preclose,volume,amount,adjustflag,turn,tradestatus,pctChg,isST';
    const good = [
      '2024-01-02',
      'sh.600000',
      '6.6',
      '6.7',
      '6.5',
      '6.6',
      '6.6',
      '0',
      '0',
      '3',
      '',
      '0',
      '',
      '0',
    ];
    const read = (record: string[]) => {
      const fields = [
        '0',
        'success',
        'query_history_k_data_plus',
        'anonymous',
        '1',
        '10000',
        JSON.stringify({ record: [record] }),
        'sh.600000',
        columns,
        '2024-01-01',
        '2024-01-02',
        'd',
        '3',
      ];
      const r: BaoStockReply = {
        version: '00.9.00',
        type: '96',
        declaredLength: 0,
        compressed: true,
        body: '',
        fields,
      };
      return decodeDailyBars(readRecordPage(r, 1, 'k'), 'k');
    };
    const [bar] = read(good);
    assert.equal(bar!.turn, null);
    assert.equal(bar!.pctChg, null);
    assert.equal(bar!.tradeStatus, 0);
    const bad = [...good];
    bad[2] = '1e3';
    assert.throws(() => read(bad), /k row 1: open "1e3" is not a plain decimal number/);
    const short = good.slice(0, 13);
    assert.throws(() => read(short), BaoStockProtocolError);
  });

  it('a page echo that is not the page asked for', () => {
    assert.throws(
      () => readRecordPage(pageOf([], 'code'), 2, 'q'),
      /q: reply echoes page "1", expected 2/,
    );
  });
});
