/**
 * The storage benchmark's streamed case in a process of its own, so the 1,000,000-row arrays of
 * the other cases (and the heap room V8 keeps in proportion to them) are not counted as the
 * stream's growth: connects to the MySQL database in FDA_STREAM_TARGET (bulk load on), settles,
 * reads its resident size, streams FDA_STREAM_ROWS rows in batches of FDA_STREAM_BATCH through
 * upsertBatches, and prints one JSON line: seconds, idle and peak resident size (VmHWM),
 * statements and rows written.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { z } from 'zod';
import { Secret } from '../../src/config/secret.js';
import { MysqlTarget } from '../../src/storage/mysql-target.js';
import { dailyBarTable, upsertBatches } from '../../src/storage/upsert/index.js';
import { streamBars } from './bar-rows.js';
import { residentBytes } from './process-memory.js';

const env = z
  .object({
    FDA_STREAM_TARGET: z
      .string()
      .transform((text) =>
        z
          .object({ host: z.string(), port: z.number(), user: z.string(), database: z.string() })
          .parse(JSON.parse(text)),
      ),
    FDA_STREAM_ROWS: z.coerce.number().int().positive(),
    FDA_STREAM_BATCH: z.coerce.number().int().positive(),
  })
  .parse(process.env);

const target = new MysqlTarget(
  {
    dialect: 'mysql',
    name: 'stream',
    ...env.FDA_STREAM_TARGET,
    password: new Secret(''),
    charset: 'utf8mb4',
    createDatabase: true,
    pool: { connectionLimit: 2, connectTimeoutMs: 10_000, queryTimeoutMs: 1_800_000 },
    bulkLoad: 'on',
  },
  pino({ level: 'silent' }),
);
try {
  await target.connect();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = residentBytes('VmRSS');
  const started = performance.now();
  const [result] = await upsertBatches(
    [target],
    dailyBarTable,
    streamBars(env.FDA_STREAM_ROWS, env.FDA_STREAM_BATCH),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!result?.ok) throw new Error(`stream: ${result?.error}`);
  console.log(
    JSON.stringify({
      seconds,
      idle,
      peak: residentBytes('VmHWM'),
      statements: result.statements,
      written: result.inserted + result.updated + result.unchanged,
    }),
  );
} finally {
  await target.close();
}
