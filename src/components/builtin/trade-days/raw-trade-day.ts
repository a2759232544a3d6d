/** A row as a source gave it, before the processor checks it: values are not trusted yet. */
export interface RawTradeDay {
  calendarDate: unknown;
  isTradingDay: unknown;
  /** Where the row came from: `baostock` or `offline`. */
  source: string;
}

export type { TradeDayRow } from '../../../storage/upsert/index.js';

/** The exchange's first trading day: BaoStock's calendar starts here. */
export const FIRST_TRADE_DAY = '1990-12-19';
