import type { JobDetail } from '../data/types';
import { formatDuration, StatusBadge } from './status-badge';

/**
 * The steps as a timeline: one row per step, a bar from its start to its end (or now, while it
 * runs), on the job's own time axis; rows in and out beside it.
 */
export function Gantt({ job, now }: { job: JobDetail; now: number }) {
  const starts = job.steps.map((s) => (s.startedAt ? Date.parse(s.startedAt) : null));
  const begin = job.startedAt
    ? Date.parse(job.startedAt)
    : Math.min(...starts.filter((s): s is number => s !== null), now);
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const span = Math.max(1, end - begin);
  return (
    <table class="gantt" data-testid="timeline">
      <thead>
        <tr>
          <th>step</th>
          <th>status</th>
          <th class="gantt-axis">0 – {formatDuration(span)}</th>
          <th>rows in</th>
          <th>rows out</th>
        </tr>
      </thead>
      <tbody>
        {job.steps.map((step) => {
          const from = step.startedAt ? Date.parse(step.startedAt) : null;
          const to = step.finishedAt ? Date.parse(step.finishedAt) : from !== null ? now : null;
          const left = from === null ? 0 : ((from - begin) / span) * 100;
          const width =
            from === null || to === null ? 0 : Math.max(0.5, ((to - from) / span) * 100);
          return (
            <tr key={step.name} data-step={step.name}>
              <td>
                {step.name} <small>{step.componentName}</small>
              </td>
              <td>
                <StatusBadge status={step.status} />
              </td>
              <td class="gantt-track">
                {from !== null && (
                  <div
                    class={`gantt-bar status-${step.status.toLowerCase()}`}
                    style={{ left: `${left}%`, width: `${width}%` }}
                    title={to !== null ? formatDuration(to - from) : ''}
                  />
                )}
              </td>
              <td>{step.rowsIn ?? '–'}</td>
              <td>{step.rowsOut ?? '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
