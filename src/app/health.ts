import type { ServerResponse } from 'node:http';
import type { StorageTarget } from '../storage/targets.js';
import type { App } from './build-app.js';
import { calendarHealth, type CalendarHealth } from './calendar-health.js';

/** How long a health check waits for one database before calling it down. */
const PING_TIMEOUT_MS = 2000;

/** Asks a target whether it is up, giving up (false) after `timeoutMs`: a hung database must not hang the caller. */
export async function pingWithin(
  target: Pick<StorageTarget, 'ping'>,
  timeoutMs = PING_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([target.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  server: { up: true; uptimeSeconds: number };
  jobStore: { target: string; up: boolean };
  targets: { name: string; dialect: string; up: boolean; error: string | null }[];
  offlineCalendar: CalendarHealth;
}

/** What the health check reads from the app. */
type HealthParts = Pick<App, 'targets' | 'calendar' | 'closuresFile' | 'config'>;

export async function healthReport(app: HealthParts, startedAt: number): Promise<HealthReport> {
  const targets = await Promise.all(
    app.targets.list().map(async (t) => {
      const up = await pingWithin(t);
      return {
        name: t.name,
        dialect: t.dialect,
        up,
        error: up ? null : (t.state.error ?? 'no answer in time'),
      };
    }),
  );
  const controlName = app.targets.control().name;
  const control = targets.find((t) => t.name === controlName);
  const jobStoreUp = control?.up ?? false;
  return {
    status: jobStoreUp && targets.every((t) => t.up) ? 'ok' : 'degraded',
    server: { up: true, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
    jobStore: { target: controlName, up: jobStoreUp },
    targets,
    offlineCalendar: calendarHealth(app),
  };
}

/**
 * `GET /health`: JSON saying whether the server, its job store and each storage target are up.
 * 200 while the job store is up (the server can work), 503 when it is not.
 */
export async function handleHealth(
  app: HealthParts,
  response: ServerResponse,
  startedAt: number,
): Promise<void> {
  const report = await healthReport(app, startedAt);
  response
    .writeHead(report.jobStore.up ? 200 : 503, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    })
    .end(`${JSON.stringify(report)}\n`);
}
