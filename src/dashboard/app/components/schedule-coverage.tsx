import { useEffect, useState } from 'preact/hooks';
import { ErrorNote } from './status-badge';
import { YearHeatmap } from './year-heatmap';
import { useApi, useQuery } from '../data/hooks';
import { BACKFILL_PROGRESS, PARTITIONS, START_BACKFILL } from '../data/queries';
import type { BackfillProgressView, PartitionView, ScheduleView } from '../data/types';

/**
 * A partitioned schedule's trading days as a year heat map, coloured by `partitions`. Two clicks
 * on cells select a range; "Backfill" starts a backfill of it and follows `backfillProgress` in a
 * progress bar, then draws the map again.
 */
export function ScheduleCoverage({ schedule }: { schedule: ScheduleView }) {
  const api = useApi();
  const [year, setYear] = useState(new Date().getFullYear());
  const { data, error, reload } = useQuery<{ partitions: PartitionView[] }>(PARTITIONS, {
    schedule: schedule.name,
    from: `${year}-01-01`,
    to: `${year}-12-31`,
  });
  const [range, setRange] = useState<{ from: string; to: string | null } | null>(null);
  const [progress, setProgress] = useState<BackfillProgressView | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const [following, setFollowing] = useState<string | null>(null);

  useEffect(() => {
    if (following === null) return;
    return api.subscribe<{ backfillProgress: BackfillProgressView }>(
      BACKFILL_PROGRESS,
      () => ({ id: following }),
      {
        next: (d) => {
          setProgress(d.backfillProgress);
          reload();
        },
        complete: () => {
          setFollowing(null);
          reload();
        },
        error: (e) => setActionError(e),
      },
    );
  }, [following]);

  const pick = (event: MouseEvent) => {
    const date = (event.target as HTMLElement).dataset.date;
    if (!date) return;
    if (range === null || range.to !== null) setRange({ from: date, to: null });
    else
      setRange(date < range.from ? { from: date, to: range.from } : { from: range.from, to: date });
  };
  const start = async () => {
    if (!range?.to) return;
    setActionError(null);
    try {
      const answer = (
        await api.request<{ backfill: { __typename: string; id?: string; message?: string } }>(
          START_BACKFILL,
          { schedule: schedule.name, from: range.from, to: range.to },
        )
      ).backfill;
      if (answer.message || !answer.id) throw new Error(answer.message ?? answer.__typename);
      setProgress(null);
      setFollowing(answer.id);
    } catch (e) {
      setActionError(e as Error);
    }
  };
  const days = (data?.partitions ?? []).map((p) => ({
    date: p.partition,
    status: p.status,
    title: `${p.status}${p.rowsWritten !== null ? `, ${p.rowsWritten} rows` : ''}`,
  }));
  return (
    <div class="coverage" data-testid={`coverage-${schedule.name}`}>
      <div class="coverage-head">
        <button name="previous-year" onClick={() => setYear(year - 1)}>
          ‹
        </button>
        <span data-testid="coverage-year">{year}</span>
        <button name="next-year" onClick={() => setYear(year + 1)}>
          ›
        </button>
        <span class="muted" data-testid="coverage-range">
          {range === null
            ? 'click two days to select a range'
            : range.to === null
              ? `from ${range.from}: click the last day`
              : `${range.from} to ${range.to}`}
        </span>
        <button
          name="backfill"
          disabled={!range?.to || following !== null}
          onClick={() => void start()}
        >
          Backfill
        </button>
      </div>
      <ErrorNote error={error ?? actionError} />
      <div onClick={pick}>
        <YearHeatmap year={year} days={days} testId="coverage-map" />
      </div>
      {progress && (
        <p data-testid="backfill-progress" data-status={progress.backfill.status}>
          <progress max={progress.total} value={progress.done + progress.failed} />{' '}
          {progress.backfill.status}: {progress.done} of {progress.total} done, {progress.failed}{' '}
          failed, {progress.running} running
        </p>
      )}
    </div>
  );
}
