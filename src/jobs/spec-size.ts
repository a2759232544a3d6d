import { LimitExceededError } from '../errors.js';
import { isObject } from '../validation.js';
import type { SpecInput } from './executor.js';

export interface SpecSizeLimits {
  /** Most steps in one spec. */
  maxSteps: number;
  /** Largest `componentArguments` of one step, as JSON, in bytes. */
  maxArgumentBytes: number;
}

/** Each step's name and arguments, in either input form; a malformed spec yields what it can (validation reports the rest). */
function stepsOf(input: SpecInput): { name: string; args: unknown }[] {
  if ('document' in input) {
    const structure = isObject(input.document) ? input.document.pipeline_structure : undefined;
    if (!isObject(structure)) return [];
    return Object.entries(structure).map(([name, step]) => ({
      name,
      args: isObject(step) ? step.component_arguments : undefined,
    }));
  }
  if (!Array.isArray(input.steps)) return [];
  return input.steps.map((step: unknown, index) => ({
    name: isObject(step) && typeof step.name === 'string' ? step.name : `#${index}`,
    args: isObject(step) ? step.componentArguments : undefined,
  }));
}

const shortName = (name: string) =>
  JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);

/**
 * Refuses a spec with too many steps or too large arguments before it is validated or stored,
 * whoever submits it (the API, a schedule, a retry). Throws LimitExceededError naming the limit.
 */
export function checkSpecSize(input: SpecInput, limits: SpecSizeLimits): void {
  const steps = stepsOf(input);
  if (steps.length > limits.maxSteps) {
    throw new LimitExceededError(
      `the job spec has ${steps.length} steps; at most ${limits.maxSteps} are allowed (server.json limits.maxJobSteps)`,
    );
  }
  for (const { name, args } of steps) {
    if (args === undefined) continue;
    const bytes = Buffer.byteLength(JSON.stringify(args) ?? '', 'utf8');
    if (bytes > limits.maxArgumentBytes) {
      throw new LimitExceededError(
        `the componentArguments of step ${shortName(name)} are ${bytes} bytes of JSON; at most ${limits.maxArgumentBytes} are allowed (server.json limits.maxComponentArgumentBytes)`,
      );
    }
  }
}
