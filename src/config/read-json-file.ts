import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { zodProblems } from '../validation.js';

/** Reads and parses a JSON file, turning every failure into a ConfigError that names the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read the file (${code ?? String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${withoutExcerpt((error as Error).message)}`);
  }
}

/**
 * V8 quotes the text around some syntax errors (`Unexpected token 'h', ..."word": hunter2}" is not
 * valid JSON`); in a configuration file that text may be a password, so the excerpt goes.
 */
function withoutExcerpt(message: string): string {
  return message.replace(
    /, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s,
    ' (excerpt not shown: it may hold a secret)',
  );
}

/** Validates parsed JSON with a zod schema; the error lists every problem as `file: path: message`. */
export function parseConfig<S extends z.ZodType>(
  file: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = zodProblems(result.error).map(
    (p) => `${file}: ${p.path || '(top level)'}: ${p.message}`,
  );
  throw new ConfigError(lines.join('\n'));
}
