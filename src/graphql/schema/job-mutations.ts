import { ConflictError, LimitExceededError, NotFoundError } from '../../errors.js';
import type { SpecInput, SubmitResult } from '../../jobs/executor.js';
import { ShuttingDownError } from '../../jobs/errors.js';
import type { Job } from '../../jobs/job.js';
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
        description: 'Fail the job if it runs longer; the server’s default when absent.',
      }),
    },
    errors: {
      types: [JobSpecInvalidError, LimitExceededError, ShuttingDownError],
      directResult: true,
      union: { name: 'SubmitJobResult' },
    },
    resolve: async (_root, { input, timeoutSeconds }, { app }) => {
      if (timeoutSeconds !== null && timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
        throw new JobSpecInvalidError([
          {
            path: 'timeoutSeconds',
            message: `must be a positive number of seconds, not ${timeoutSeconds}`,
          },
        ]);
      }
      const spec: SpecInput = input.steps ? { steps: input.steps } : { document: input.document };
      return unwrap(
        await app.executor.submit(
          spec,
          timeoutSeconds ? { timeoutMs: Math.round(timeoutSeconds * 1000) } : {},
        ),
      );
    },
  }),
  cancelJob: t.field({
    type: JobRef,
    description:
      'Cancels a waiting or running job and returns it once it has ended; an ended job is returned as it is.',
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    errors: {
      types: [NotFoundError, ConflictError],
      directResult: true,
      union: { name: 'CancelJobResult' },
    },
    resolve: (_root, { id, reason }, { app }) => app.executor.cancel(id, reason ?? undefined),
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
