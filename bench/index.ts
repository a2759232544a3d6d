/**
 * `npm run bench` runs every benchmark module in order; `npm run bench -- storage other` runs
 * those named. Results are printed and written to bench/RESULTS.md. To add a module, write a
 * `BenchModule` (bench-module.ts) and append it to `modules`.
 * Exit code 1 when a module missed one of its targets (the figures are still written).
 */
import { fileURLToPath } from 'node:url';
import type { BenchModule } from './bench-module.js';
import { machineMarkdown } from './machine.js';
import { writeResults } from './results-file.js';
import { jobLogsBench } from './job-logs.js';
import { tradeDaysPipelineBench } from './trade-days-pipeline.js';
import { calendarDisagreementsBench } from './calendar-disagreements.js';
import { storageBench } from './storage/storage-bench.js';
import { fanoutBench } from './graphql-fanout.js';
import { overheadBench } from './graphql-overhead.js';
import { responsivenessBench } from './graphql-responsiveness.js';
import { loadBench } from './load.js';
import { memoryBench } from './memory.js';
import { dailyBarsBench } from './daily-bars.js';
import { streamingBench } from './streaming.js';
import { clusterBench } from './cluster.js';

const modules: BenchModule[] = [
  jobLogsBench,
  tradeDaysPipelineBench,
  calendarDisagreementsBench,
  storageBench,
  fanoutBench,
  responsivenessBench,
  overheadBench,
  loadBench,
  memoryBench,
  dailyBarsBench,
  streamingBench,
  clusterBench,
];

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((name) => !modules.some((m) => m.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark ${unknown.join(', ')}; known: ${modules.map((m) => m.name).join(', ')}`,
    );
    return 2;
  }
  const selected = names.length === 0 ? modules : modules.filter((m) => names.includes(m.name));
  const sections = new Map<string, string>();
  const missed: string[] = [];
  for (const module of selected) {
    console.log(`\n=== ${module.name}: ${module.description}\n`);
    const started = Date.now();
    const outcome = await module.run({ log: (line) => console.log(line) });
    const minutes = ((Date.now() - started) / 60_000).toFixed(1);
    sections.set(
      module.name,
      `## ${module.name}\n\n_${module.description} Run ${new Date().toISOString()}, took ${minutes} min._\n\n${outcome.markdown}`,
    );
    missed.push(...outcome.missed.map((m) => `${module.name}: ${m}`));
  }
  writeResults(RESULTS_FILE, machineMarkdown(), sections);
  console.log(`\nwrote ${RESULTS_FILE}`);
  if (missed.length > 0) {
    console.log(`\nTARGETS MISSED:\n${missed.map((m) => `- ${m}`).join('\n')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
