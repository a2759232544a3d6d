import { z } from 'zod';
import type { Job } from '../jobs/job.js';

/** One target's counts in a storager's result (`setResult({ targets: [...] })`). */
const targetWriteSchema = z.object({
  target: z.string().min(1),
  dialect: z.string().min(1),
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
});

const storagerResultSchema = z.object({ targets: z.array(targetWriteSchema) });

export interface RowsWritten {
  target: string;
  dialect: string;
  rows: number;
}

/**
 * Rows each storager of a job inserted or updated, per target. A component's result is its own
 * business, so anything not in the storagers' shape is skipped rather than trusted.
 */
export function rowsWrittenBy(job: Pick<Job, 'steps'>): RowsWritten[] {
  const written: RowsWritten[] = [];
  for (const step of job.steps) {
    if (step.kind !== 'STORAGER') continue;
    const parsed = storagerResultSchema.safeParse(step.result);
    if (!parsed.success) continue;
    for (const t of parsed.data.targets)
      written.push({ target: t.target, dialect: t.dialect, rows: t.inserted + t.updated });
  }
  return written;
}
