/**
 * Rows between steps come as one array (small data) or as a stream of batches (large data). These
 * helpers let a component be written once for both: it maps what it is given, and gives its
 * successor the same kind of value (an array stays an array, a stream stays a stream).
 */

/** What a step hands its successor: every row at once, or batches of rows as they are made. */
export type Rows<Row> = readonly Row[] | AsyncIterable<readonly Row[]>;

/** True for a stream of batches (an async iterable that is not an array). */
export function isBatchStream(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Groups rows into batches of `size` (the last one may be shorter). Takes an array, any iterable or
 * an async iterable of single rows, e.g. a generator that fetches one security at a time.
 */
export async function* batches<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  size: number,
): AsyncGenerator<Row[], void, undefined> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batches: size must be a whole number of at least 1, got ${size}`);
  let batch: Row[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Maps one batch; `index` counts batches from 0 (an array is batch 0). */
export type BatchMapper<In, Out> = (
  batch: readonly In[],
  index: number,
) => readonly Out[] | Promise<readonly Out[]>;

/**
 * Applies `fn` to each batch: an array is mapped as one batch and gives an array, a stream gives a
 * stream that maps each batch when its successor asks for it (so backpressure passes through).
 */
export function mapBatches<In, Out>(
  input: readonly In[],
  fn: BatchMapper<In, Out>,
): Promise<readonly Out[]>;
export function mapBatches<In, Out>(
  input: AsyncIterable<readonly In[]>,
  fn: BatchMapper<In, Out>,
): AsyncIterable<readonly Out[]>;
export function mapBatches<In, Out>(
  input: Rows<In>,
  fn: BatchMapper<In, Out>,
): Promise<readonly Out[]> | AsyncIterable<readonly Out[]>;
export function mapBatches<In, Out>(
  input: Rows<In>,
  fn: BatchMapper<In, Out>,
): Promise<readonly Out[]> | AsyncIterable<readonly Out[]> {
  if (isBatchStream(input)) return mapStream(input, fn);
  if (!Array.isArray(input))
    throw new TypeError(`mapBatches: input must be an array of rows or a stream of batches`);
  return Promise.resolve(fn(input, 0));
}

async function* mapStream<In, Out>(
  input: AsyncIterable<readonly In[]>,
  fn: BatchMapper<In, Out>,
): AsyncGenerator<readonly Out[], void, undefined> {
  let index = 0;
  for await (const batch of input) yield await fn(batch, index++);
}

/** Every row of `input` in one array, for a component that needs them all at once (to sort, say). */
export async function collectRows<Row>(input: Rows<Row>): Promise<Row[]> {
  if (!isBatchStream(input)) return [...input];
  const rows: Row[] = [];
  for await (const batch of input) for (const row of batch) rows.push(row);
  return rows;
}
