/**
 * A table of our own for streaming tests and the streaming benchmark (`stream_row`: an id and a
 * value), with the SQL that creates it, and a probe the streaming test components count into.
 */
import { int as mysqlInt, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { defineUpsertTable } from '../../src/storage/upsert/index.js';

export interface StreamRow {
  id: number;
  value: string;
}

export const streamRowTable = defineUpsertTable<StreamRow>({
  mysql: mysqlTable('stream_row', {
    id: mysqlInt('id').primaryKey(),
    value: varchar('value', { length: 24 }).notNull(),
  }),
  sqlite: sqliteTable('stream_row', {
    id: integer('id').primaryKey(),
    value: text('value').notNull(),
  }),
  key: ['id'],
  compared: ['value'],
});

export const CREATE_STREAM_ROW_TABLE =
  'CREATE TABLE IF NOT EXISTS stream_row (id INT NOT NULL PRIMARY KEY, value VARCHAR(24) NOT NULL) ENGINE=InnoDB';

/** Row `id` as a producer makes it: the value is a pure function of the id. */
export const streamRow = (id: number): StreamRow => ({ id, value: `v${id}` });

/** What the streaming test components saw, shared with the tests that run them. */
export interface StreamProbe {
  yielded: number;
  finallyRan: boolean;
  /** Batches each step let go of (it asked for the next one), by step name. */
  released: Map<string, number>;
  /** The most batches a step was ahead of each reader, by reader step name. */
  mostAhead: Map<string, number>;
  /** Resolves when a producer stops to wait for its signal (`waitAtBatch`). */
  waiting: Promise<void>;
  markWaiting(): void;
}

const probes = new Map<string, StreamProbe>();

export function streamProbe(name: string): StreamProbe {
  let p = probes.get(name);
  if (!p) {
    let markWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (markWaiting = resolve));
    p = {
      yielded: 0,
      finallyRan: false,
      released: new Map(),
      mostAhead: new Map(),
      waiting,
      markWaiting,
    };
    probes.set(name, p);
  }
  return p;
}

/** Records, as a step yields its `count`-th batch, how far ahead it is of each of its readers. */
export function recordLead(p: StreamProbe, count: number, readers: readonly string[]): void {
  for (const reader of readers) {
    const ahead = count - (p.released.get(reader) ?? 0);
    p.mostAhead.set(reader, Math.max(p.mostAhead.get(reader) ?? 0, ahead));
  }
}

/**
 * The same batches, counting in the probe each one `step` lets go of: the count goes up when the
 * step asks for the next batch, which is the moment its edge frees the slot.
 */
export async function* countReleases<T>(
  input: AsyncIterable<T>,
  p: StreamProbe,
  step: string,
): AsyncGenerator<T, void, undefined> {
  for await (const batch of input) {
    yield batch;
    p.released.set(step, (p.released.get(step) ?? 0) + 1);
  }
}
