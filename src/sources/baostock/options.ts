import type { Logger } from 'pino';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { formatProblems, zodProblems } from '../../validation.js';
import { BAOSTOCK_DEFAULTS as D } from './constants.js';

export interface BaoStockOptions {
  /** Default `public-api.baostock.com`. */
  host?: string;
  /** Default 10030. */
  port?: number;
  /** 7 characters; default `00.9.10`. */
  version?: string;
  /** Default `anonymous`. */
  user?: string;
  /** Default `123456` (the anonymous password). */
  password?: string;
  /** Default 10 000. */
  connectTimeoutMs?: number;
  /** Longest wait for one whole reply; default 30 000. */
  responseTimeoutMs?: number;
  /** Aborting rejects with the signal's reason (when it is an Error) and closes the socket. */
  signal?: AbortSignal;
  /** Debug lines per page, a warn line on reconnect. */
  logger?: Logger;
}

const ms = z.number().int().min(1).max(86_400_000);
/** Values go into a frame unescaped, so neither separator byte may appear (§3). */
const frameText = z
  .string()
  .min(1)
  .refine((s) => !s.includes('\x01') && !s.includes('\n'), {
    message: 'must not contain 0x01 or a line feed',
  });

export const baoStockOptionsSchema = z.object({
  host: z.string().min(1).default(D.host),
  port: z.number().int().min(1).max(65_535).default(D.port),
  version: z
    .string()
    .regex(/^[ -~]{7}$/, { message: 'must be 7 printable ASCII characters, e.g. "00.9.10"' })
    .default(D.version),
  user: frameText.default(D.user),
  password: frameText.default(D.password),
  connectTimeoutMs: ms.default(D.connectTimeoutMs),
  responseTimeoutMs: ms.default(D.responseTimeoutMs),
});

export type BaoStockSettings = z.output<typeof baoStockOptionsSchema>;

/** Parses with `schema` (unknown keys such as signal and logger are ignored); failures list every field. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    throw new ValidationError(`invalid ${what}:\n${formatProblems(problems)}`, problems);
  }
  return parsed.data;
}
