import type { z } from 'zod';
import type { Problem } from './errors.js';

/** A plain object (not null, not an array): what a JSON document's objects are. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** How a JSON value's type reads in a message: `null`, `an array`, `string` … */
export const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** Renders a path like `pipeline_structure.producer_0.component_arguments.port` (array indexes as `[3]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Turns zod issues into problems whose path is prefixed by `basePath`, so a message always says
 * where in the caller's document the problem is, not just where in the sub-object zod looked.
 */
export function zodProblems(error: z.ZodError, basePath: readonly PropertyKey[] = []): Problem[] {
  return error.issues.map((issue) => {
    const path = [...basePath, ...issue.path];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    return { path: formatPath(path), message };
  });
}

/** One line per problem, `path: message` (or just the message at the root). */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
