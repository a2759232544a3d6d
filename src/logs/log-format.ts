import { z } from 'zod';
import { ConfigError } from '../errors.js';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const logFormatSchema = z.enum(LOG_FORMATS);

/**
 * How the server prints its own log: `FDA_LOG_FORMAT` when set, otherwise readable lines for a
 * person at a terminal and JSON lines for whatever reads a pipe or a file (a collector, a test).
 */
export function chooseLogFormat(value: string | undefined, stdoutIsTTY: boolean): LogFormat {
  if (value === undefined || value.trim() === '') return stdoutIsTTY ? 'pretty' : 'json';
  const parsed = logFormatSchema.safeParse(value.trim().toLowerCase());
  if (!parsed.success)
    throw new ConfigError(
      `FDA_LOG_FORMAT: must be "json" or "pretty", got ${JSON.stringify(value)}`,
    );
  return parsed.data;
}
