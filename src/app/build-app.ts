import type { DestinationStream, Logger } from 'pino';
import { builtinComponents } from '../components/builtin/index.js';
import type { ArgumentCheckEnvironment, ComponentServices } from '../components/component.js';
import { BaoStockEndpoints } from '../sources/baostock/endpoints.js';
import { BaoStockSources } from '../sources/baostock/sources.js';
import { ComponentRegistry } from '../components/registry.js';
import { watchComponents } from '../components/watch-components.js';
import { ClusterNode } from '../cluster/cluster-node.js';
import { listenForClusterControl } from '../cluster/cluster-control.js';
import { EventBus } from '../events/event-bus.js';
import type { AppEvents } from '../events/app-events.js';
import { Executor } from '../jobs/executor.js';
import { createJobIdGenerator } from '../jobs/job-id.js';
import { JobStore } from '../jobs/job-store.js';
import { startRetention } from '../jobs/retention.js';
import { JobLogFiles } from '../logs/job-log-files.js';
import { JobLogSink } from '../logs/job-log-sink.js';
import { JobScopes } from '../logs/job-scope.js';
import { createRootLogger } from '../logs/root-logger.js';
import type { LogFormat } from '../logs/log-format.js';
import {
  createOfflineCalendar,
  loadChineseDaysHolidays,
  LiveOfflineCalendar,
  type OfflineCalendar,
} from '../sources/offline-calendar/index.js';
import { sqlRunnerFor } from '../storage/sql-runner.js';
import { StorageTargets } from '../storage/targets.js';
import { WorkerPool } from '../workers/worker-pool.js';
import type { AppConfig } from './config.js';
import { parseOriginalDocument, type ParsedSpec } from '../pipeline/parse-spec.js';
import { validateJobSpec } from '../pipeline/validate-spec.js';
import { ScheduleStore } from '../schedule/schedule-store.js';
import { Scheduler } from '../schedule/scheduler.js';
import { BackfillRunner } from '../schedule/backfills/backfill-runner.js';
import { BackfillStore } from '../schedule/backfills/backfill-store.js';
import type { StoredTradingDays } from '../schedule/partitions/stored-trading-days.js';
import { TradeDayQueries } from '../storage/trade-day-queries.js';
import { closuresReloaderFor, type ClosuresReloader } from './closures-reload.js';
import { startCoverageCheck } from './coverage-check.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';
import { createAppMetrics, type AppMetrics } from '../metrics/app-metrics.js';
import { fillEmptyCalendar } from './startup-fill.js';

export interface BuildAppOptions {
  /** Where the server's own log goes (stdout by default); tests capture it. */
  logDestination?: DestinationStream;
  /** JSON lines (default) or readable lines (`chooseLogFormat` decides for `npm start`). */
  logFormat?: LogFormat;
  /** The built dashboard served at `/` (dist/dashboard by default). */
  dashboardDir?: string;
}

/** Everything the server is made of, built once and handed to the parts that need it. */
export interface App {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly bus: EventBus<AppEvents>;
  readonly scopes: JobScopes;
  readonly targets: StorageTargets;
  readonly store: JobStore;
  readonly registry: ComponentRegistry;
  readonly executor: Executor;
  readonly calendar: OfflineCalendar;
  /** The exchange closures file behind the calendar, when server.json names one. */
  readonly closuresFile: ClosuresReloader | null;
  readonly scheduler: Scheduler;
  readonly backfills: BackfillRunner;
  /** The stored trading calendar partitions are counted in (the schedules' calendar target). */
  readonly tradingDays: StoredTradingDays;
  /** Prometheus metrics, served at `/metrics`. */
  readonly metrics: AppMetrics;
  /** This process in the cluster (server.json `cluster`), or null when it runs alone. */
  readonly cluster: ClusterNode | null;
  /** Connects storage, loads components, recovers jobs, listens; resolves with the URL. */
  start(): Promise<{ url: string }>;
  /** Graceful stop: jobs get `shutdownGraceSeconds` to finish, then everything is closed. */
  stop(): Promise<void>;
}

