import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Gantt } from '../components/gantt';
import { ErrorNote, formatTime, StatusBadge } from '../components/status-badge';
import { useApi, useQuery } from '../data/hooks';
import { useLiveLogs } from '../data/live-logs';
import { CANCEL_JOB, JOB, JOB_STATUS, RETRY_JOB } from '../data/queries';
import type { JobDetail, LogLine, StepView } from '../data/types';
import { jobHref } from '../router';

type LevelFilter = 'ALL' | 'WARN' | 'ERROR';
const RANK: Record<string, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };

function passes(line: LogLine, filter: LevelFilter): boolean {
  if (filter === 'ALL') return true;
  return (RANK[line.level] ?? 0) >= RANK[filter]!;
}

export function JobPage({ id }: { id: string }) {
  const api = useApi();
  const initial = useQuery<{ job: JobDetail | null }>(JOB, { id });
  const [job, setJob] = useState<JobDetail | null>(null);
  const [now, setNow] = useState(Date.now());
  const [actionError, setActionError] = useState<Error | null>(null);
  useEffect(() => setJob(initial.data?.job ?? null), [initial.data]);
  useEffect(
    () =>
      api.subscribe<{ jobStatus: { job: JobDetail } }>(JOB_STATUS, () => ({ id }), {
        next: ({ jobStatus }) => setJob(jobStatus.job),
      }),
    [api, id],
  );
  const running = job?.status === 'RUNNING' || job?.status === 'WAITING';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  const act = async (mutation: string, field: 'cancelJob' | 'retryJob') => {
    setActionError(null);
    try {
      const data = await api.request<
        Record<string, { __typename: string; id?: string; message?: string }>
      >(mutation, { id });
      const answer = data[field]!;
      if (answer.__typename !== 'Job') throw new Error(answer.message ?? answer.__typename);
      if (field === 'retryJob' && answer.id) location.hash = jobHref(answer.id);
    } catch (error) {
      setActionError(error as Error);
    }
  };
  if (initial.error) return <ErrorNote error={initial.error} />;
  if (!job) return <p class="muted">{initial.loading ? 'loading…' : `no job with id "${id}"`}</p>;
  return (
    <section>
      <h1>
        Job <code>{job.id}</code> <StatusBadge status={job.status} />
      </h1>
      <p class="muted">
        {job.origin.name ? `${job.origin.type} ${job.origin.name}` : job.origin.type} · submitted{' '}
        {formatTime(job.submittedAt)} · started {formatTime(job.startedAt)} · finished{' '}
        {formatTime(job.finishedAt)}
        {job.retryOf && (
          <>
            {' '}
            · retry of <a href={jobHref(job.retryOf)}>{job.retryOf}</a>
          </>
        )}
      </p>
      <div class="actions">
        <button name="cancel" disabled={!running} onClick={() => void act(CANCEL_JOB, 'cancelJob')}>
          Cancel
        </button>
        <button name="retry" disabled={running} onClick={() => void act(RETRY_JOB, 'retryJob')}>
          Retry
        </button>
      </div>
      <ErrorNote error={actionError} />
      {job.error && (
        <pre class="job-error" data-testid="job-error">
          {job.error}
        </pre>
      )}
      <h2>Timeline</h2>
      <Gantt job={job} now={now} />
      <WriteResults steps={job.steps} />
      <h2>Logs</h2>
      <Logs id={id} />
      <details>
        <summary>Spec</summary>
        <pre data-testid="spec">{JSON.stringify(job.spec.document, null, 2)}</pre>
      </details>
    </section>
  );
}

interface TargetResult {
  target: string;
  dialect?: string;
  ok?: boolean;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  statements?: number;
  durationMs?: number;
  error?: string | null;
}

function targetResults(result: unknown): TargetResult[] {
  if (
    !result ||
    typeof result !== 'object' ||
    !('targets' in result) ||
    !Array.isArray(result.targets)
  )
    return [];
  return (result.targets as unknown[]).filter(
    (t): t is TargetResult =>
      !!t && typeof t === 'object' && typeof (t as TargetResult).target === 'string',
  );
}

/** Per-target write results of the storagers (inserted, updated, unchanged, errors). */
function WriteResults({ steps }: { steps: StepView[] }) {
  const rows = steps.flatMap((s) => targetResults(s.result).map((r) => ({ step: s.name, ...r })));
  const progress = steps.flatMap((s) =>
    s.progress.filter((p) => p.label).map((p) => ({ step: s.name, ...p })),
  );
  if (rows.length === 0 && progress.length === 0) return null;
  return (
    <>
      <h2>Targets</h2>
      <table data-testid="write-results">
        <thead>
          <tr>
            <th>step</th>
            <th>target</th>
            <th>progress</th>
            <th>inserted</th>
            <th>updated</th>
            <th>unchanged</th>
            <th>statements</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {progress.map((p) => {
            const r = rows.find((row) => row.step === p.step && row.target === p.label);
            return (
              <tr key={`${p.step}${p.label}`}>
                <td>{p.step}</td>
                <td>{p.label}</td>
                <td>
                  <progress value={p.done} max={Math.max(1, p.total)} /> {p.done}/{p.total}
                </td>
                <td>{r?.inserted ?? '–'}</td>
                <td>{r?.updated ?? '–'}</td>
                <td>{r?.unchanged ?? '–'}</td>
                <td>{r?.statements ?? '–'}</td>
                <td class="error-cell">{r?.error ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** Live logs: a level filter (errors only), follow (keep the newest in view) or pause. */
function Logs({ id }: { id: string }) {
  const api = useApi();
  const { lines, ended } = useLiveLogs(api, id);
  const [filter, setFilter] = useState<LevelFilter>('ALL');
  const [follow, setFollow] = useState(true);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const visible = (pausedAt === null ? lines : lines.slice(0, pausedAt)).filter((l) =>
    passes(l, filter),
  );
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [visible.length, follow]);
  return (
    <div class="logs">
      <div class="log-tools">
        <label>
          level{' '}
          <select
            name="level"
            value={filter}
            onChange={(e) => setFilter((e.target as HTMLSelectElement).value as LevelFilter)}
          >
            <option value="ALL">all</option>
            <option value="WARN">warnings and errors</option>
            <option value="ERROR">errors only</option>
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            name="follow"
            checked={follow}
            onChange={(e) => setFollow((e.target as HTMLInputElement).checked)}
          />{' '}
          follow
        </label>
        <button name="pause" onClick={() => setPausedAt(pausedAt === null ? lines.length : null)}>
          {pausedAt === null ? 'Pause' : `Resume (${lines.length - pausedAt} new)`}
        </button>
        <span class="muted" data-testid="log-count">
          {lines.length} lines{ended ? ', ended' : ', live'}
        </span>
      </div>
      <div class="log-lines" ref={box} data-testid="log-lines">
        {visible.map((line) => (
          <div
            key={line.seq}
            class={`log-line level-${line.level.toLowerCase()}`}
            data-seq={line.seq}
            data-level={line.level}
          >
            <span class="seq">{line.seq}</span>
            <span class="time">{line.time.slice(11, 23)}</span>
            <span class="level">{line.level}</span>
            {line.step && <span class="step">{line.step}</span>}
            <span class="message">{line.message}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
