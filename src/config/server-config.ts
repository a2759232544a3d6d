import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { assertBindAllowed } from '../auth/loopback.js';
import { clusterConfigSchema, expandClusterVars } from '../cluster/cluster-config.js';
import { authConfigSchema, loadAuthConfig, type AuthConfig } from '../auth/token-config.js';
import { MAX_JOB_TIMEOUT_SECONDS } from '../jobs/job.js';
import { exchangeClosuresConfigSchema } from './exchange-closures-file.js';
import { limitsConfigSchema } from './limits-config.js';
import { parseConfig, readJsonFile } from './read-json-file.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const timeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'not a known IANA time zone (e.g. "Asia/Shanghai")',
});

const logSchema = z.strictObject({
  /** Level of the server's own log (stdout) and of the lines kept for each job. */
  level: z.enum(LOG_LEVELS).default('info'),
  /** Also print job log lines on the server's stdout. */
  echoJobLines: z.boolean().default(false),
  /** Write each job's lines to `<jobLogDir>/<job id>/<level>.log`, the original system's layout. */
  jobLogFiles: z.boolean().default(false),
  jobLogDir: z.string().min(1).default('../logs'),
  /** Lines are stored in batches: at most this many lines or this many milliseconds per batch. */
  batchLines: z.number().int().min(1).max(100_000).default(1000),
  batchMs: z.number().int().min(1).max(10_000).default(50),
});

const jobsSchema = z.strictObject({
  /** Finished jobs (and their log lines) older than this are deleted. */
  retentionDays: z.number().positive().default(30),
  /** At most this many finished jobs are kept; the oldest go first. */
  retentionMaxJobs: z.number().int().min(1).default(10_000),
  /** How often old jobs are pruned, in minutes (also once at start-up). */
  pruneIntervalMinutes: z.number().positive().default(60),
  /** Jobs waiting for a free slot; past this a submission is refused with a clear error. */
  maxQueuedJobs: z.number().int().min(1).default(1000),
  /** Default timeout of a job, in seconds; null means none. A job spec may set its own. */
  timeoutSeconds: z
    .number()
    .positive()
    .max(MAX_JOB_TIMEOUT_SECONDS, `must be at most ${MAX_JOB_TIMEOUT_SECONDS} (31 days)`)
    .nullable()
    .default(null),
  /**
   * Seconds a job's steps may go on after it is cancelled, times out or is shut down, before the
   * job ends without them (a component that ignores its abort signal); its slot is held till then.
   */
  abortGraceSeconds: z.number().min(0).max(600).default(5),
  /**
   * Batches of rows held between a streaming step and each of its successors (counting the one the
   * successor is working on). The step waits while any successor has this many, so memory stays
   * flat: at most this many batches per edge, whatever the data's size.
   */
  batchesInFlightPerEdge: z.number().int().min(1).max(1000).default(4),
});

const schedulesSchema = z.strictObject({
  /**
   * Seconds a firing may be late and still run, for schedule files that do not set
   * `misfire_grace_time`. APScheduler's own default is 1 s; ours is an hour, so a firing missed
   * while the server was briefly down is caught up at start-up.
   */
  misfireGraceSeconds: z.number().positive().nullable().default(3600),
  /** How often due firings are looked for, in milliseconds. */
  tickMs: z.number().int().min(10).max(60_000).default(250),
  /** Reload when a file in scheduledJobsDir is added, changed or removed. */
  watch: z.boolean().default(true),
  /** The target whose trade_day table `trading_day` triggers read (default: the control target). */
  calendarTarget: z.string().min(1).optional(),
});

const originSchema = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.origin === text.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  },
  { message: 'must be an origin: scheme, host and port only, e.g. "https://dash.example.com"' },
);

const hostNameSchema = z
  .string()
  .regex(/^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, {
    message: 'must be a host name, e.g. "fda.internal" (a leading "." allows its subdomains too)',
  });

/** The browser boundary (src/auth/browser-boundary.ts). */
const httpSchema = z.strictObject({
  /** Pages at these origins may call the API (CORS, without credentials); none by default. */
  allowedOrigins: z.array(originSchema).default([]),
  /** Host names the server answers to besides loopback names and IP addresses. */
  allowedHosts: z.array(hostNameSchema).default([]),
});

