import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessControl } from '../auth/access-control.js';
import { bearerCredential } from '../auth/credentials.js';
import type { StorageTarget } from '../storage/targets.js';
import type { App } from './build-app.js';
import { calendarHealth, type CalendarHealth } from './calendar-health.js';

/** How long a health check waits for one database before calling it down. */
const PING_TIMEOUT_MS = 2000;
/** A target is pinged at most this often, however many health checks ask. */
export const DEFAULT_PING_INTERVAL_MS = 5000;

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

interface TargetHealth {
  name: string;
  dialect: string;
  up: boolean;
}

/** What only a caller with the `read` scope sees: where things are and why they are down. */
interface TargetDetails extends TargetHealth {
  at: string;
  error: string | null;
  checkedAt: string;
}

/** `/health` for anyone: up or down, per part. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  server: { up: true; uptimeSeconds: number };
  jobStore: { target: string; up: boolean };
  targets: TargetHealth[] | TargetDetails[];
  offlineCalendar: Pick<CalendarHealth, 'coveredTo' | 'source' | 'warning'> | CalendarHealth;
  /** False when details were left out (present a read token to see them). */
  details: boolean;
}

type HealthParts = Pick<App, 'targets' | 'calendar' | 'closuresFile' | 'config'>;

interface Ping {
  up: boolean;
  error: string | null;
  at: Date;
}

/**
 * Keeps the latest answer of each storage target, pinging one again only when its answer is older
 * than `intervalMs`, and never twice at once: a health check polled by every load balancer and
 * monitor of a site must not become a load on the databases.
 */
export class HealthMonitor {
  readonly #latest = new Map<string, Ping>();
  readonly #pending = new Map<string, Promise<Ping>>();
  /** Pings sent so far (for tests and the curious). */
  pings = 0;

  constructor(
    private readonly app: HealthParts,
    private readonly startedAt: number,
    private readonly intervalMs = DEFAULT_PING_INTERVAL_MS,
  ) {}

  async report(withDetails: boolean): Promise<HealthReport> {
    const targets = this.app.targets.list();
    const pings = await Promise.all(targets.map((t) => this.#ping(t)));
    const controlName = this.app.targets.control().name;
    const jobStoreUp = pings[targets.findIndex((t) => t.name === controlName)]?.up ?? false;
    const calendar = calendarHealth(this.app);
    return {
      status: jobStoreUp && pings.every((p) => p.up) ? 'ok' : 'degraded',
      server: { up: true, uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) },
      jobStore: { target: controlName, up: jobStoreUp },
      targets: targets.map((t, i) => {
        const ping = pings[i]!;
        const part = { name: t.name, dialect: t.dialect, up: ping.up };
        if (!withDetails) return part;
        return { ...part, at: t.describe(), error: ping.error, checkedAt: ping.at.toISOString() };
      }),
      offlineCalendar: withDetails
        ? calendar
        : { coveredTo: calendar.coveredTo, source: calendar.source, warning: calendar.warning },
      details: withDetails,
    };
  }

  #ping(target: StorageTarget): Promise<Ping> {
    const latest = this.#latest.get(target.name);
    if (latest && Date.now() - latest.at.getTime() < this.intervalMs)
      return Promise.resolve(latest);
    let pending = this.#pending.get(target.name);
    if (!pending) {
      this.pings += 1;
      pending = pingWithin(target).then((up) => {
        const ping = {
          up,
          error: up ? null : (target.state.error ?? 'no answer in time'),
          at: new Date(),
        };
        this.#latest.set(target.name, ping);
        this.#pending.delete(target.name);
        return ping;
      });
      this.#pending.set(target.name, pending);
    }
    return pending;
  }
}

/**
 * `GET /health`: whether the server, its job store and each target are up, for anyone (a load
 * balancer has no token). Where they are and why they are down only for a caller whose token has
 * the `read` scope (everyone, when no tokens are configured and the server is loopback-only).
 * 200 while the job store is up (the server can work), 503 when it is not.
 */
export async function handleHealth(
  monitor: HealthMonitor,
  access: AccessControl,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const authentication = access.authenticate(bearerCredential(request.headers.authorization));
  const withDetails =
    authentication.ok && access.authorize(authentication.principal, 'query') === null;
  const report = await monitor.report(withDetails);
  response
    .writeHead(report.jobStore.up ? 200 : 503, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
    })
    .end(`${JSON.stringify(report)}\n`);
}
