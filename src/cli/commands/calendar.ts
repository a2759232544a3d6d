import { CliError, EXIT } from '../cli-errors.js';
import type { GraphQLClient } from '../graphql-client.js';
import type { Terminal } from '../terminal.js';
import { yearHeatmap, type DayCell } from '../year-heatmap.js';

/** `fda calendar [--year Y] [--target NAME]`: the stored trading calendar of a year. */
export async function calendarCommand(
  client: GraphQLClient,
  terminal: Terminal,
  options: { year?: string; target?: string },
): Promise<number> {
  const year = options.year === undefined ? new Date().getUTCFullYear() : Number(options.year);
  if (!Number.isInteger(year) || year < 1990 || year > 2100)
    throw new CliError(
      `--year: must be a year from 1990 to 2100, got "${options.year}"`,
      EXIT.invalid,
    );
  const { tradeDays } = await client.request<{ tradeDays: DayCell[] }>(
    `query ($from: Date!, $to: Date!, $target: String) { tradeDays(from: $from, to: $to, target: $target) { date isTradingDay } }`,
    { from: `${year}-01-01`, to: `${year}-12-31`, target: options.target },
  );
  if (terminal.json) terminal.data({ year, days: tradeDays });
  else for (const line of yearHeatmap(terminal, year, tradeDays)) terminal.line(line);
  return EXIT.ok;
}