export const serverConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(4000),
  maxConcurrentJobs: z.number().int().min(1).max(256).default(4),
  timeZone: timeZoneSchema.default('Asia/Shanghai'),
  /** Folder of user components, relative to the config folder. */
  componentsDir: z.string().min(1).default('components'),
  /** Reload components when a file in componentsDir changes. */
  watchComponents: z.boolean().default(false),
  scheduledJobsDir: z.string().min(1).default('scheduled-jobs'),
  shutdownGraceSeconds: z.number().min(0).default(30),
  /** At start-up, fill an empty trade_day table from the offline calendar (a visible STARTUP job). */
  fillEmptyCalendarOnStart: z.boolean().default(true),
  /** The operator's exchange closures file (next year's calendar before the package has it). */
  exchangeClosures: exchangeClosuresConfigSchema.optional(),
  schedules: schedulesSchema.default(schedulesSchema.parse({})),
  log: logSchema.default(logSchema.parse({})),
  jobs: jobsSchema.default(jobsSchema.parse({})),
  /** API tokens (with `FDA_TOKENS`); see docs-auth.md. */
  auth: authConfigSchema.default({}),
  /** Which pages and host names the server answers (the browser boundary). */
  http: httpSchema.default(httpSchema.parse({})),
  /** Request, connection and job spec limits. */
  limits: limitsConfigSchema.default(limitsConfigSchema.parse({})),
  /** Several processes on one MySQL control database and Redis (src/cluster); absent: one process. */
  cluster: clusterConfigSchema.optional(),
});

type ParsedServerConfig = z.output<typeof serverConfigSchema>;

/** The server configuration with every path made absolute. */
export interface ServerConfig extends ParsedServerConfig {
  configDir: string;
  componentsDir: string;
  scheduledJobsDir: string;
  log: ParsedServerConfig['log'] & { jobLogDir: string };
  auth: AuthConfig;
}

/** Where the config lives: `FDA_CONFIG_DIR`, or `conf/` in the working directory. */
export function resolveConfigDir(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const dir = resolve(cwd, env.FDA_CONFIG_DIR ?? 'conf');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(
      `config folder ${dir} does not exist${env.FDA_CONFIG_DIR ? ' (from FDA_CONFIG_DIR)' : ''}`,
    );
  }
  return dir;
}

/**
 * Loads `server.json` from the config folder (all defaults when the file is absent), then applies
 * `FDA_HOST` / `FDA_PORT`. Every problem is reported with the file, the field and what is wrong.
 */
export function loadServerConfig(configDir: string, env: NodeJS.ProcessEnv): ServerConfig {
  const file = join(configDir, 'server.json');
  const raw = expandClusterVars(existsSync(file) ? readJsonFile(file) : {}, env, file);
  const parsed = parseConfig(file, serverConfigSchema, raw);
  const host = env.FDA_HOST?.trim() || parsed.host;
  const port =
    env.FDA_PORT === undefined || env.FDA_PORT === ''
      ? parsed.port
      : parsePortVariable(env.FDA_PORT);
  const inConfigDir = (path: string) => (isAbsolute(path) ? path : resolve(configDir, path));
  const auth = loadAuthConfig(parsed.auth, configDir, env);
  assertBindAllowed(host, auth.tokens.length, env.FDA_HOST?.trim() ? 'FDA_HOST' : `${file}: host`);
  return {
    ...parsed,
    host,
    port,
    configDir,
    componentsDir: inConfigDir(parsed.componentsDir),
    scheduledJobsDir: inConfigDir(parsed.scheduledJobsDir),
    log: { ...parsed.log, jobLogDir: inConfigDir(parsed.log.jobLogDir) },
    auth,
    ...(parsed.exchangeClosures && {
      exchangeClosures: {
        ...parsed.exchangeClosures,
        file: inConfigDir(parsed.exchangeClosures.file),
      },
    }),
  };
}

function parsePortVariable(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new ConfigError(
      `FDA_PORT: ${JSON.stringify(value)} is not a port number (0 to 65535; 0 picks a free port)`,
    );
  }
  return port;
}
