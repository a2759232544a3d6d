import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
  type AppError,
  type Problem,
} from '../../errors.js';
import { PartitionTakenError, ShuttingDownError } from '../../jobs/errors.js';
import { builder } from '../builder.js';
import { JobSpecInvalidError } from '../errors.js';

/** Every expected failure a mutation can return as data. */
export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description:
    'An expected failure, returned as data: query `message` and `code`, or a specific type for its details.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', { description: 'Stable machine-readable kind, e.g. NOT_FOUND.' }),
  }),
});

export const ProblemRef = builder.objectRef<Problem>('Problem').implement({
  description: 'One thing wrong with an input: where it is and what is wrong.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description:
        'Where, in the caller’s own form (e.g. `pipeline_structure.producer_0.component_class_name` or `steps[1].name`); empty for the whole input.',
    }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(JobSpecInvalidError, {
  name: 'JobSpecInvalid',
  description: 'The job spec was rejected; nothing was queued. Every problem is listed at once.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    problems: t.field({ type: [ProblemRef], resolve: (error) => [...error.problems] }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFound',
  description: 'The job, schedule, component or target named does not exist.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ kind: t.exposeString('kind'), key: t.exposeString('key') }),
});

builder.objectType(ConflictError, {
  name: 'Conflict',
  description:
    'The request is not allowed in the current state (e.g. retrying a job that is still running).',
  interfaces: [ErrorInterface],
});

builder.objectType(PartitionTakenError, {
  name: 'PartitionTaken',
  description:
    'A partitioned schedule’s trading day already has a waiting, running or finished job: nothing ran (`force: true` runs a finished one again).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    schedule: t.exposeString('schedule'),
    partition: t.expose('partition', { type: 'Date' }),
    jobId: t.id({ description: 'The job that holds it.', resolve: (e) => e.holder.id }),
  }),
});

builder.objectType(LimitExceededError, {
  name: 'LimitExceeded',
  description: 'A limit was reached (e.g. too many jobs waiting); try again later.',
  interfaces: [ErrorInterface],
});

builder.objectType(ShuttingDownError, {
  name: 'ShuttingDown',
  description: 'The server is shutting down and takes no new jobs.',
  interfaces: [ErrorInterface],
});

builder.objectType(ValidationError, {
  name: 'InvalidInput',
  description: 'An argument was rejected; nothing was done. Every problem is listed with its path.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    problems: t.field({ type: [ProblemRef], resolve: (error) => [...error.problems] }),
  }),
});
