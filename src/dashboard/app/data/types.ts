/** The shapes the dashboard asks for (see queries.ts). */
export type JobStatus = 'WAITING' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED';

export interface JobSummary {
  id: string;
  status: JobStatus;
  origin: { type: string; name: string | null };
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  progress: { stepsFinished: number; stepsTotal: number };
}

export interface StepView {
  name: string;
  componentName: string;
  kind: string;
  status: string;
  rowsIn: number | null;
  rowsOut: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  result: unknown;
  progress: { label: string | null; done: number; total: number }[];
}

export interface JobDetail extends JobSummary {
  retryOf: string | null;
  logCount: number;
  timeoutSeconds: number | null;
  spec: { document: unknown };
  steps: StepView[];
}

export interface LogLine {
  seq: number;
  time: string;
  level: string;
  step: string | null;
  message: string;
}

export interface ScheduleView {
  name: string;
  file: string;
  enabled: boolean;
  paused: boolean;
  error: string | null;
  trigger: { type: string; definition: unknown; timeZone: string; description: string } | null;
  nextRunTimes: string[];
  lastJob: { id: string; status: JobStatus; submittedAt: string } | null;
  runningJobIds: string[];
  /** Set for a partitioned schedule. */
  partitions: { lag: number } | null;
}

export interface PartitionView {
  partition: string;
  status: 'MISSING' | 'WAITING' | 'RUNNING' | 'FINISHED' | 'FAILED';
  rowsWritten: number | null;
  job: { id: string } | null;
}

export interface BackfillProgressView {
  total: number;
  done: number;
  failed: number;
  running: number;
  waiting: number;
  backfill: { id: string; status: string; error: string | null };
}

export interface StorageTargetView {
  name: string;
  dialect: string;
  reachable: boolean;
  isControl: boolean;
  location: string;
  error: string | null;
  checkedAt: string;
  tables: { table: string; rows: number; rowsExact: boolean; totalBytes: number }[];
}

export interface TradeDay {
  date: string;
  isTradingDay: boolean;
}

export interface BarCoverageView {
  day: string;
  target: string;
  expected: number;
  stored: number;
}
