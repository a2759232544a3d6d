import type { Problem } from '../errors.js';
import { codePointLength, STORED_TEXT_LIMITS } from '../jobs/stored-text.js';
import type { ArgumentCheckEnvironment } from '../components/component.js';
import type { ComponentSnapshot, LoadedComponent } from '../components/registry.js';
import { zodProblems } from '../validation.js';
import { closestNames } from './closest-names.js';
import type { JobSpec, StepSpec } from './job-spec.js';
import type { ParsedSpec } from './parse-spec.js';

/** A step bound to the component version it will run with and its validated arguments. */
export interface ResolvedStep {
  spec: StepSpec;
  loaded: LoadedComponent;
  args: unknown;
}

export type SpecValidation =
  { ok: true; spec: JobSpec; steps: ResolvedStep[] } | { ok: false; problems: Problem[] };

/**
 * Checks a parsed spec against a component snapshot and reports every problem at once: shape,
 * names, components, arguments and the graph (predecessors, self-references, cycles, producers).
 * Nothing may run unless this returns ok.
 */
export function validateJobSpec(
  parsed: ParsedSpec,
  components: ComponentSnapshot,
  environment?: ArgumentCheckEnvironment,
): SpecValidation {
  const { spec, pathOf } = parsed;
  const problems: Problem[] = [...parsed.problems];
  const steps = spec.steps;
  if (steps.length === 0 && parsed.problems.length === 0)
    problems.push({ path: parsed.stepsPath, message: 'the job has no steps' });

  const firstIndexByName = new Map<string, number>();
  steps.forEach((step, i) => {
    if (step.name.trim() === '')
      problems.push({ path: pathOf(i, 'name'), message: 'a step name must not be empty' });
    else if (codePointLength(step.name) > STORED_TEXT_LIMITS.stepName)
      problems.push({
        path: pathOf(i, 'name'),
        message: `a step name is at most ${STORED_TEXT_LIMITS.stepName} characters (it is stored with every log line); this one has ${codePointLength(step.name)}`,
      });
    else if (firstIndexByName.has(step.name))
      problems.push({
        path: pathOf(i, 'name'),
        message: `duplicate step name "${step.name}" (also step ${firstIndexByName.get(step.name)! + 1})`,
      });
    else firstIndexByName.set(step.name, i);
  });

  const resolved: (ResolvedStep | undefined)[] = steps.map((step, i) => {
    if (step.componentClassName === '') return undefined; // already reported by the parser
    const loaded = components.components.get(step.componentClassName);
    if (!loaded) {
      const close = closestNames(step.componentClassName, components.components.keys());
      const hint =
        close.length > 0
          ? `did you mean ${close.map((n) => `"${n}"`).join(' or ')}?`
          : `known components: ${[...components.components.keys()].sort().join(', ')}`;
      problems.push({
        path: pathOf(i, 'componentClassName'),
        message: `unknown component "${step.componentClassName}"; ${hint}`,
      });
      return undefined;
    }
    const args = loaded.component.argumentsSchema.safeParse(step.componentArguments);
    if (!args.success) {
      for (const problem of zodProblems(args.error)) {
        problems.push({
          path:
            pathOf(i, 'componentArguments') +
            (problem.path ? (problem.path.startsWith('[') ? '' : '.') + problem.path : ''),
          message: problem.message,
        });
      }
      return { spec: step, loaded, args: undefined };
    }
    if (environment && loaded.component.checkArguments) {
      for (const problem of loaded.component.checkArguments(args.data, environment)) {
        problems.push({
          path: pathOf(i, 'componentArguments') + (problem.path ? `.${problem.path}` : ''),
          message: problem.message,
        });
      }
    }
    return { spec: step, loaded, args: args.data as unknown };
  });

  problems.push(...graphProblems(steps, resolved, firstIndexByName, pathOf));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, spec, steps: resolved as ResolvedStep[] };
}

function graphProblems(
  steps: readonly StepSpec[],
  resolved: readonly (ResolvedStep | undefined)[],
  indexByName: ReadonlyMap<string, number>,
  pathOf: ParsedSpec['pathOf'],
): Problem[] {
  const problems: Problem[] = [];
  let producers = 0;
  steps.forEach((step, i) => {
    const kind = resolved[i]?.loaded.component.kind;
    const pre = step.preComponentName;
    const where = pathOf(i, 'preComponentName');
    if (kind === 'PRODUCER') producers++;
    if (pre === '') {
      if (kind !== undefined && kind !== 'PRODUCER') {
        problems.push({
          path: where,
          message: `step "${step.name}" runs ${step.componentClassName}, a ${kind}, which needs a predecessor (preComponentName)`,
        });
      }
      return;
    }
    if (pre === step.name) {
      problems.push({
        path: where,
        message: `step "${step.name}" names itself as its predecessor`,
      });
      return;
    }
    if (!indexByName.has(pre)) {
      const close = closestNames(pre, indexByName.keys());
      const hint =
        close.length > 0
          ? `; did you mean ${close.map((n) => `"${n}"`).join(' or ')}?`
          : ` (steps: ${[...indexByName.keys()].join(', ')})`;
      problems.push({
        path: where,
        message: `predecessor "${pre}" is not a step of this job${hint}`,
      });
      return;
    }
    if (kind === 'PRODUCER') {
      problems.push({
        path: where,
        message: `step "${step.name}" runs ${step.componentClassName}, a PRODUCER, which cannot have a predecessor (found "${pre}")`,
      });
    }
  });
  if (steps.length > 0 && producers === 0 && resolved.every((r) => r !== undefined)) {
    problems.push({
      path: '',
      message:
        'the job has no producer: one step must run a PRODUCER component with an empty preComponentName',
    });
  }
  for (const cycle of findCycles(steps, indexByName)) {
    // Found by walking predecessors; shown in the direction data flows, from the first step found.
    const flow = [cycle[0]!, ...cycle.slice(1).reverse()];
    const names = flow.map((i) => steps[i]!.name);
    problems.push({
      path: pathOf(cycle[0]!, 'preComponentName'),
      message: `steps ${[...names, names[0]].map((n) => `"${n}"`).join(' → ')} form a cycle`,
    });
  }
  return problems;
}

/** Each cycle of predecessor links once (a step naming itself is reported elsewhere). */
function findCycles(
  steps: readonly StepSpec[],
  indexByName: ReadonlyMap<string, number>,
): number[][] {
  const state = new Array<'new' | 'visiting' | 'done'>(steps.length).fill('new');
  const cycles: number[][] = [];
  for (let start = 0; start < steps.length; start++) {
    const path: number[] = [];
    let current: number | undefined = start;
    while (current !== undefined && state[current] === 'new') {
      state[current] = 'visiting';
      path.push(current);
      const pre: string = steps[current]!.preComponentName;
      current = pre === '' || pre === steps[current]!.name ? undefined : indexByName.get(pre);
    }
    if (current !== undefined && state[current] === 'visiting') {
      cycles.push(path.slice(path.indexOf(current)));
    }
    for (const i of path) state[i] = 'done';
  }
  return cycles;
}
