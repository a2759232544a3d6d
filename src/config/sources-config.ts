import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BAOSTOCK_DEFAULTS as D } from '../sources/baostock/constants.js';
import type { BaoStockEndpoint } from '../sources/baostock/endpoint.js';
import { expandEnvVars } from './env-vars.js';
import { parseConfig, readJsonFile } from './read-json-file.js';
import { Secret } from './secret.js';
import { integer } from './storage-config.js';

/** Values go into a BaoStock frame unescaped, so neither separator byte may appear in them. */
const frameText = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !s.includes('\x01') && !s.includes('\n'), {
    message: 'must not contain the byte 0x01 or a line feed',
  });

const baoStockEndpointSchema = z.strictObject({
  host: z.string().min(1).default(D.host),
  port: integer(1, 65_535).default(D.port),
  user: frameText.default(D.user),
  /** `${VAR}` reads it from the environment; the anonymous account's is public. */
  password: frameText.default(D.password),
  version: z
    .string()
    .regex(/^[ -~]{7}$/, 'must be 7 printable ASCII characters, e.g. "00.9.10"')
    .default(D.version),
  /** Sessions (TCP connections, each logged in once) open to this endpoint at most. */
  sessions: integer(1, 64).default(4),
  connectTimeoutMs: integer(100, 600_000).default(D.connectTimeoutMs),
  responseTimeoutMs: integer(100, 600_000).default(D.responseTimeoutMs),
  rowsPerPage: integer(1, 100_000).default(D.rowsPerPage),
});

/** Checked in the refinement below: zod reports a bad record key only as "Invalid key". */
const ENDPOINT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const sourcesSchema = z
  .strictObject({
    /** The endpoint a job that names none uses (default: the only one, or `public`). */
    default: z.string().optional(),
    baostock: z
      .record(z.string(), baoStockEndpointSchema)
      .default({ public: baoStockEndpointSchema.parse({}) }),
  })
  .superRefine((config, ctx) => {
    const names = Object.keys(config.baostock);
    for (const name of names.filter((n) => !ENDPOINT_NAME.test(n)))
      ctx.addIssue({
        code: 'custom',
        path: ['baostock', name],
        message: 'an endpoint name must start with a letter and hold only letters, digits, _ or -',
      });
    if (names.length === 0)
      ctx.addIssue({ code: 'custom', path: ['baostock'], message: 'names no endpoint' });
    const chosen = config.default ?? (names.length === 1 ? names[0] : 'public');
    if (names.length > 0 && (chosen === undefined || !names.includes(chosen)))
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `must name one of the endpoints (${names.join(', ')})${config.default === undefined ? '; with several endpoints and none named "public", say which is the default' : ''}`,
      });
  });

/** Where data may come from: named endpoints, and the one used when a job names none. */
export interface SourcesConfig {
  baostock: readonly BaoStockEndpoint[];
  defaultBaoStock: string;
}

/**
 * `sources.json` in the config folder: the BaoStock endpoints jobs may use, by name, with their
 * accounts. Absent, the public anonymous endpoint is the only one. `${VAR}` in any string is read
 * from the environment; passwords are wrapped so they never print.
 */
export function loadSourcesConfig(configDir: string, env: NodeJS.ProcessEnv): SourcesConfig {
  const file = join(configDir, 'sources.json');
  const raw = existsSync(file) ? expandEnvVars(readJsonFile(file), env, file) : {};
  const parsed = parseConfig(file, sourcesSchema, raw);
  const names = Object.keys(parsed.baostock);
  // The schema has checked that this names one of the endpoints.
  const defaultBaoStock = parsed.default ?? (names.length === 1 ? names[0]! : 'public');
  return {
    baostock: Object.entries(parsed.baostock).map(([name, e]) => ({
      name,
      host: e.host,
      port: e.port,
      user: e.user,
      password: new Secret(e.password),
      version: e.version,
      sessions: e.sessions,
      connectTimeoutMs: e.connectTimeoutMs,
      responseTimeoutMs: e.responseTimeoutMs,
      rowsPerPage: e.rowsPerPage,
    })),
    defaultBaoStock,
  };
}
