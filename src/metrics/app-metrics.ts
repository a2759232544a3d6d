import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppEvents, JobEvent } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import { isFinal } from '../jobs/job.js';
import { rowsWrittenBy } from './write-results.js';

/** What the queue gauges read when Prometheus scrapes. */
export interface QueueCounts {
  readonly runningCount: number;
  readonly waitingCount: number;
}

/** What the connection gauges read; set once the HTTP server listens. */
export interface ServerCounts {
  /** graphql-ws sockets open. */
  webSocketClients(): number;
  /** Subscriptions being served (over WebSocket and server-sent events). */
  liveStreams(): number;
  /** TCP connections to the HTTP server. */
  httpConnections(): Promise<number>;
}

export interface AppMetrics {
  readonly registry: Registry;
  /** Called by the HTTP server once it listens. */
  observeServer(counts: ServerCounts): void;
  /** Stops listening to the bus. */
  close(): void;
}

/** Seconds: a step of a few milliseconds up to a job of hours. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14_400];

/**
 * The server's Prometheus metrics, in a registry of their own (not prom-client's global one, so
 * two apps in one process, as in the tests, never count into each other). Job counts come from
 * the bus, queue and connection counts are read at scrape time.
 */
export function createAppMetrics(bus: EventBus<AppEvents>, queue: QueueCounts): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fda_' });
  const jobs = new Counter({
    name: 'fda_jobs_total',
    help: 'Jobs that reached a status, by status and origin type',
    labelNames: ['status', 'origin'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'fda_job_duration_seconds',
    help: 'From start to end of ended jobs, by final status',
    labelNames: ['status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'fda_step_duration_seconds',
    help: 'From start to end of the steps of ended jobs, by component and step status',
    labelNames: ['component', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const rowsWritten = new Counter({
    name: 'fda_rows_written_total',
    help: 'Rows inserted or updated by storagers, by storage target and dialect',
    labelNames: ['target', 'dialect'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'fda_jobs_waiting',
    help: 'Jobs queued for a free slot (the queue depth)',
    registers: [registry],
    collect() {
      this.set(queue.waitingCount);
    },
  });
  new Gauge({
    name: 'fda_jobs_running',
    help: 'Jobs running now',
    registers: [registry],
    collect() {
      this.set(queue.runningCount);
    },
  });
  let server: ServerCounts | null = null;
  new Gauge({
    name: 'fda_websocket_clients',
    help: 'graphql-ws connections open',
    registers: [registry],
    collect() {
      this.set(server?.webSocketClients() ?? 0);
    },
  });
  new Gauge({
    name: 'fda_subscriptions',
    help: 'GraphQL subscriptions being served (WebSocket and server-sent events)',
    registers: [registry],
    collect() {
      this.set(server?.liveStreams() ?? 0);
    },
  });
  new Gauge({
    name: 'fda_http_connections',
    help: 'TCP connections to the HTTP server',
    registers: [registry],
    async collect() {
      this.set(server ? await server.httpConnections() : 0);
    },
  });

  const onJob = ({ change, job }: JobEvent) => {
    if (change !== 'STATUS') return;
    jobs.inc({ status: job.status, origin: job.origin.type });
    if (!isFinal(job.status)) return;
    if (job.startedAt && job.finishedAt)
      jobDuration.observe(
        { status: job.status },
        (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000,
      );
    for (const step of job.steps)
      if (step.startedAt && step.finishedAt)
        stepDuration.observe(
          { component: step.componentName, status: step.status },
          (step.finishedAt.getTime() - step.startedAt.getTime()) / 1000,
        );
    for (const { target, dialect, rows } of rowsWrittenBy(job))
      rowsWritten.inc({ target, dialect }, rows);
  };
  const off = bus.on('job', onJob);
  return {
    registry,
    observeServer(counts) {
      server = counts;
    },
    close() {
      off();
      registry.clear();
    },
  };
}
