import { useState } from 'preact/hooks';
import {
  barCoverageStatus,
  barCoverageTitle,
  type BarCoverageStatus,
} from '../../shared/bar-coverage-status';
import { HeatmapLegend } from './heatmap-legend';
import { ErrorNote } from './status-badge';
import { YearHeatmap } from './year-heatmap';
import { useQuery } from '../data/hooks';
import { BAR_COVERAGE } from '../data/queries';
import type { BarCoverageView, StorageTargetView } from '../data/types';

/** BaoStock's daily bars start in 1990; the selector offers every year since. */
const FIRST_YEAR = 1990;

const LEGEND: ReadonlyArray<[BarCoverageStatus | 'none', string]> = [
  ['COMPLETE', 'every listed stock has its bar'],
  ['PARTIAL', 'some bars missing'],
  ['MISSING', 'no bars'],
  ['none', 'not a trading day (or not in the stored calendar)'],
];

/**
 * One target's daily bars per trading day of a year, from `barCoverage`: a cell per trading day,
 * coloured by bars stored against stocks listed that day. One target at a time, so a target that
 * is down only empties its own map.
 */
export function BarCoverage({ targets }: { targets: readonly StorageTargetView[] }) {
  const [year, setYear] = useState(new Date().getFullYear());
  const [chosen, setChosen] = useState<string | null>(null);
  const target = chosen ?? targets.find((t) => t.isControl)?.name ?? targets[0]?.name ?? null;
  const { data, error, loading } = useQuery<{ barCoverage: BarCoverageView[] }>(BAR_COVERAGE, {
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    target,
  });
  const list = target === null ? [] : (data?.barCoverage ?? []);
  const days = list.map((d) => ({
    date: d.day,
    status: barCoverageStatus(d),
    title: barCoverageTitle(d),
  }));
  const count = (status: BarCoverageStatus) => days.filter((d) => d.status === status).length;
  const barRows = targets
    .find((t) => t.name === target)
    ?.tables.find((t) => t.table === 'daily_bar');
  const years = Array.from(
    { length: new Date().getFullYear() - FIRST_YEAR + 1 },
    (_, i) => new Date().getFullYear() - i,
  );
  return (
    <div class="coverage" data-testid="bar-coverage">
      <div class="coverage-head">
        <label>
          target{' '}
          <select
            name="bar-target"
            value={target ?? ''}
            onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}
          >
            {targets.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          year{' '}
          <select
            name="bar-year"
            value={String(year)}
            onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}
          >
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      <YearHeatmap year={year} days={days} testId="bar-coverage-map" />
      <HeatmapLegend items={LEGEND} />
      <p class="muted" data-testid="bar-coverage-summary">
        {loading && data === null
          ? 'loading…'
          : barRows && barRows.rowsExact && barRows.rows === 0
            ? `No daily-bar data on ${target} yet: the daily_bar table is empty. Run the daily-bars schedule or a backfill of it to load bars.`
            : days.length === 0
              ? `No trading days of ${year} in the stored calendar: nothing to compare against.`
              : count('MISSING') === days.length
                ? `No daily bars stored on ${target} for ${year} (${days.length} trading days).`
                : `${year} on ${target}: ${count('COMPLETE')} complete, ${count('PARTIAL')} partial, ${count('MISSING')} missing of ${days.length} trading days.`}
      </p>
    </div>
  );
}
