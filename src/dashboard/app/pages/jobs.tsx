import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, formatTime, StatusBadge } from '../components/status-badge';
import { useApi } from '../data/hooks';
import { JOB, JOB_EVENTS, JOBS } from '../data/queries';
import type { JobStatus, JobSummary } from '../data/types';
import { jobHref } from '../router';

const STATUSES: JobStatus[] = ['WAITING', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];
const ORIGINS = ['ADHOC', 'SCHEDULE', 'STARTUP', 'RETRY'];
const PAGE = 25;

interface Filters {
  status: JobStatus | '';
  /** A schedule's name (the server filters by it). */
  schedule: string;
  /** An origin type (filtered here: the API filters by name only). */
  origin: string;
  /** Submitted at or after (filtered here). */
  since: string;
}

interface Page {
  nodes: JobSummary[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** Jobs, newest first, filtered and paged, updated live by `jobEvents`. */
export function JobsPage() {
  const api = useApi();
  const [filters, setFilters] = useState<Filters>({
    status: '',
    schedule: '',
    origin: '',
    since: '',
  });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [search, setSearch] = useState('');
  const after = cursors.at(-1) ?? null;
  const first = cursors.length === 1;
  useEffect(() => {
    let live = true;
    api
      .request<{ jobs: Page }>(JOBS, {
        status: filters.status ? [filters.status] : null,
        origin: filters.schedule || null,
        first: PAGE,
        after,
      })
      .then(
        ({ jobs }) => live && (setPage(jobs), setError(null)),
        (e: Error) => live && setError(e),
      );
    return () => {
      live = false;
    };
  }, [api, filters.status, filters.schedule, after]);
  useEffect(
    () =>
      api.subscribe<{ jobEvents: { job: JobSummary } }>(JOB_EVENTS, () => ({}), {
        next: ({ jobEvents: { job } }) =>
          setPage((current) => {
            if (!current) return current;
            const at = current.nodes.findIndex((j) => j.id === job.id);
            if (at >= 0) {
              const nodes = [...current.nodes];
              nodes[at] = job;
              return { ...current, nodes };
            }
            // A new job belongs at the top of the first page, if it passes the server's filters.
            if (!first || (filters.status && job.status !== filters.status)) return current;
            if (filters.schedule && job.origin.name !== filters.schedule) return current;
            return { ...current, nodes: [job, ...current.nodes].slice(0, PAGE) };
          }),
      }),
    [api, first, filters.status, filters.schedule],
  );
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([null]);
  };
  const onSearch = async (event: Event) => {
    event.preventDefault();
    const id = search.trim();
    if (!id) return;
    const { job } = await api.request<{ job: { id: string } | null }>(JOB, { id });
    if (job) location.hash = jobHref(job.id);
    else setError(new Error(`no job with id "${id}"`));
  };
  const since = filters.since ? Date.parse(filters.since) : null;
  const shown = (page?.nodes ?? []).filter(
    (j) =>
      (!filters.origin || j.origin.type === filters.origin) &&
      (since === null || Date.parse(j.submittedAt) >= since),
  );
  return (
    <section>
      <h1>Jobs</h1>
      <form class="filters" onSubmit={(e) => void onSearch(e)}>
        <input
          name="search"
          placeholder="job id"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
        <button type="submit">open</button>
        <select
          name="status"
          value={filters.status}
          onChange={(e) => set({ status: (e.target as HTMLSelectElement).value as JobStatus | '' })}
        >
          <option value="">any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select
          name="origin"
          value={filters.origin}
          onChange={(e) => set({ origin: (e.target as HTMLSelectElement).value })}
        >
          <option value="">any origin</option>
          {ORIGINS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <input
          name="schedule"
          placeholder="schedule"
          value={filters.schedule}
          onChange={(e) => set({ schedule: (e.target as HTMLInputElement).value.trim() })}
        />
        <label>
          since{' '}
          <input
            name="since"
            type="datetime-local"
            value={filters.since}
            onChange={(e) => set({ since: (e.target as HTMLInputElement).value })}
          />
        </label>
      </form>
      <ErrorNote error={error} />
      <table class="jobs" data-testid="jobs">
        <thead>
          <tr>
            <th>id</th>
            <th>status</th>
            <th>origin</th>
            <th>submitted</th>
            <th>finished</th>
            <th>steps</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((job) => (
            <tr key={job.id} data-job={job.id}>
              <td>
                <a href={jobHref(job.id)}>{job.id}</a>
              </td>
              <td>
                <StatusBadge status={job.status} />
              </td>
              <td>{job.origin.name ? `${job.origin.type} ${job.origin.name}` : job.origin.type}</td>
              <td>{formatTime(job.submittedAt)}</td>
              <td>{formatTime(job.finishedAt)}</td>
              <td>
                {job.progress.stepsFinished}/{job.progress.stepsTotal}
              </td>
              <td class="error-cell">{job.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && shown.length === 0 && <p class="muted">no jobs</p>}
      <div class="pager">
        <button disabled={first} onClick={() => setCursors((c) => c.slice(0, -1))}>
          newer
        </button>
        <span>page {cursors.length}</span>
        <button
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() =>
            page?.pageInfo.endCursor && setCursors((c) => [...c, page.pageInfo.endCursor])
          }
        >
          older
        </button>
      </div>
    </section>
  );
}
