import { Readable } from 'node:stream';
import { mysqlDecimal } from './decimal-text.js';
import type { UpsertColumn } from './upsert-table.js';

/**
 * The one encoder of `LOAD DATA`'s text format, for the format our statement declares
 * (load-data-statement.ts): fields end with a tab, lines with a newline, nothing encloses a field,
 * and a backslash escapes. The server reads a field back to exactly the value we had:
 * - NULL is `\N`, the empty string an empty field (so the two stay apart);
 * - in text, a backslash, tab, newline, carriage return and NUL are escaped (`\\`, `\t`, `\n`,
 *   `\r`, `\0`); every other character, 4-byte UTF-8 included, goes as it is (the statement says
 *   CHARACTER SET utf8mb4, and the stream is UTF-8);
 * - with nothing enclosing fields, the word NULL is the text "NULL", not a NULL;
 * - dates, numbers and decimals were checked by `checkRows` and hold none of those characters;
 *   booleans are 1 and 0.
 */
export function encodeField<Row>(column: UpsertColumn<Row>, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (column.kind) {
    case 'text':
      return escapeText(value as string);
    case 'date':
      return value as string;
    case 'boolean':
      return value === true ? '1' : '0';
    case 'integer':
    case 'number':
      return (value as number).toString();
    case 'decimal':
      return mysqlDecimal(value as string, column.decimal!.scale);
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPED = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

export function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ESCAPES[c]!) : text;
}

/** One row as a line: its fields in column order, tab-separated, ending with a newline. */
export function encodeRow<Row>(columns: readonly UpsertColumn<Row>[], row: Row): string {
  let line = encodeField(columns[0]!, row[columns[0]!.field]);
  for (let c = 1; c < columns.length; c++)
    line += `\t${encodeField(columns[c]!, row[columns[c]!.field])}`;
  return `${line}\n`;
}

/** Characters encoded at once: the driver sends each chunk as one packet. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The rows as the file `LOAD DATA LOCAL` reads, encoded as the server pulls them: only a chunk at
 * a time exists as text, never the whole file (a million daily bars are some 120 MB of it).
 */
export function loadDataStream<Row>(
  columns: readonly UpsertColumn<Row>[],
  rows: readonly Row[],
  onRows?: (done: number) => void,
  maxPacketBytes = Infinity,
): Readable {
  // A UTF-8 character takes up to 4 bytes (a UTF-16 unit at most 3); stay under the server's limit.
  const chunkChars = Math.max(1, Math.min(CHUNK_CHARS, Math.floor((maxPacketBytes - 1024) / 3)));
  let next = 0;
  return new Readable({
    read() {
      if (next >= rows.length) {
        this.push(null);
        return;
      }
      let text = '';
      while (next < rows.length && text.length < chunkChars)
        text += encodeRow(columns, rows[next++]!);
      onRows?.(next);
      this.push(Buffer.from(text, 'utf8'));
    },
  });
}
