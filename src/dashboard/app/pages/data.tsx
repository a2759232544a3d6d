import { useState } from 'preact/hooks';
import { BarCoverage } from '../components/bar-coverage';
import { ErrorNote } from '../components/status-badge';
import { YearHeatmap } from '../components/year-heatmap';
import { useQuery } from '../data/hooks';
import { STORAGE_TARGETS, TRADE_DAYS } from '../data/queries';
import type { StorageTargetView, TradeDay } from '../data/types';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * The trading calendar as a year heat map, the daily bars' coverage per trading day (when the
 * server has `barCoverage`), and the storage targets with their table sizes.
 */
export function DataPage({ has }: { has: (field: string) => boolean }) {
  const [year, setYear] = useState(new Date().getFullYear());
  const days = useQuery<{ tradeDays: TradeDay[] }>(TRADE_DAYS, {
    from: `${year}-01-01`,
    to: `${year}-12-31`,
  });
  const targets = useQuery<{ storageTargets: StorageTargetView[] }>(STORAGE_TARGETS, {});
  const list = days.data?.tradeDays ?? [];
  const trading = list.filter((d) => d.isTradingDay).length;
  return (
    <section>
      <h1>Data</h1>
      <h2>
        Trading calendar{' '}
        <button name="previous-year" onClick={() => setYear(year - 1)}>
          ‹
        </button>{' '}
        <span data-testid="calendar-year">{year}</span>{' '}
        <button name="next-year" onClick={() => setYear(year + 1)}>
          ›
        </button>
      </h2>
      <ErrorNote error={days.error} />
      <YearHeatmap
        year={year}
        testId="calendar"
        days={list.map((d) => ({ date: d.date, status: d.isTradingDay ? 'TRADING' : 'CLOSED' }))}
      />
      <p class="muted" data-testid="calendar-summary">
        {trading} trading days, {list.length - trading} closed,{' '}
        {list.length === 0 ? 'nothing stored' : `${list.length} days stored`}
      </p>
      {has('barCoverage') && (
        <>
          <h2>Daily-bar coverage</h2>
          {targets.data && <BarCoverage targets={targets.data.storageTargets} />}
        </>
      )}
      <h2>Storage targets</h2>
      <ErrorNote error={targets.error} />
      {(targets.data?.storageTargets ?? []).map((t) => (
        <article key={t.name} data-target={t.name}>
          <h3>
            {t.name} <small>{t.dialect}</small>{' '}
            <span class={`badge ${t.reachable ? 'status-finished' : 'status-failed'}`}>
              {t.reachable ? 'up' : 'down'}
            </span>
            {t.isControl && <span class="badge">control</span>}
          </h3>
          <p class="muted">{t.error ?? t.location}</p>
          <table>
            <thead>
              <tr>
                <th>table</th>
                <th>rows</th>
                <th>size</th>
              </tr>
            </thead>
            <tbody>
              {t.tables.map((table) => (
                <tr key={table.table}>
                  <td>{table.table}</td>
                  <td>
                    {table.rowsExact ? '' : '≈'}
                    {table.rows}
                  </td>
                  <td>{bytes(table.totalBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
    </section>
  );
}
