import { useState } from 'preact/hooks';
import { triggerInWords } from '../../shared/trigger-in-words';
import { ScheduleCoverage } from '../components/schedule-coverage';
import { ErrorNote, formatTime, StatusBadge } from '../components/status-badge';
import { useApi, useQuery } from '../data/hooks';
import { PAUSE_SCHEDULE, RESUME_SCHEDULE, RUN_SCHEDULE, SCHEDULES } from '../data/queries';
import type { ScheduleView } from '../data/types';
import { jobHref } from '../router';

/**
 * Each schedule: its trigger in words, next 5 firings, last job, pause / resume / run now.
 * A partitioned schedule also shows its coverage heat map and a backfill form (ScheduleCoverage).
 */
export function SchedulesPage({ has }: { has: (field: string) => boolean }) {
  const api = useApi();
  const { data, error, reload } = useQuery<{ schedules: ScheduleView[] }>(SCHEDULES, {});
  const [actionError, setActionError] = useState<Error | null>(null);
  const act = async (mutation: string, field: string, name: string) => {
    setActionError(null);
    try {
      const answer = (
        await api.request<Record<string, { __typename: string; id?: string; message?: string }>>(
          mutation,
          { name },
        )
      )[field]!;
      if (answer.message) throw new Error(answer.message);
      if (answer.__typename === 'Job' && answer.id) location.hash = jobHref(answer.id);
      else reload();
    } catch (e) {
      setActionError(e as Error);
    }
  };
  return (
    <section>
      <h1>Schedules</h1>
      <ErrorNote error={error ?? actionError} />
      {(data?.schedules ?? []).map((s) => (
        <article key={s.name} class="schedule" data-schedule={s.name}>
          <h2>
            {s.name} {s.paused && <span class="badge status-cancelled">PAUSED</span>}
            {!s.enabled && !s.error && <span class="badge">DISABLED</span>}
          </h2>
          {s.error ? (
            <p class="error-note">{s.error}</p>
          ) : (
            <p data-testid="trigger-words">
              {s.trigger ? triggerInWords(s.trigger.definition, s.trigger.timeZone) : ''}
            </p>
          )}
          <div class="columns">
            <div>
              <h3>Next firings</h3>
              <ol>
                {s.nextRunTimes.map((t) => (
                  <li key={t}>{formatTime(t)}</li>
                ))}
                {s.nextRunTimes.length === 0 && <li class="muted">none</li>}
              </ol>
            </div>
            <div>
              <h3>Last job</h3>
              {s.lastJob ? (
                <p>
                  <a href={jobHref(s.lastJob.id)}>{s.lastJob.id}</a>{' '}
                  <StatusBadge status={s.lastJob.status} /> {formatTime(s.lastJob.submittedAt)}
                </p>
              ) : (
                <p class="muted">never ran</p>
              )}
            </div>
          </div>
          <div class="actions">
            {s.paused ? (
              <button
                name="resume"
                onClick={() => void act(RESUME_SCHEDULE, 'resumeSchedule', s.name)}
              >
                Resume
              </button>
            ) : (
              <button
                name="pause"
                onClick={() => void act(PAUSE_SCHEDULE, 'pauseSchedule', s.name)}
              >
                Pause
              </button>
            )}
            <button
              name="run"
              disabled={!!s.error}
              onClick={() => void act(RUN_SCHEDULE, 'runSchedule', s.name)}
            >
              Run now
            </button>
          </div>
          {has('partitions') && s.partitions && <ScheduleCoverage schedule={s} />}
        </article>
      ))}
      {data && data.schedules.length === 0 && <p class="muted">no schedules</p>}
    </section>
  );
}
