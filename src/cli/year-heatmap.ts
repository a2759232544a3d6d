import type { Terminal } from './terminal.js';

export interface DayCell {
  date: string;
  isTradingDay: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A year of the trading calendar as text: a row per month, a column per day of the month.
 * `#` a trading day, `.` a closed day, ` ` not stored, so it reads without colour too.
 */
export function yearHeatmap(terminal: Terminal, year: number, days: readonly DayCell[]): string[] {
  const byDate = new Map(days.map((d) => [d.date, d.isTradingDay]));
  const header = `     ${Array.from({ length: 31 }, (_, i) => ((i + 1) % 10 === 0 ? String((i + 1) / 10) : ' ')).join('')}`;
  const lines = [`${year}`, header];
  let trading = 0;
  let closed = 0;
  for (let month = 1; month <= 12; month += 1) {
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    let row = '';
    for (let day = 1; day <= length; day += 1) {
      const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const open = byDate.get(date);
      if (open === true) trading += 1;
      if (open === false) closed += 1;
      row +=
        open === undefined
          ? ' '
          : open
            ? terminal.paint('green', '#')
            : terminal.paint('gray', '.');
    }
    lines.push(`${MONTHS[month - 1]}  ${row}`);
  }
  lines.push(
    `${trading} trading days, ${closed} closed, ${365 + (isLeap(year) ? 1 : 0) - trading - closed} not stored  (# trading, . closed)`,
  );
  return lines;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
