import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { errorMessage, ValidationError, type Problem } from '../errors.js';
import { MAX_JOB_TIMEOUT_SECONDS } from '../jobs/job.js';
import { partitionSpecSchema, type PartitionSpec } from './partitions/partition-spec.js';
import { parseTrigger, type Trigger, type TriggerDeps } from './triggers/index.js';
import { zodProblems, formatProblems } from '../validation.js';

/** APScheduler's job options, with its names, as a schedule file may give them next to `trigger`. */
export interface ScheduleOptions {
  /** Jobs of this schedule that may run at once (APScheduler's default: 1, no overlap). */
  maxInstances: number;
  /** Run a backlog of missed firings once instead of once each (APScheduler's default: true). */
  coalesce: boolean;
  /** Seconds a firing may be late and still run; null for no limit. */
  misfireGraceSeconds: number | null;
  /** A disabled schedule is listed but never fires. */
  enabled: boolean;
  /** Timeout of each job the schedule starts, in seconds (the server's default when absent). */
  timeoutSeconds: number | null;
}

export interface ScheduleDefinition {
  trigger: Trigger;
  /** The trigger as written in the file. */
  triggerJson: unknown;
  /** The file's pipeline, in the original document form, handed to the executor at each firing. */
  document: { pipeline_structure: unknown };
  options: ScheduleOptions;
  /** Each firing's job is for a trading day; null for a schedule without partitions. */
  partitions: PartitionSpec | null;
}

/** One file of the schedules folder: its definition, or why it has none. */
export interface ScheduleFile {
  name: string;
  file: string;
  /** Of the file's bytes: a reload leaves a schedule whose file did not change alone. */
  fingerprint: string;
  definition: ScheduleDefinition | null;
  error: string | null;
}

const optionsSchema = (defaultGraceSeconds: number | null) =>
  z.strictObject({
    pipeline_structure: z.unknown(),
    trigger: z.unknown(),
    max_instances: z.number().int().min(1).max(100).default(1),
    coalesce: z.boolean().default(true),
    misfire_grace_time: z.number().positive().nullable().default(defaultGraceSeconds),
    enabled: z.boolean().default(true),
    timeout_seconds: z
      .number()
      .positive()
      .max(MAX_JOB_TIMEOUT_SECONDS, `must be at most ${MAX_JOB_TIMEOUT_SECONDS} (31 days)`)
      .nullable()
      .default(null),
    partitions: partitionSpecSchema.optional(),
  });

export interface ReadScheduleDeps {
  triggerDeps: TriggerDeps;
  /** Problems of the pipeline against today's components (none when it would run). */
  checkPipeline: (document: unknown) => Problem[];
  defaultMisfireGraceSeconds: number | null;
}

/**
 * Reads `<name>.json` in the original system's format (`pipeline_structure` + `trigger`), plus
 * APScheduler's job options. Never throws: a broken file becomes a schedule with an error, which
 * is listed and never fires, so one bad file cannot stop the server or the other schedules.
 */
export function readScheduleFile(file: string, deps: ReadScheduleDeps): ScheduleFile {
  const name = basename(file, '.json');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return {
      name,
      file,
      fingerprint: '',
      definition: null,
      error: `cannot read ${file}: ${errorMessage(error)}`,
    };
  }
  const fingerprint = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  try {
    return {
      name,
      file,
      fingerprint,
      definition: parseDefinition(bytes.toString('utf8'), deps),
      error: null,
    };
  } catch (error) {
    return { name, file, fingerprint, definition: null, error: errorMessage(error) };
  }
}

function parseDefinition(text: string, deps: ReadScheduleDeps): ScheduleDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`not valid JSON: ${errorMessage(error)}`);
  }
  const problems: Problem[] = [];
  const parsed = optionsSchema(deps.defaultMisfireGraceSeconds).safeParse(json);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  const record =
    json !== null && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  let trigger: Trigger | null = null;
  if (record.trigger === undefined)
    problems.push({ path: 'trigger', message: 'is missing: a schedule needs a trigger' });
  else {
    try {
      trigger = parseTrigger(record.trigger, deps.triggerDeps);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (parsed.success)
    problems.push(...deps.checkPipeline({ pipeline_structure: record.pipeline_structure }));
  if (problems.length > 0 || !parsed.success || trigger === null)
    throw new ValidationError(formatProblems(problems), problems);
  const o = parsed.data;
  return {
    trigger,
    triggerJson: record.trigger,
    document: { pipeline_structure: record.pipeline_structure },
    options: {
      maxInstances: o.max_instances,
      coalesce: o.coalesce,
      misfireGraceSeconds: o.misfire_grace_time,
      enabled: o.enabled,
      timeoutSeconds: o.timeout_seconds,
    },
    partitions: o.partitions ?? null,
  };
}
