/**
 * Issue 11, streaming: ROWS synthetic rows producer → processor → storager into MySQL (a MariaDB
 * of the benchmark's own, table stream_row), streamed in batches of BATCH against the same rows as
 * one array, each form in a fresh process of its own (bench/streaming/stream-run.ts) with the same
 * V8 flags. Reports the resident size's growth above idle (the kernel's peak, VmHWM, minus the
 * idle VmRSS) and rows/s for both, and the streamed form once more under `npm start`'s heap cap.
 * Goal: streamed under 150 MB of growth while the array form grows with the rows.
 * FDA_BENCH_STREAM_ROWS (default 5,000,000) and FDA_BENCH_STREAM_ARRAY_ROWS (default: the same)
 * change the sizes, e.g. when 5 M rows as one array do not fit the machine; FDA_BENCH_STREAM_BATCH
 * the batch size (default 5,000).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { startMariadbInstance } from '../test/support/mariadb-instance.js';
import { START_NODE_FLAGS } from '../test/support/server-process.js';
import { CREATE_STREAM_ROW_TABLE } from '../test/support/stream-rows.js';
import type { BenchModule } from './bench-module.js';
import { mib } from './server-under-test.js';

const ROWS = Number(process.env.FDA_BENCH_STREAM_ROWS ?? 5_000_000);
const ARRAY_ROWS = Number(process.env.FDA_BENCH_STREAM_ARRAY_ROWS ?? ROWS);
const BATCH = Number(process.env.FDA_BENCH_STREAM_BATCH ?? 5000);
const GOAL_BYTES = 150 * 1000 * 1000;
/** Both forms get the same heap room, enough for every row at once; see the last row for the cap. */
const WIDE_HEAP = ['--max-old-space-size=8192'];
const RUNNER = fileURLToPath(new URL('./streaming/stream-run.ts', import.meta.url));

interface FormResult {
  form: 'array' | 'stream';
  rows: number;
  seconds: number;
  idle: number;
  peak: number;
  written: number;
  statements: number;
}

const run = promisify(execFile);

export const streamingBench: BenchModule = {
  name: 'streaming',
  description: `${ROWS.toLocaleString('en-US')} synthetic rows producer → processor → storager into MySQL, streamed in batches of ${BATCH.toLocaleString('en-US')} against one array: resident growth above idle and rows/s.`,
  async run({ log }) {
    const instance = await startMariadbInstance({
      serverArgs: ['--innodb-buffer-pool-size=512M'],
    });
    const database = 'bench_stream';
    const admin = await mysql.createConnection({
      host: instance.host,
      port: instance.port,
      user: 'root',
    });
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`USE ${database}`);
      await admin.query(CREATE_STREAM_ROW_TABLE);
      const target = {
        host: instance.host,
        port: instance.port,
        user: 'root',
        password: '',
        database,
      };
      const runForm = async (
        form: 'array' | 'stream',
        rows: number,
        flags: readonly string[],
      ): Promise<FormResult> => {
        // Every form writes into an empty table: all inserts, the same work.
        await admin.query('TRUNCATE stream_row');
        log(`${form}: ${rows.toLocaleString('en-US')} rows (${flags.join(' ')}) …`);
        const { stdout } = await run(process.execPath, [...flags, '--import', 'tsx', RUNNER], {
          env: {
            ...process.env,
            FDA_STREAM_FORM: form,
            FDA_STREAM_ROWS: String(rows),
            FDA_STREAM_BATCH: String(BATCH),
            FDA_STREAM_MYSQL: JSON.stringify(target),
          },
          maxBuffer: 1024 * 1024,
          timeout: 3_600_000,
        });
        const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as FormResult;
        if (result.written !== rows || result.rows !== rows)
          throw new Error(`${form}: wrote ${result.written} of ${rows} rows`);
        log(
          `${form}: ${fmtRate(result)} rows/s, resident ${mib(result.idle)} idle, peak ${mib(result.peak)} (+${mib(result.peak - result.idle)})`,
        );
        return result;
      };
      const streamed = await runForm('stream', ROWS, WIDE_HEAP);
      const array = await runForm('array', ARRAY_ROWS, WIDE_HEAP);
      const capped = await runForm('stream', ROWS, START_NODE_FLAGS);

      const growth = (r: FormResult) => r.peak - r.idle;
      const rate = (r: FormResult) => r.rows / r.seconds;
      const line = (label: string, r: FormResult, flags: readonly string[]) =>
        `| ${label} | ${r.rows.toLocaleString('en-US')} | \`${flags.join(' ')}\` | ${mib(r.idle)} | ${mib(r.peak)} | ${mib(growth(r))} | ${(growth(r) / growth(array)).toFixed(3)} | ${r.seconds.toFixed(1)} s | ${fmtRate(r)} | ${(rate(r) / rate(array)).toFixed(2)} | ${r.statements.toLocaleString('en-US')} |`;
      const markdown = [
        `MariaDB ${await serverVersion(admin)} of the benchmark's own (\`--innodb-buffer-pool-size=512M\`), table \`stream_row\` (INT key, VARCHAR(24) value), empty before each form. Each form runs in a fresh process: the server app, the job through the executor, producer → processor (upper-cases each value) → storager (storeRows, one target). Streamed: batches of ${BATCH.toLocaleString('en-US')}, \`batchesInFlightPerEdge\` 4, one transaction per batch. Array: every row at once, one transaction. Growth is the process's peak resident size (VmHWM) minus its idle resident size after start-up; ratios are against the array form of the same run.`,
        '',
        '| form | rows | node flags | idle RSS | peak RSS | growth | × array growth | time | rows/s | × array rows/s | statements |',
        '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        line('streamed', streamed, WIDE_HEAP),
        line('one array', array, WIDE_HEAP),
        line('streamed, `npm start` heap cap', capped, START_NODE_FLAGS),
        '',
      ].join('\n');
      const missed: string[] = [];
      if (growth(streamed) > GOAL_BYTES)
        missed.push(`streamed growth ${mib(growth(streamed))} is over 150 MB`);
      if (growth(capped) > GOAL_BYTES)
        missed.push(`streamed growth under the heap cap ${mib(growth(capped))} is over 150 MB`);
      return { markdown, missed };
    } finally {
      await admin.end();
      await instance.destroy();
    }
  },
};

const fmtRate = (r: FormResult) => Math.round(r.rows / r.seconds).toLocaleString('en-US');

async function serverVersion(connection: mysql.Connection): Promise<string> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  return String(rows[0]!.v);
}
