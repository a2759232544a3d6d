import type { Problem } from '../errors.js';
import { describeType, formatPath, isObject } from '../validation.js';
import type { JobSpec, StepSpec } from './job-spec.js';

/** A spec read from either input form, with the problems of its shape and a way to name paths in the caller's form. */
export interface ParsedSpec {
  spec: JobSpec;
  problems: Problem[];
  /** Where the steps are in the caller's form (`pipeline_structure` or `steps`). */
  stepsPath: string;
  /** The path of a step's field as the caller wrote it (document keys or list indexes). */
  pathOf: (stepIndex: number, field?: keyof StepSpec, inner?: readonly PropertyKey[]) => string;
}

const DOCUMENT_FIELDS = {
  componentClassName: 'component_class_name',
  preComponentName: 'pre_component_name',
  componentArguments: 'component_arguments',
  name: '',
} as const;
const STEP_KEYS = ['name', 'componentClassName', 'preComponentName', 'componentArguments'] as const;

/**
 * The original system's document: `{ pipeline_structure: { <step name>: { component_class_name,
 * pre_component_name, component_arguments } }, trigger? }`. A `trigger` is allowed (schedule files
 * carry one) and ignored here.
 */
export function parseOriginalDocument(document: unknown): ParsedSpec {
  const problems: Problem[] = [];
  const names: string[] = [];
  const pathOf: ParsedSpec['pathOf'] = (i, field, inner = []) =>
    formatPath([
      'pipeline_structure',
      names[i] ?? i,
      ...(field && field !== 'name' ? [DOCUMENT_FIELDS[field]] : []),
      ...inner,
    ]);
  const steps: StepSpec[] = [];
  if (!isObject(document)) {
    problems.push({
      path: '',
      message: `the job spec must be a JSON object, not ${describeType(document)}`,
    });
    return { spec: { steps }, problems, stepsPath: 'pipeline_structure', pathOf };
  }
  for (const key of Object.keys(document)) {
    if (key !== 'pipeline_structure' && key !== 'trigger')
      problems.push({
        path: key,
        message: 'unknown field (expected "pipeline_structure" and optionally "trigger")',
      });
  }
  const structure = document.pipeline_structure;
  if (!isObject(structure)) {
    problems.push({
      path: 'pipeline_structure',
      message:
        structure === undefined
          ? 'is missing: it maps each step name to its component'
          : `must be an object mapping step names to steps, not ${describeType(structure)}`,
    });
    return { spec: { steps }, problems, stepsPath: 'pipeline_structure', pathOf };
  }
  for (const [name, raw] of Object.entries(structure)) {
    const index = steps.length;
    names.push(name);
    const step: StepSpec = {
      name,
      componentClassName: '',
      preComponentName: '',
      componentArguments: {},
    };
    steps.push(step);
    if (!isObject(raw)) {
      problems.push({
        path: pathOf(index),
        message: `must be an object with component_class_name, pre_component_name and component_arguments, not ${describeType(raw)}`,
      });
      continue;
    }
    for (const key of Object.keys(raw)) {
      if (!['component_class_name', 'pre_component_name', 'component_arguments'].includes(key)) {
        problems.push({
          path: formatPath(['pipeline_structure', name, key]),
          message:
            'unknown field (expected component_class_name, pre_component_name, component_arguments)',
        });
      }
    }
    readStepFields(
      step,
      {
        className: raw.component_class_name,
        pre: raw.pre_component_name,
        args: raw.component_arguments,
      },
      (field, message) => problems.push({ path: pathOf(index, field), message }),
    );
  }
  return { spec: { steps }, problems, stepsPath: 'pipeline_structure', pathOf };
}

/** The typed form: a list of `{ name, componentClassName, preComponentName, componentArguments }`. */
export function parseStepList(list: unknown): ParsedSpec {
  const problems: Problem[] = [];
  const pathOf: ParsedSpec['pathOf'] = (i, field, inner = []) =>
    formatPath(['steps', i, ...(field ? [field] : []), ...inner]);
  const steps: StepSpec[] = [];
  if (!Array.isArray(list)) {
    problems.push({ path: 'steps', message: `must be a list of steps, not ${describeType(list)}` });
    return { spec: { steps }, problems, stepsPath: 'steps', pathOf };
  }
  list.forEach((raw, index) => {
    const step: StepSpec = {
      name: '',
      componentClassName: '',
      preComponentName: '',
      componentArguments: {},
    };
    steps.push(step);
    if (!isObject(raw)) {
      problems.push({
        path: pathOf(index),
        message: `must be an object, not ${describeType(raw)}`,
      });
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!(STEP_KEYS as readonly string[]).includes(key))
        problems.push({
          path: formatPath(['steps', index, key]),
          message: `unknown field (expected ${STEP_KEYS.join(', ')})`,
        });
    }
    if (typeof raw.name !== 'string')
      problems.push({
        path: pathOf(index, 'name'),
        message: `must be a string, not ${describeType(raw.name)}`,
      });
    else step.name = raw.name;
    readStepFields(
      step,
      {
        className: raw.componentClassName,
        pre: raw.preComponentName,
        args: raw.componentArguments,
      },
      (field, message) => problems.push({ path: pathOf(index, field), message }),
    );
  });
  return { spec: { steps }, problems, stepsPath: 'steps', pathOf };
}

function readStepFields(
  step: StepSpec,
  raw: { className: unknown; pre: unknown; args: unknown },
  problem: (field: keyof StepSpec, message: string) => void,
): void {
  if (typeof raw.className === 'string' && raw.className.trim() !== '')
    step.componentClassName = raw.className.trim();
  else
    problem(
      'componentClassName',
      raw.className === undefined
        ? 'is missing: name the component this step runs'
        : 'must be a non-empty string naming a component',
    );
  // A missing or null predecessor means "none", as the original files sometimes wrote it.
  if (typeof raw.pre === 'string') step.preComponentName = raw.pre.trim();
  else if (raw.pre !== undefined && raw.pre !== null)
    problem(
      'preComponentName',
      `must be a string (empty for a producer), not ${describeType(raw.pre)}`,
    );
  if (isObject(raw.args)) step.componentArguments = raw.args;
  else if (raw.args !== undefined && raw.args !== null)
    problem('componentArguments', `must be an object, not ${describeType(raw.args)}`);
}
