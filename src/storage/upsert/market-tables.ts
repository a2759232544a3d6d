import * as mysqlSchema from '../schema/mysql.js';
import * as sqliteSchema from '../schema/sqlite.js';
import { defineUpsertTable, type UpsertTable } from './upsert-table.js';

/*
 * The market tables as storagers write them. Prices, amounts and factors are decimal strings
 * (`"10.5"`, `"-0.25"`), never numbers: they are checked against the column's precision and scale
 * and stored digit for digit (decimal-text.ts). Dates are `YYYY-MM-DD`.
 */

/** One security BaoStock knows. */
export interface SecurityRow {
  code: string;
  name: string;
  /** 1 stock, 2 index, 3 other, 4 convertible bond, 5 ETF. */
  type: number;
  /** 1 listed, 0 delisted. */
  status: number;
  ipoDate: string | null;
  outDate: string | null;
}

export const securityTable: UpsertTable<SecurityRow> = defineUpsertTable<SecurityRow>({
  mysql: mysqlSchema.security,
  sqlite: sqliteSchema.security,
  key: ['code'],
  compared: ['name', 'type', 'status', 'ipoDate', 'outDate'],
  changedAt: 'updatedAt',
});

/** One security's unadjusted daily bar. */
export interface DailyBarRow {
  code: string;
  tradeDate: string;
  open: string | null;
  high: string | null;
  low: string | null;
  close: string | null;
  preclose: string | null;
  volume: number | null;
  amount: string | null;
  turn: string | null;
  pctChg: string | null;
  /** 1 traded, 0 suspended. */
  tradeStatus: number;
  isSt: boolean;
}

export const dailyBarTable: UpsertTable<DailyBarRow> = defineUpsertTable<DailyBarRow>({
  mysql: mysqlSchema.dailyBar,
  sqlite: sqliteSchema.dailyBar,
  key: ['code', 'tradeDate'],
  compared: [
    'open',
    'high',
    'low',
    'close',
    'preclose',
    'volume',
    'amount',
    'turn',
    'pctChg',
    'tradeStatus',
    'isSt',
  ],
  changedAt: 'updatedAt',
});

/** One ex-dividend event of a security. */
export interface AdjustFactorRow {
  code: string;
  dividOperateDate: string;
  foreAdjustFactor: string;
  backAdjustFactor: string;
  adjustFactor: string;
}

export const adjustFactorTable: UpsertTable<AdjustFactorRow> = defineUpsertTable<AdjustFactorRow>({
  mysql: mysqlSchema.adjustFactor,
  sqlite: sqliteSchema.adjustFactor,
  key: ['code', 'dividOperateDate'],
  compared: ['foreAdjustFactor', 'backAdjustFactor', 'adjustFactor'],
  changedAt: 'updatedAt',
});
