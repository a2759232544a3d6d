/**
 * TEST DATA, NOT THE REAL NOTICE. The 2027 closures below were invented for the tests, shaped like
 * an SSE closure notice (New Year, Spring Festival, Qingming, May Day, Dragon Boat, Mid-Autumn,
 * National Day, weekdays only). The exchange had not published its 2027 notice when they were
 * written; do not copy them into a real closures file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TEST_NOTICE_2027 = 'TEST DATA: invented for the tests, not the exchange’s 2027 notice';

export const TEST_CLOSURES_2027 = [
  '2027-01-01',
  '2027-02-05',
  '2027-02-08',
  '2027-02-09',
  '2027-02-10',
  '2027-02-11',
  '2027-02-12',
  '2027-04-05',
  '2027-05-03',
  '2027-05-04',
  '2027-05-05',
  '2027-06-09',
  '2027-09-15',
  '2027-10-01',
  '2027-10-04',
  '2027-10-05',
  '2027-10-06',
  '2027-10-07',
] as const;

/** A closures file (as JSON) declaring the invented 2027 complete; `extra` adds or replaces years. */
export function closuresFile2027(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    years: {
      '2027': {
        complete: true,
        notice: TEST_NOTICE_2027,
        closures: TEST_CLOSURES_2027.map((date) => ({ date, note: 'invented closure' })),
      },
      ...extra,
    },
  };
}

export function writeClosuresFile(dir: string, content: unknown, name = 'exchange-closures.json') {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Every day of 2027 as the invented notice has it: weekdays open except the listed closures. */
export function testCalendar2027(): Array<readonly [date: string, flag: string]> {
  const closed = new Set<string>(TEST_CLOSURES_2027);
  const rows: Array<readonly [string, string]> = [];
  for (let t = Date.UTC(2027, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = new Date(t).getUTCDay();
    rows.push([date, weekday >= 1 && weekday <= 5 && !closed.has(date) ? '1' : '0']);
  }
  return rows;
}
