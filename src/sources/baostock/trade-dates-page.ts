import { z } from 'zod';
import { zodProblems, formatProblems } from '../../validation.js';
import { BaoStockProtocolError } from './errors.js';
import type { BaoStockReply } from './frame-reader.js';

/** One row as the service sent it (`"1"`/`"0"` flags); validating values is the processor's job. */
export interface RawTradeDateRow {
  calendarDate: string;
  isTradingDay: string;
}

export interface TradeDatesPage {
  /** Rows per page as the server echoed it (it may serve fewer than asked, §7.3). */
  rowsPerPage: number;
  rows: RawTradeDateRow[];
  /** Column names from field 9, split on `,` and trimmed; only page 1 is read for them. */
  columns: string[];
}

const dataSchema = z.object({ record: z.array(z.array(z.string())) });

/**
 * Reads one success reply of query_trade_dates (§7.2). Rows are mapped by column name, so a
 * server that reorders its columns still gives the right values.
 */
export function readTradeDatesPage(
  reply: BaoStockReply,
  page: number,
  knownColumns?: readonly string[],
): TradeDatesPage {
  const where = `BaoStock query_trade_dates page ${page}`;
  const fields = reply.fields;
  if (fields.length < 7)
    throw new BaoStockProtocolError(
      `${where}: reply has ${fields.length} fields, expected at least 7`,
    );
  const [, , , , echoedPage = '', echoedPerPage = '', data = ''] = fields;
  if (!/^\d+$/.test(echoedPage) || Number(echoedPage) !== page) {
    throw new BaoStockProtocolError(`${where}: reply echoes page ${JSON.stringify(echoedPage)}`);
  }
  if (!/^[1-9]\d*$/.test(echoedPerPage)) {
    throw new BaoStockProtocolError(
      `${where}: rows per page ${JSON.stringify(echoedPerPage)} is not a positive number`,
    );
  }
  const columns = knownColumns ? [...knownColumns] : splitColumns(fields[9] ?? '');
  const records = parseRecords(data, where);
  return { rowsPerPage: Number(echoedPerPage), rows: mapRows(records, columns, where), columns };
}

export function splitColumns(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** An empty field and `{"record":[]}` both mean no rows (§7.2); the JSON is parsed as sent. */
function parseRecords(data: string, where: string): string[][] {
  if (data.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    throw new BaoStockProtocolError(
      `${where}: data is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  const parsed = dataSchema.safeParse(json);
  if (!parsed.success) {
    throw new BaoStockProtocolError(
      `${where}: data is not {"record": [[string, ...], ...]}: ${formatProblems(zodProblems(parsed.error, ['data']))}`,
    );
  }
  return parsed.data.record;
}

function mapRows(
  records: string[][],
  columns: readonly string[],
  where: string,
): RawTradeDateRow[] {
  if (records.length === 0) return [];
  const dateAt = columnIndex(columns, 'calendar_date', where);
  const flagAt = columnIndex(columns, 'is_trading_day', where);
  return records.map((record, index) => {
    const calendarDate = record[dateAt];
    const isTradingDay = record[flagAt];
    if (calendarDate === undefined || isTradingDay === undefined) {
      throw new BaoStockProtocolError(
        `${where}: row ${index + 1} has ${record.length} values, columns are ${columns.join(', ')}`,
      );
    }
    return { calendarDate, isTradingDay };
  });
}

function columnIndex(columns: readonly string[], name: string, where: string): number {
  const index = columns.indexOf(name);
  if (index < 0) {
    throw new BaoStockProtocolError(
      `${where}: no ${name} column (columns: ${columns.join(', ') || 'none'})`,
    );
  }
  return index;
}
