/**
 * The load benchmark's clients (bench/load-clients.ts) as child processes, and their reports
 * summed: used by the load benchmark (one server) and the cluster one (three).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadClientsOptions, LoadClientsReport } from './load-clients.js';

/** Runs one process of load clients; resolves with its report. */
export async function runClients(options: LoadClientsOptions): Promise<LoadClientsReport> {
  const entry = fileURLToPath(new URL('./load-clients.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load clients exited with code ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadClientsReport;
}

/** One report for several client processes. */
export function mergeReports(reports: LoadClientsReport[]): LoadClientsReport {
  const sum = (pick: (r: LoadClientsReport) => number) =>
    reports.reduce((total, r) => total + pick(r), 0);
  const counts = (pick: (r: LoadClientsReport) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const r of reports)
      for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    submitted: sum((r) => r.submitted),
    finished: sum((r) => r.finished),
    notFinished: reports.flatMap((r) => r.notFinished),
    linesReceived: sum((r) => r.linesReceived),
    linesExpected: sum((r) => r.linesExpected),
    jobsWithLineProblems: sum((r) => r.jobsWithLineProblems),
    limitErrors: counts((r) => r.limitErrors),
    errors: counts((r) => r.errors),
    submitMs: reports.flatMap((r) => r.submitMs),
    queryMs: reports.flatMap((r) => r.queryMs),
    connectMs: reports.flatMap((r) => r.connectMs),
    lateClients: sum((r) => r.lateClients),
    elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
  };
}
