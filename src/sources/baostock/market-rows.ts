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
  type ValueAt,
} from './market-values.js';
import {
  columnIndexes,
  fullRecord,
  recordsByName,
  splitColumnList,
  type RecordPage,
} from './record-page.js';

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
  const records = page.records;
  if (records.length === 0) return [];
  const echoed = page.echoes[1];
  const columns = echoed !== undefined && echoed !== '' ? splitColumnList(echoed) : [...asked];
  const needed = DAILY_BAR_FIELDS.filter((name) => name !== 'adjustflag');
  const at = columnIndexes(columns, needed, where);
  // A page is a year of one code and the market ~1.2 M bars a year, so the decoder reads each
  // record in place and names a bad value's place only when there is one.
  let row = 0;
  const place = valuePlaces(needed, () => rowWhere(where, row));
  const bars = new Array<DailyBar>(records.length);
  for (; row < records.length; row++) {
    const r = fullRecord(records, row, columns, where);
    bars[row] = {
      code: codeValue(r[at.code]!, place.code),
      tradeDate: dateValue(r[at.date]!, place.date),
      open: decimalOrNull(r[at.open]!, place.open),
      high: decimalOrNull(r[at.high]!, place.high),
      low: decimalOrNull(r[at.low]!, place.low),
      close: decimalOrNull(r[at.close]!, place.close),
      preclose: decimalOrNull(r[at.preclose]!, place.preclose),
      volume: integerOrNull(r[at.volume]!, place.volume),
      amount: decimalOrNull(r[at.amount]!, place.amount),
      turn: decimalOrNull(r[at.turn]!, place.turn),
      pctChg: decimalOrNull(r[at.pctChg]!, place.pctChg),
      tradeStatus: choiceValue(r[at.tradestatus]!, place.tradestatus, [0, 1]),
      isSt: choiceValue(r[at.isST]!, place.isST, [0, 1]) === 1,
    };
  }
  return bars;
}

/** One place per column, whose `where` (the row) is read only when a value is bad. */
function valuePlaces<const K extends string>(
  columns: readonly K[],
  where: () => string,
): Record<K, ValueAt> {
  const places = {} as Record<K, ValueAt>;
  for (const column of columns)
    places[column] = {
      column,
      get where() {
        return where();
      },
    };
  return places;
}
