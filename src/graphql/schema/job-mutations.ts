import { z } from 'zod';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../../errors.js';
import type { SpecInput, SubmitOptions, SubmitResult } from '../../jobs/executor.js';
import { ShuttingDownError } from '../../jobs/errors.js';
import { MAX_JOB_TIMEOUT_SECONDS, type Job } from '../../jobs/job.js';
import { STORED_TEXT_LIMITS } from '../../jobs/stored-text.js';
import { formatProblems, zodProblems } from '../../validation.js';
import { builder } from '../builder.js';
import { JobSpecInvalidError } from '../errors.js';
import { JobRef } from './jobs.js';

const StepInput = builder.inputType('StepInput', {
  description: 'One step of a job spec in the typed form.',
  fields: (t) => ({
    name: t.string({ required: true }),
    componentClassName: t.string({ required: true, description: 'A registered component’s name.' }),
    preComponentName: t.string({
      required: false,
      description: 'The step whose output this one takes; empty or absent for a producer.',
    }),
    componentArguments: t.field({
      type: 'JSON',
      required: false,
      description: 'An object checked against the component’s argumentsSchema.',
    }),
  }),
});

const SubmitJobInput = builder.inputType('SubmitJobInput', {
  description:
    'A job spec: the typed list of steps, or the original JSON document (`{ "pipeline_structure": { … } }`) whole. Exactly one.',
  isOneOf: true,
  fields: (t) => ({
    steps: t.field({ type: [StepInput] }),
    document: t.field({ type: 'JSON' }),
  }),
});

/** submitJob's arguments besides the spec; a problem is reported with the spec's problems. */
const submitArguments = z.object({
  timeoutSeconds: z
    .number()
    .positive({
      error: (issue) => `must be a positive number of seconds, not ${String(issue.input)}`,
    })
    .max(MAX_JOB_TIMEOUT_SECONDS, `must be at most ${MAX_JOB_TIMEOUT_SECONDS} seconds (31 days)`)
    .nullish(),
  idempotencyKey: z
    .string()
    .min(1, 'must not be empty')
    .max(
      STORED_TEXT_LIMITS.idempotencyKey,
      `must be at most ${STORED_TEXT_LIMITS.idempotencyKey} characters`,
    )
    .nullish(),
  partition: z.string().nullish(),
});

const cancelArguments = z.object({
  reason: z
    .string()
    .max(
      STORED_TEXT_LIMITS.cancelReason,
      `must be at most ${STORED_TEXT_LIMITS.cancelReason} characters`,
    )
    .nullish(),
});

/** The arguments, parsed, or a ValidationError (or `invalid`'s error) naming each bad one. */
function parseArguments<S extends z.ZodType>(
  schema: S,
  args: unknown,
  invalid: (problems: ReturnType<typeof zodProblems>) => Error = (problems) =>
    new ValidationError(`invalid arguments:\n${formatProblems(problems)}`, problems),
): z.output<S> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  return parsed.data;
}

function unwrap(result: SubmitResult): Job {
  if (!result.ok) throw new JobSpecInvalidError(result.problems);
  return result.job;
}

builder.mutationFields((t) => ({
  submitJob: t.field({
    type: JobRef,
    description:
      'Validates the spec and queues the job. An invalid spec gets JobSpecInvalid with every problem; nothing is queued.',
    args: {
      input: t.arg({ type: SubmitJobInput, required: true }),
      timeoutSeconds: t.arg.float({
        required: false,
        description: `Fail the job if it runs longer (at most ${MAX_JOB_TIMEOUT_SECONDS} s, 31 days); the server’s default when absent.`,
      }),
      idempotencyKey: t.arg.string({
        required: false,
        description:
          'A key of the caller’s: submitting again with the same key (while its job is kept) returns that job instead of running a second one, so a client may retry after a network error.',
      }),
      partition: t.arg({
        type: 'Date',
        required: false,
        description:
          'The trading day whose data the job produces; its components see it as `context.partition`.',
      }),
    },
    errors: {
      types: [JobSpecInvalidError, LimitExceededError, ShuttingDownError],
      directResult: true,
      union: { name: 'SubmitJobResult' },
    },
    resolve: async (_root, { input, ...rest }, { app }) => {
      const args = parseArguments(
        submitArguments,
        rest,
        (problems) => new JobSpecInvalidError(problems),
      );
      const options: SubmitOptions = {
        idempotencyKey: args.idempotencyKey ?? null,
        partition: args.partition ?? null,
      };
      if (typeof args.timeoutSeconds === 'number')
        options.timeoutMs = Math.round(args.timeoutSeconds * 1000);
      const spec: SpecInput = input.steps ? { steps: input.steps } : { document: input.document };
      return unwrap(await app.executor.submit(spec, options));
    },
  }),
  cancelJob: t.field({
    type: JobRef,
    description:
      'Cancels a waiting or running job and returns it once it has ended; an ended job is returned as it is.',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    errors: {
      types: [NotFoundError, ConflictError, ValidationError],
      directResult: true,
      union: { name: 'CancelJobResult' },
    },
    resolve: (_root, { id, reason }, { app }) => {
      const args = parseArguments(cancelArguments, { reason });
      return app.executor.cancel(id, args.reason ?? undefined);
    },
  }),
  retryJob: t.field({
    type: JobRef,
    description: 'Submits a new job with the spec of an ended one (linked by retryOf).',
    args: { id: t.arg.id({ required: true }) },
    errors: {
      types: [
        NotFoundError,
        ConflictError,
        JobSpecInvalidError,
        LimitExceededError,
        ShuttingDownError,
      ],
      directResult: true,
      union: { name: 'RetryJobResult' },
    },
    resolve: async (_root, { id }, { app }) => unwrap(await app.executor.retry(id)),
  }),
}));
