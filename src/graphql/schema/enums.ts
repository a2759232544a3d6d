import { COMPONENT_KINDS } from '../../components/component.js';
import {
  JOB_STATUSES,
  LOG_LINE_LEVELS,
  ORIGIN_TYPES,
  STEP_STATUSES,
  type LogLineLevel,
} from '../../jobs/job.js';
import { builder } from '../builder.js';

export const JobStatusEnum = builder.enumType('JobStatus', {
  description: 'WAITING for a free slot, RUNNING, or ended: FINISHED, FAILED or CANCELLED.',
  values: JOB_STATUSES,
});

export const StepStatusEnum = builder.enumType('StepStatus', { values: STEP_STATUSES });

export const JobOriginTypeEnum = builder.enumType('JobOriginType', {
  description:
    'ADHOC (submitted by a client), SCHEDULE (fired by a schedule), STARTUP (started by the server itself: the start-up fill, a calendar refill), RETRY (retryJob) or BACKFILL (one trading day of a backfill).',
  values: ORIGIN_TYPES,
});

export const ComponentKindEnum = builder.enumType('ComponentKind', { values: COMPONENT_KINDS });

export const LogLevelEnum = builder.enumType('LogLevel', {
  values: Object.fromEntries(
    LOG_LINE_LEVELS.map((level) => [level.toUpperCase(), { value: level }]),
  ) as Record<Uppercase<LogLineLevel>, { value: LogLineLevel }>,
});

export const JobChangeEnum = builder.enumType('JobChange', {
  description:
    'Why an event was sent: CURRENT (the state when the subscription started), STATUS (the status changed) or PROGRESS.',
  values: ['CURRENT', 'STATUS', 'PROGRESS'] as const,
});
