import { z } from 'zod';
import { isObject } from '../validation.js';
import { expandEnvVars } from '../config/env-vars.js';

const redisUrlSchema = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be a Redis URL, e.g. "redis://127.0.0.1:6379" (or rediss:// for TLS)' },
);

/**
 * server.json `cluster`: several processes on one MySQL/MariaDB control database and one Redis.
 * Absent, the server runs alone, as it always has.
 */
export const clusterConfigSchema = z
  .strictObject({
    /** Where live events between processes go; `${VAR}` is read from the environment. */
    redis: redisUrlSchema,
    /** How often a process writes its heartbeat (and looks for dead ones). */
    heartbeatSeconds: z.number().positive().max(3600).default(5),
    /** A process whose heartbeat is older than this is dead: its running jobs fail. */
    deadAfterSeconds: z.number().positive().max(86_400).default(30),
  })
  .refine((c) => c.deadAfterSeconds >= 2 * c.heartbeatSeconds, {
    path: ['deadAfterSeconds'],
    message:
      'must be at least twice heartbeatSeconds, or a process that is merely slow would be taken for dead',
  });

export type ClusterConfig = z.output<typeof clusterConfigSchema>;

/** `${VAR}` in the cluster section only: the rest of server.json never took variables. */
export function expandClusterVars(raw: unknown, env: NodeJS.ProcessEnv, file: string): unknown {
  if (!isObject(raw) || raw.cluster === undefined) return raw;
  return { ...raw, cluster: expandEnvVars(raw.cluster, env, file, 'cluster') };
}

/** The Redis URL without its password, for logs and errors. */
export function describeRedis(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.username = '';
  return parsed.toString();
}
