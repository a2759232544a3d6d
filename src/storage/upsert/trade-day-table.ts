import * as mysqlSchema from '../schema/mysql.js';
import * as sqliteSchema from '../schema/sqlite.js';
import { defineUpsertTable, type UpsertTable } from './upsert-table.js';

/** One day of the trading calendar as storagers write it. */
export interface TradeDayRow {
  /** `YYYY-MM-DD`. */
  calendarDate: string;
  isTradingDay: boolean;
  /** Where the row came from, e.g. `baostock` or `offline`. At most 32 characters. */
  source: string;
}

/** `trade_day`: keyed by date; a changed flag or source is a change and moves `updated_at`. */
export const tradeDayTable: UpsertTable<TradeDayRow> = defineUpsertTable<TradeDayRow>({
  mysql: mysqlSchema.tradeDay,
  sqlite: sqliteSchema.tradeDay,
  key: ['calendarDate'],
  compared: ['isTradingDay', 'source'],
  changedAt: 'updatedAt',
});
