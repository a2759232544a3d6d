/**
 * A job spec in its normalised form: named steps, each naming a component, its predecessor and
 * its arguments. Both input forms (the original JSON document and the typed step list) become this.
 */
export interface StepSpec {
  name: string;
  componentClassName: string;
  /** Empty for a producer. */
  preComponentName: string;
  componentArguments: Record<string, unknown>;
}

export interface JobSpec {
  steps: StepSpec[];
}

/** The original system's document: `{ pipeline_structure: { <step>: {...} }, trigger?: {...} }`. */
export interface OriginalJobDocument {
  pipeline_structure: Record<
    string,
    {
      component_class_name: string;
      pre_component_name: string;
      component_arguments?: Record<string, unknown>;
    }
  >;
  trigger?: unknown;
}

/** The spec written back in the original format (what a schedule file or an export would hold). */
export function toOriginalDocument(spec: JobSpec): OriginalJobDocument {
  return {
    pipeline_structure: Object.fromEntries(
      spec.steps.map((s) => [
        s.name,
        {
          component_class_name: s.componentClassName,
          pre_component_name: s.preComponentName,
          component_arguments: s.componentArguments,
        },
      ]),
    ),
  };
}
