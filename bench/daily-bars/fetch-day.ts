/**
 * Issue 13: one trading day of daily bars for every stock of the captured universe (type 1,
 * 5,097 codes of 2024-01-02) from the fake BaoStock server with 20 ms added to every reply, as a
 * slow remote service, fetched through a session pool of 1 session (the baseline: the original
 * system's one global session) and of 8. Lock-step sessions make the wait per reply the cost, so
 * 8 sessions should be at least 6× faster. The fake runs in this process, so its own work
 * (making and compressing replies) shares the CPU with the client.
 */
import { performance } from 'node:perf_hooks';
import { Secret } from '../../src/config/secret.js';
import { fetchDailyBars } from '../../src/sources/baostock/market-fetch.js';
import { BaoStockSessionPool } from '../../src/sources/baostock/session-pool.js';
import {
  capturedUniverse,
  createFakeMarket,
  isIndexCode,
} from '../../test/support/baostock-fake-market.js';
import { startFakeBaoStock } from '../../test/support/baostock-fake-server.js';
import { referenceCalendar } from '../../test/support/reference-data.js';
import type { BenchContext } from '../bench-module.js';

const DAY = '2024-01-02';
const REPLY_DELAY_MS = 20;
const TARGET_SPEEDUP = 6;

interface Run {
  sessions: number;
  ms: number;
  rows: number;
  failed: number;
  peakRssMb: number;
  logins: number;
}

export interface FetchDayOutcome {
  markdown: string;
  missed: string[];
}

/** Part 1 of `npm run bench -- daily-bars`. */
export async function benchFetchDay({ log }: BenchContext): Promise<FetchDayOutcome> {
  const universe = capturedUniverse();
  const codes = universe.map(([code]) => code).filter((code) => !isIndexCode(code));
  const tradingDays = referenceCalendar()
    .filter(([, flag]) => flag === '1')
    .map(([date]) => date);
  const fake = await startFakeBaoStock({
    market: createFakeMarket({ universe, tradingDays }),
    replyDelayMs: REPLY_DELAY_MS,
  });
  const measure = async (sessions: number): Promise<Run> => {
    const pool = new BaoStockSessionPool({
      name: 'bench',
      host: fake.host,
      port: fake.port,
      user: 'anonymous',
      password: new Secret('123456'),
      version: '00.9.10',
      sessions,
      connectTimeoutMs: 10_000,
      responseTimeoutMs: 30_000,
      rowsPerPage: 10_000,
    });
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    let rows = 0;
    const fetch = fetchDailyBars(pool, { codes, from: DAY, to: DAY });
    for await (const outcome of fetch) if (outcome.kind === 'rows') rows += outcome.rows.length;
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await pool.close();
    const run = {
      sessions,
      ms,
      rows,
      failed: fetch.failures.length,
      peakRssMb: peak / 1024 ** 2,
      logins: pool.stats.logins,
    };
    log(
      `${sessions} session(s): ${rows} bars of ${codes.length} codes in ${(ms / 1000).toFixed(1)} s, ` +
        `${Math.round(rows / (ms / 1000))} rows/s, ${run.failed} failed, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
    );
    return run;
  };
  try {
    const one = await measure(1);
    const eight = await measure(8);
    const speedup = one.ms / eight.ms;
    log(`8 sessions are ${speedup.toFixed(2)}× faster than 1`);
    const line = (r: Run, ratio: number) =>
      `| ${r.sessions} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(r.rows / (r.ms / 1000))} | ${r.rows.toLocaleString('en')} | ${r.failed} | ${r.logins} | ${r.peakRssMb.toFixed(0)} MB | ${ratio.toFixed(2)} |`;
    const markdown =
      `${codes.length.toLocaleString('en')} stocks, ${DAY}, ${REPLY_DELAY_MS} ms added to every reply by the fake (in this process).\n\n` +
      `| sessions | time | rows/s | rows | failed | logins | peak RSS | × 1 session |\n|---|---|---|---|---|---|---|---|\n` +
      `${line(one, 1)}\n${line(eight, speedup)}\n`;
    const missed =
      speedup >= TARGET_SPEEDUP
        ? []
        : [`8 sessions were ${speedup.toFixed(2)}× faster than 1, the goal is ${TARGET_SPEEDUP}×`];
    if (one.failed + eight.failed > 0) missed.push('some securities failed');
    return { markdown, missed };
  } finally {
    await fake.close();
  }
}