export function buildApp(config: AppConfig, options: BuildAppOptions = {}): App {
  const scopes = new JobScopes();
  const logger = createRootLogger(
    {
      level: config.server.log.level,
      echoJobLines: config.server.log.echoJobLines,
      destination: options.logDestination,
      format: options.logFormat,
    },
    scopes,
  );
  const bus = new EventBus<AppEvents>(logger);
  const targets = new StorageTargets(config.storage, logger);
  const store = new JobStore(sqlRunnerFor(targets.control()));
  const registry = new ComponentRegistry(builtinComponents, config.server.componentsDir, logger);
  const calendar = new LiveOfflineCalendar(
    createOfflineCalendar(loadChineseDaysHolidays(), config.exchangeClosures),
  );
  const workers = new WorkerPool({ logger });
  const baostock = new BaoStockEndpoints(config.sources.baostock, config.sources.defaultBaoStock);
  const baostockPools = new BaoStockSources(baostock);
  const schedules = config.server.schedules;
  const calendarQueries = new TradeDayQueries(
    targets.get(schedules.calendarTarget ?? config.storage.control),
  );
  const services: ComponentServices = {
    timeZone: config.server.timeZone,
    now: () => new Date(),
    calendar,
    targets,
    workers,
    baostock,
    baostockPools,
    tradingDays: calendarQueries,
  };
  // Arguments are checked against what the configuration names: an endpoint or target that is
  // not configured is a problem of the spec, found before anything runs.
  const argumentEnvironment: ArgumentCheckEnvironment = {
    baostockEndpoints: baostock.names(),
    targets: targets.names(),
  };
  const validate = (parsed: ParsedSpec) =>
    validateJobSpec(parsed, registry.snapshot(), argumentEnvironment);
  const logFiles = config.server.log.jobLogFiles
    ? new JobLogFiles(config.server.log.jobLogDir)
    : null;
  const executor = new Executor({
    store,
    bus,
    registry,
    scopes,
    logger,
    services,
    validate,
    newId: createJobIdGenerator(),
    newSink: (jobId, startSeq) =>
      new JobLogSink(
        jobId,
        {
          store,
          bus,
          logger,
          batchLines: config.server.log.batchLines,
          batchMs: config.server.log.batchMs,
          files: logFiles,
        },
        startSeq,
      ),
    limits: {
      maxConcurrentJobs: config.server.maxConcurrentJobs,
      maxQueuedJobs: config.server.jobs.maxQueuedJobs,
      defaultTimeoutMs:
        config.server.jobs.timeoutSeconds === null
          ? null
          : config.server.jobs.timeoutSeconds * 1000,
      abortGraceMs: config.server.jobs.abortGraceSeconds * 1000,
      batchesInFlightPerEdge: config.server.jobs.batchesInFlightPerEdge,
      specSize: {
        maxSteps: config.server.limits.maxJobSteps,
        maxArgumentBytes: config.server.limits.maxComponentArgumentBytes,
      },
    },
  });

  // Before anything runs, so the first job is counted.
  const metrics = createAppMetrics(bus, executor);
  const control = targets.control();
  const cluster =
    config.server.cluster && control.dialect === 'mysql'
      ? new ClusterNode({
          config: config.server.cluster,
          control,
          executor,
          jobs: store,
          bus,
          logger,
          abortGraceMs: config.server.jobs.abortGraceSeconds * 1000,
        })
      : null;

  const closuresFile = closuresReloaderFor(config, { calendar, targets, executor, logger });

  const scheduler = new Scheduler({
    dir: config.server.scheduledJobsDir,
    executor,
    bus,
    store: new ScheduleStore(sqlRunnerFor(targets.control())),
    jobs: store,
    tradingDays: calendarQueries,
    logger,
    triggerDeps: {
      defaultTimeZone: config.server.timeZone,
      isTradingDay: (day) => calendarQueries.isTradingDay(day),
      warn: (message) => logger.warn(message),
    },
    checkPipeline: (document) => {
      const validation = validate(parseOriginalDocument(document));
      return validation.ok ? [] : validation.problems;
    },
    defaultMisfireGraceSeconds: schedules.misfireGraceSeconds,
    tickMs: schedules.tickMs,
    watch: schedules.watch,
    sharedPause: cluster !== null,
  });

  const maxConcurrentJobs = config.server.maxConcurrentJobs;
  const backfills = new BackfillRunner({
    store: new BackfillStore(sqlRunnerFor(targets.control())),
    executor,
    definitionOf: (name) => scheduler.get(name).schedule.definition,
    tradingDays: calendarQueries,
    bus,
    logger,
    newId: createJobIdGenerator(),
    // Half the slots by default, so scheduled work still runs while history loads.
    defaultMaxConcurrent: Math.max(1, Math.floor(maxConcurrentJobs / 2)),
    maxConcurrentJobs,
    ...(cluster ? { driver: cluster.me.id } : {}),
  });
  cluster?.afterEachBeat(() => backfills.adoptUndriven());
  // Its backfills are the others' to take over once its row is gone.
  cluster?.whenGone(() => backfills.abandon());

  let http: RunningHttpServer | undefined;
  let retention: ReturnType<typeof startRetention> | undefined;
  let componentWatcher: { close(): void } | undefined;
  let coverageCheck: { stop(): void } | undefined;
  let offClusterControl: (() => void) | undefined;
  const app: App = {
    config,
    logger,
    bus,
    scopes,
    targets,
    store,
    registry,
    executor,
    calendar,
    closuresFile,
    scheduler,
    backfills,
    tradingDays: calendarQueries,
    metrics,
    cluster,

    async start() {
      await targets.connectAll(logger);
      // The job store must work before anything runs: a failure here is fatal, with its reason.
      await targets.control().connect();
      await cluster?.start();
      await registry.reload();
      if (config.server.watchComponents && registry.dir)
        componentWatcher = watchComponents(registry, registry.dir, logger);
      const recovered = await executor.recover();
      if (recovered.interrupted > 0 || recovered.requeued > 0)
        logger.warn(recovered, 'jobs recovered from the previous run');
      const jobs = config.server.jobs;
      retention = startRetention(store, logger, {
        retentionDays: jobs.retentionDays,
        maxJobs: jobs.retentionMaxJobs,
        intervalMs: jobs.pruneIntervalMinutes * 60_000,
      });
      coverageCheck = startCoverageCheck(calendar, config.server.timeZone, logger);
      // Before the start-up fill, which fills empty targets whole: the refill leaves them to it.
      await closuresFile?.start();
      if (config.server.fillEmptyCalendarOnStart)
        await fillEmptyCalendar({ targets, executor, logger });
      await scheduler.start();
      if (cluster)
        offClusterControl = listenForClusterControl({ bus, registry, scheduler, logger });
      await backfills.start();
      http = await startHttpServer(
        app,
        options.dashboardDir !== undefined ? { dashboardDir: options.dashboardDir } : {},
      );
      const url = http.url;
      logger.info({ url }, 'server listening');
      return { url };
    },

    async stop() {
      logger.info('shutting down');
      offClusterControl?.();
      await scheduler.stop();
      componentWatcher?.close();
      await closuresFile?.stop();
      coverageCheck?.stop();
      retention?.stop();
      await backfills.stop();
      await cluster?.stopClaiming();
      await executor.shutdown(config.server.shutdownGraceSeconds * 1000);
      await cluster?.stop();
      await http?.close();
      await baostockPools.close();
      await workers.close();
      await targets.close();
      metrics.close();
      logger.info('stopped');
      logger.flush();
    },
  };
  return app;
}
