import { DAILY_BAR_FIELDS } from './market-requests.js';
import {
  choiceValue,
  codeValue,
  dateValue,
  decimalOrNull,
  decimalValue,
  integerOrNull,
  optionalDateValue,
  textValue,
} from './market-values.js';
import { recordsByName, splitColumnList, type RecordPage } from './record-page.js';

/**
 * Typed rows of the market queries, in the field names of the Drizzle tables (security,
 * daily_bar, adjust_factor): decimals as canonical strings, empty numbers as null, dates
 * YYYY-MM-DD. Decoders map by column name and name the query, row and column of a bad value.
 */

/** One row of query_all_stock: a security BaoStock knows on that day. */
export interface UniverseRow {
  code: string;
  /** 1 traded that day, 0 suspended. */
  tradeStatus: 0 | 1;
  name: string;
}

/** One row of query_stock_basic. */
export interface SecurityRow {
  code: string;
  name: string;
  ipoDate: string | null;
  /** Null while listed. */
  outDate: string | null;
  /** 1 stock, 2 index, 3 other, 4 convertible bond, 5 ETF. */
  type: 1 | 2 | 3 | 4 | 5;
  /** 1 listed, 0 delisted. */
  status: 0 | 1;
}

/** One unadjusted (or BaoStock-adjusted, per the request's flag) daily k-line. */
export interface DailyBar {
  code: string;
  tradeDate: string;
  open: string | null;
  high: string | null;
  low: string | null;
  close: string | null;
  preclose: string | null;
  /** Shares. */
  volume: number | null;
  amount: string | null;
  /** Turnover, percent. */
  turn: string | null;
  /** Change against the previous close, percent. */
  pctChg: string | null;
  /** 1 traded, 0 suspended. */
  tradeStatus: 0 | 1;
  isSt: boolean;
}

/** One ex-dividend event: its factors hold from `dividOperateDate` until the next row's. */
export interface AdjustFactorRow {
  code: string;
  dividOperateDate: string;
  foreAdjustFactor: string;
  backAdjustFactor: string;
  adjustFactor: string;
}

const rowWhere = (where: string, index: number): string => `${where} row ${index + 1}`;
/** The column list is the last field of these replies (`code, code_name, …`). */
const lastColumns = (page: RecordPage): string[] => splitColumnList(page.echoes.at(-1) ?? '');

export function decodeUniverse(page: RecordPage, where: string): UniverseRow[] {
  const rows = recordsByName(
    page.records,
    lastColumns(page),
    ['code', 'tradeStatus', 'code_name'],
    where,
  );
  return rows.map((r, i) => {
    const w = rowWhere(where, i);
    return {
      code: codeValue(r.code, { where: w, column: 'code' }),
      tradeStatus: choiceValue(r.tradeStatus, { where: w, column: 'tradeStatus' }, [0, 1]),
      name: r.code_name,
    };
  });
}

export function decodeSecurities(page: RecordPage, where: string): SecurityRow[] {
  const rows = recordsByName(
    page.records,
    lastColumns(page),
    ['code', 'code_name', 'ipoDate', 'outDate', 'type', 'status'],
    where,
  );
  return rows.map((r, i) => {
    const w = rowWhere(where, i);
    return {
      code: codeValue(r.code, { where: w, column: 'code' }),
      name: textValue(r.code_name, { where: w, column: 'code_name' }),
      ipoDate: optionalDateValue(r.ipoDate, { where: w, column: 'ipoDate' }),
      outDate: optionalDateValue(r.outDate, { where: w, column: 'outDate' }),
      type: choiceValue(r.type, { where: w, column: 'type' }, [1, 2, 3, 4, 5]),
      status: choiceValue(r.status, { where: w, column: 'status' }, [0, 1]),
    };
  });
}

export function decodeAdjustFactors(page: RecordPage, where: string): AdjustFactorRow[] {
  const rows = recordsByName(
    page.records,
    lastColumns(page),
    ['code', 'dividOperateDate', 'foreAdjustFactor', 'backAdjustFactor', 'adjustFactor'],
    where,
  );
  return rows.map((r, i) => {
    const w = rowWhere(where, i);
    return {
      code: codeValue(r.code, { where: w, column: 'code' }),
      dividOperateDate: dateValue(r.dividOperateDate, { where: w, column: 'dividOperateDate' }),
      foreAdjustFactor: decimalValue(r.foreAdjustFactor, { where: w, column: 'foreAdjustFactor' }),
      backAdjustFactor: decimalValue(r.backAdjustFactor, { where: w, column: 'backAdjustFactor' }),
      adjustFactor: decimalValue(r.adjustFactor, { where: w, column: 'adjustFactor' }),
    };
  });
}

/**
 * K-line replies echo `code, fields, from, to, frequency, adjustflag` after the data; the columns
 * are the echoed fields (the ones we asked for when a page leaves the echo out).
 */
export function decodeDailyBars(
  page: RecordPage,
  where: string,
  asked: readonly string[] = DAILY_BAR_FIELDS,
): DailyBar[] {
  const echoed = page.echoes[1];
  const columns = echoed !== undefined && echoed !== '' ? splitColumnList(echoed) : [...asked];
  const needed = DAILY_BAR_FIELDS.filter((name) => name !== 'adjustflag');
  const rows = recordsByName(page.records, columns, needed, where);
  return rows.map((r, i) => {
    const w = rowWhere(where, i);
    const at = (column: string) => ({ where: w, column });
    return {
      code: codeValue(r.code, at('code')),
      tradeDate: dateValue(r.date, at('date')),
      open: decimalOrNull(r.open, at('open')),
      high: decimalOrNull(r.high, at('high')),
      low: decimalOrNull(r.low, at('low')),
      close: decimalOrNull(r.close, at('close')),
      preclose: decimalOrNull(r.preclose, at('preclose')),
      volume: integerOrNull(r.volume, at('volume')),
      amount: decimalOrNull(r.amount, at('amount')),
      turn: decimalOrNull(r.turn, at('turn')),
      pctChg: decimalOrNull(r.pctChg, at('pctChg')),
      tradeStatus: choiceValue(r.tradestatus, at('tradestatus'), [0, 1]),
      isSt: choiceValue(r.isST, at('isST'), [0, 1]) === 1,
    };
  });
}
