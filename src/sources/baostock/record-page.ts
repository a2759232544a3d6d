import { z } from 'zod';
import { formatProblems, zodProblems } from '../../validation.js';
import { BaoStockProtocolError } from './errors.js';
import type { BaoStockReply } from './frame-reader.js';

/** One success page of a §9 query: `code msg method user page perPage data echoes… [columns]`. */
export interface RecordPage {
  /** As the server echoed it; a page with fewer rows than this is the last (§7.3). */
  rowsPerPage: number;
  records: string[][];
  /** Fields 7 on: the echoed arguments, then (for most queries) the column list. */
  echoes: string[];
}

const dataSchema = z.object({ record: z.array(z.array(z.string())) });

/** Checks the page echo and parses the JSON data; `where` names the query for every message. */
export function readRecordPage(reply: BaoStockReply, page: number, where: string): RecordPage {
  const fields = reply.fields;
  if (fields.length < 7)
    throw new BaoStockProtocolError(
      `${where}: reply has ${fields.length} fields, expected at least 7`,
    );
  const [, , , , echoedPage = '', echoedPerPage = '', data = ''] = fields;
  if (!/^\d+$/.test(echoedPage) || Number(echoedPage) !== page)
    throw new BaoStockProtocolError(
      `${where}: reply echoes page ${JSON.stringify(echoedPage)}, expected ${page}`,
    );
  if (!/^[1-9]\d*$/.test(echoedPerPage))
    throw new BaoStockProtocolError(
      `${where}: rows per page ${JSON.stringify(echoedPerPage)} is not a positive number`,
    );
  return {
    rowsPerPage: Number(echoedPerPage),
    records: parseRecords(data, where),
    echoes: fields.slice(7),
  };
}

/** An empty field and `{"record":[]}` both mean no rows (§12.7). */
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
  if (isRecordData(json)) return json.record;
  // Only a page that fails the quick check pays for zod, which names the first bad value.
  const parsed = dataSchema.safeParse(json);
  if (!parsed.success)
    throw new BaoStockProtocolError(
      `${where}: data is not {"record": [[string, ...], ...]}: ${formatProblems(zodProblems(parsed.error, ['data']))}`,
    );
  return parsed.data.record;
}

/**
 * The shape `dataSchema` checks, by hand: a year of one code is ~250 × 14 strings a page and the
 * market ~1.2 M rows a year, where zod's copy of every array was a third of the decode time.
 */
function isRecordData(json: unknown): json is { record: string[][] } {
  if (typeof json !== 'object' || json === null) return false;
  const record = (json as { record?: unknown }).record;
  if (!Array.isArray(record)) return false;
  for (const row of record) {
    if (!Array.isArray(row)) return false;
    for (const value of row) if (typeof value !== 'string') return false;
  }
  return true;
}

/** `a, b,c` → `['a', 'b', 'c']` (some replies put a space after the comma). */
export function splitColumnList(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** The index of each needed column in `columns`, by name; a missing one is named. */
export function columnIndexes<const K extends string>(
  columns: readonly string[],
  needed: readonly K[],
  where: string,
): Record<K, number> {
  const at = {} as Record<K, number>;
  for (const name of needed) {
    const index = columns.indexOf(name);
    if (index < 0)
      throw new BaoStockProtocolError(
        `${where}: no ${name} column (columns: ${columns.join(', ') || 'none'})`,
      );
    at[name] = index;
  }
  return at;
}

/** Record `row` (from 0), refused when it has not one value per column. */
export function fullRecord(
  records: readonly string[][],
  row: number,
  columns: readonly string[],
  where: string,
): string[] {
  const record = records[row]!;
  if (record.length !== columns.length)
    throw new BaoStockProtocolError(
      `${where}: row ${row + 1} has ${record.length} values for ${columns.length} columns (${columns.join(', ')})`,
    );
  return record;
}

/**
 * Maps each record to `{column: value}` for the columns a decoder needs, by name, so a server that
 * reorders its columns still gives the right values; a missing column or a short row is named.
 */
export function recordsByName<const K extends string>(
  records: readonly string[][],
  columns: readonly string[],
  needed: readonly K[],
  where: string,
): Array<Record<K, string>> {
  if (records.length === 0) return [];
  const at = columnIndexes(columns, needed, where);
  return records.map((_, row) => {
    const record = fullRecord(records, row, columns, where);
    const out = {} as Record<K, string>;
    for (const name of needed) out[name] = record[at[name]]!;
    return out;
  });
}
