import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { App } from '../../src/app/build-app.js';
import type { Job } from '../../src/jobs/job.js';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';

export const inShanghai = (date: Date) => DateTime.fromJSDate(date).setZone('Asia/Shanghai');

export const pipeline = (args: Record<string, unknown> = {}) => ({
  producer_0: {
    component_class_name: 'TestRowsProducer',
    pre_component_name: '',
    component_arguments: args,
  },
});

/** A cron trigger firing once, `ms` from now (Shanghai time). */
export function cronSoon(ms: number): { type: string; arguments: Record<string, number> } {
  const soon = inShanghai(new Date(Date.now() + ms));
  return {
    type: 'cron',
    arguments: { hour: soon.hour, minute: soon.minute, second: soon.second },
  };
}

/** A trigger that will not fire while a test runs. */
export const NEVER = { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } };

export function scheduleFolder(): {
  dir: string;
  schedules: string;
  write(name: string, content: unknown): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'fda-partitions-'));
  const schedules = join(dir, 'scheduled-jobs');
  mkdirSync(schedules);
  return {
    dir,
    schedules,
    write: (name, content) =>
      writeFileSync(join(schedules, `${name}.json`), JSON.stringify(content)),
  };
}

/** Writes the stored calendar of the app's control target: each day with its trading flag. */
export async function plantCalendar(
  app: App,
  days: ReadonlyArray<{ day: string; trading: boolean }>,
): Promise<void> {
  const results = await upsertRows(
    [app.targets.control()],
    tradeDayTable,
    days.map((d) => ({ calendarDate: d.day, isTradingDay: d.trading, source: 'test' })),
  );
  if (!results.every((r) => r.ok)) throw new Error(JSON.stringify(results));
}

/** Days from `back` calendar days before today (Shanghai) to today, as ISO dates. */
export function recentDays(back: number): string[] {
  const today = inShanghai(new Date()).startOf('day');
  return Array.from({ length: back + 1 }, (_, i) => today.minus({ days: back - i }).toISODate()!);
}

/** Jobs of a schedule (any origin that counts toward its partitions), oldest first. */
export async function jobsOf(app: App, name: string): Promise<Job[]> {
  return (await app.executor.list({ originName: name, limit: 1000 })).reverse();
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
