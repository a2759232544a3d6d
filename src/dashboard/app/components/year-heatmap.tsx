/**
 * A year as cells, a column per week and a row per weekday, coloured by a status per day: the
 * trading calendar, a schedule's partitions and the daily bars' coverage each give their own.
 */
export interface DayStatus {
  date: string;
  status: string;
  title?: string;
}

export function YearHeatmap({
  year,
  days,
  testId,
}: {
  year: number;
  days: readonly DayStatus[];
  testId?: string;
}) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const first = Date.UTC(year, 0, 1);
  const offset = (new Date(first).getUTCDay() + 6) % 7; // Monday first
  const length = (Date.UTC(year + 1, 0, 1) - first) / 86_400_000;
  const cells = [];
  for (let i = 0; i < offset; i += 1) cells.push(<span key={`pad${i}`} class="cell pad" />);
  for (let i = 0; i < length; i += 1) {
    const date = new Date(first + i * 86_400_000).toISOString().slice(0, 10);
    const day = byDate.get(date);
    const status = day?.status ?? 'none';
    cells.push(
      <span
        key={date}
        class={`cell day-${status.toLowerCase()}`}
        data-date={date}
        data-status={status}
        title={`${date}: ${day?.title ?? status}`}
      />,
    );
  }
  return (
    <div class="heatmap" data-testid={testId}>
      {cells}
    </div>
  );
}
