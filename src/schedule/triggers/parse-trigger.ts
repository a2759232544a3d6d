import { ValidationError, type Problem } from '../../errors.js';
import { describeType, formatProblems, isObject } from '../../validation.js';
import {
  ARGUMENT_NAMES,
  buildCronTrigger,
  buildDateTrigger,
  buildIntervalTrigger,
  buildTradingDayTrigger,
} from './build-triggers.js';
import type { Trigger, TriggerDeps, TriggerType } from './trigger.js';

const TYPES = Object.keys(ARGUMENT_NAMES) as TriggerType[];
const BUILDERS = {
  cron: buildCronTrigger,
  interval: buildIntervalTrigger,
  date: buildDateTrigger,
  trading_day: buildTradingDayTrigger,
} as const;

const join = (base: string, ...parts: string[]): string =>
  [base, ...parts].filter((part) => part !== '').join('.');

/**
 * Parses a schedule file's `{ "type": "cron" | "interval" | "date" | "trading_day", "arguments": {...} }`
 * into a Trigger with APScheduler 3.11's meaning. Throws a ValidationError listing every problem,
 * each with a path such as `trigger.arguments.day_of_week`.
 */
export function parseTrigger(json: unknown, deps: TriggerDeps, basePath = 'trigger'): Trigger {
  const problems: Problem[] = [];
  const fail = (): never => {
    throw new ValidationError(`invalid trigger:\n${formatProblems(problems)}`, problems);
  };
  if (!isObject(json)) {
    problems.push({
      path: basePath,
      message: `must be an object like { "type": "cron", "arguments": { "hour": "9" } }, not ${describeType(json)}`,
    });
    return fail();
  }
  for (const key of Object.keys(json)) {
    if (key !== 'type' && key !== 'arguments')
      problems.push({
        path: join(basePath, key),
        message: 'unknown field (a trigger has "type" and "arguments")',
      });
  }
  const type = json.type;
  if (typeof type !== 'string' || !TYPES.includes(type as TriggerType)) {
    problems.push({
      path: join(basePath, 'type'),
      message: `${type === undefined ? 'is missing' : `${JSON.stringify(type)} is not a trigger type`}; use one of ${TYPES.map((t) => `"${t}"`).join(', ')}`,
    });
  }
  const args = json.arguments;
  if (!isObject(args)) {
    problems.push({
      path: join(basePath, 'arguments'),
      message:
        args === undefined
          ? 'is missing: give an object of trigger arguments (it may be empty)'
          : `must be an object of trigger arguments, not ${describeType(args)}`,
    });
  }
  if (problems.length > 0 || !isObject(args)) return fail();

  const triggerType = type as TriggerType;
  const allowed = ARGUMENT_NAMES[triggerType];
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      problems.push({
        path: join(basePath, 'arguments', key),
        message: `unknown argument for ${triggerType === 'interval' ? 'an' : 'a'} ${triggerType} trigger (it takes ${allowed.join(', ')})`,
      });
    }
  }
  const trigger = BUILDERS[triggerType](args, deps, (field, message) =>
    problems.push({ path: join(basePath, 'arguments', field), message }),
  );
  if (problems.length > 0 || trigger === null) return fail();
  return trigger;
}
