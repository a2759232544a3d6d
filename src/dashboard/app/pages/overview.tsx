import { useEffect, useState } from 'preact/hooks';
import { ThroughputChart } from '../components/throughput-chart';
import { ErrorNote, formatTime } from '../components/status-badge';
import { useApi, useQuery } from '../data/hooks';
import { loadJobStats, type JobStats } from '../data/job-stats';
import { JOB_EVENTS, SCHEDULES, STORAGE_TARGETS } from '../data/queries';
import type { ScheduleView, StorageTargetView } from '../data/types';

export function OverviewPage() {
  const api = useApi();
  const [stats, setStats] = useState<JobStats | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    loadJobStats(api, new Date()).then(
      (s) => live && setStats(s),
      (e: Error) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, tick]);
  // Any status change refreshes the counters (at most every second).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    return api.subscribe<{ jobEvents: { change: string } }>(JOB_EVENTS, () => ({}), {
      next: ({ jobEvents }) => {
        if (jobEvents.change !== 'STATUS' || timer) return;
        timer = setTimeout(() => {
          timer = null;
          setTick((t) => t + 1);
        }, 1000);
      },
    });
  }, [api]);
  const schedules = useQuery<{ schedules: ScheduleView[] }>(SCHEDULES, {});
  const targets = useQuery<{ storageTargets: StorageTargetView[] }>(STORAGE_TARGETS, {});
  const firings = (schedules.data?.schedules ?? [])
    .flatMap((s) => s.nextRunTimes.map((at) => ({ at, name: s.name })))
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, 8);
  return (
    <section>
      <h1>Overview</h1>
      <ErrorNote error={error} />
      <div class="counters" data-testid="counters">
        <Counter label="waiting" value={stats?.waiting} />
        <Counter label="running" value={stats?.running} />
        <Counter label="finished today" value={stats?.finishedToday} />
        <Counter label="failed today" value={stats?.failedToday} />
      </div>
      <h2>Throughput, last 24 hours</h2>
      {stats?.truncated && <p class="muted">Drawn from the newest 1,000 jobs.</p>}
      {stats && (
        <ThroughputChart
          hours={stats.hours}
          finished={stats.finishedPerHour}
          failed={stats.failedPerHour}
        />
      )}
      <div class="columns">
        <div>
          <h2>Next firings</h2>
          <ErrorNote error={schedules.error} />
          <table data-testid="next-firings">
            <tbody>
              {firings.map((f) => (
                <tr key={`${f.name}${f.at}`}>
                  <td>{formatTime(f.at)}</td>
                  <td>{f.name}</td>
                </tr>
              ))}
              {firings.length === 0 && (
                <tr>
                  <td class="muted">no firings scheduled</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div>
          <h2>Storage targets</h2>
          <ErrorNote error={targets.error} />
          <table data-testid="target-health">
            <tbody>
              {(targets.data?.storageTargets ?? []).map((t) => (
                <tr key={t.name}>
                  <td>{t.name}</td>
                  <td>{t.dialect}</td>
                  <td>
                    <span class={`badge ${t.reachable ? 'status-finished' : 'status-failed'}`}>
                      {t.reachable ? 'up' : 'down'}
                    </span>
                  </td>
                  <td class="muted">{t.error ?? t.location}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

function Counter({ label, value }: { label: string; value: number | undefined }) {
  return (
    <div class="counter" data-counter={label}>
      <strong>{value ?? '…'}</strong>
      <span>{label}</span>
    </div>
  );
}
