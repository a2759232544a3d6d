import { z } from 'zod';
import type { ClusterControlMessage, JobEvent, JobLogBatch } from '../events/app-events.js';
import { decodeJob, decodeLogLine, encodeJob } from '../jobs/job-codec.js';
import { JOB_STATUSES, LOG_LINE_LEVELS, ORIGIN_TYPES } from '../jobs/job.js';
import { formatProblems, zodProblems } from '../validation.js';

/**
 * What processes tell each other through Redis. Another process is outside data like any other:
 * a message is capped in size before it is parsed, checked field by field, and one that fails is
 * dropped with its reason — the store has everything it carried, and the streams read it there.
 */
export const MAX_RELAY_MESSAGE_BYTES = 8 * 1024 * 1024;

const millis = z.number().int().nonnegative();
const jobRowSchema = z.strictObject({
  id: z.string().min(1).max(26),
  status: z.enum(JOB_STATUSES),
  origin_type: z.enum(ORIGIN_TYPES),
  origin_name: z.string().nullable(),
  spec: z.string(),
  steps: z.string(),
  error: z.string().nullable(),
  retry_of: z.string().nullable(),
  timeout_ms: millis.nullable(),
  submitted_at: millis,
  started_at: millis.nullable(),
  finished_at: millis.nullable(),
  log_count: z.number().int().nonnegative(),
  idempotency_key: z.string().nullable(),
  partition_day: z.string().nullable(),
  partition_claim: z.string().nullable(),
});

const logLineSchema = z.strictObject({
  seq: z.number().int().positive(),
  time: millis,
  level: z.enum(LOG_LINE_LEVELS),
  step: z.string().nullable(),
  message: z.string(),
});

/** What one process asks of every other: each action re-reads the folder or the store. */
const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('reloadComponents') }),
  z.strictObject({ action: z.literal('reloadSchedules') }),
  z.strictObject({ action: z.literal('schedulePaused'), schedule: z.string().min(1).max(200) }),
]);

const relayMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('control'), from: z.string().min(1), control: controlSchema }),
  z.strictObject({
    type: z.literal('job'),
    from: z.string().min(1),
    change: z.enum(['STATUS', 'PROGRESS']),
    job: jobRowSchema,
  }),
  z.strictObject({
    type: z.literal('logs'),
    from: z.string().min(1),
    jobId: z.string().min(1).max(26),
    lines: z
      .array(logLineSchema)
      .min(1)
      .refine((lines) => lines.every((l, i) => i === 0 || l.seq === lines[i - 1]!.seq + 1), {
        message: 'lines must have consecutive seq numbers',
      }),
  }),
]);

export type DecodedRelayMessage =
  | { type: 'job'; from: string; event: JobEvent }
  | { type: 'logs'; from: string; batch: JobLogBatch }
  | { type: 'control'; from: string; control: ClusterControlMessage };

export function encodeControlMessage(from: string, control: ClusterControlMessage): string {
  return JSON.stringify({ type: 'control', from, control });
}

export function encodeJobMessage(from: string, event: JobEvent): string {
  return JSON.stringify({ type: 'job', from, change: event.change, job: encodeJob(event.job) });
}

export function encodeLogsMessage(from: string, batch: JobLogBatch): string {
  return JSON.stringify({
    type: 'logs',
    from,
    jobId: batch.jobId,
    lines: batch.lines.map((l) => ({
      seq: l.seq,
      time: l.time.getTime(),
      level: l.level,
      step: l.step,
      message: l.message,
    })),
  });
}

/** Throws an Error naming what was wrong; the caller drops the message. */
export function decodeRelayMessage(text: string): DecodedRelayMessage {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_RELAY_MESSAGE_BYTES)
    throw new Error(`message of ${bytes} bytes, over the ${MAX_RELAY_MESSAGE_BYTES} allowed`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const parsed = relayMessageSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatProblems(zodProblems(parsed.error)));
  const m = parsed.data;
  if (m.type === 'control') return { type: 'control', from: m.from, control: m.control };
  if (m.type === 'job') {
    let job;
    try {
      job = decodeJob(m.job);
    } catch (error) {
      throw new Error(`job.spec or job.steps is not JSON: ${(error as Error).message}`);
    }
    return { type: 'job', from: m.from, event: { change: m.change, job } };
  }
  const lines = m.lines.map((l) => decodeLogLine({ ...l, job_id: m.jobId }));
  return { type: 'logs', from: m.from, batch: { jobId: m.jobId, lines } };
}
