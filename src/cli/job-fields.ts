/** What the CLI asks of a job, and how it prints one. */
import type { Terminal } from './terminal.js';

export const JOB_FIELDS = `id status origin { type name } submittedAt startedAt finishedAt error retryOf logCount
  progress { stepsFinished stepsTotal items { step label done total } }
  steps { name componentName kind status rowsIn rowsOut startedAt finishedAt error }`;

export interface JobView {
  id: string;
  status: string;
  origin: { type: string; name: string | null };
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  retryOf: string | null;
  logCount: number;
  progress: {
    stepsFinished: number;
    stepsTotal: number;
    items: { step: string; label: string | null; done: number; total: number }[];
  };
  steps: {
    name: string;
    componentName: string;
    kind: string;
    status: string;
    rowsIn: number | null;
    rowsOut: number | null;
    startedAt: string | null;
    finishedAt: string | null;
    error: string | null;
  }[];
}

export interface LogLineView {
  seq: number;
  time: string;
  level: string;
  step: string | null;
  message: string;
}

export const LOG_FIELDS = 'seq time level step message';

export const FINAL = new Set(['FINISHED', 'FAILED', 'CANCELLED']);

export function originText(origin: JobView['origin']): string {
  return origin.name ? `${origin.type} ${origin.name}` : origin.type;
}

export function logLineText(terminal: Terminal, line: LogLineView): string {
  const level = line.level.padEnd(5);
  const colour =
    line.level === 'ERROR' || line.level === 'FATAL'
      ? 'red'
      : line.level === 'WARN'
        ? 'yellow'
        : 'gray';
  const time = line.time.slice(11, 23);
  const step = line.step ? `[${line.step}] ` : '';
  return `${terminal.paint('gray', `${String(line.seq).padStart(4)} ${time}`)} ${terminal.paint(colour, level)} ${step}${line.message}`;
}

/** The summary printed for a job (by `submit`, `cancel`, `retry`, `run`). */
export function printJob(terminal: Terminal, job: JobView): void {
  terminal.line(`job ${job.id}  ${terminal.status(job.status)}  ${originText(job.origin)}`);
  for (const step of job.steps) {
    const rows = step.rowsOut !== null ? `  ${step.rowsIn ?? '-'} in, ${step.rowsOut} out` : '';
    terminal.line(`  ${step.name} (${step.componentName})  ${terminal.status(step.status)}${rows}`);
    if (step.error) terminal.line(`    ${terminal.paint('red', step.error)}`);
  }
  if (job.error) terminal.line(terminal.paint('red', `error: ${job.error}`));
}
