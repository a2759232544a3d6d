import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { startCoverageCheck } from '../../src/app/coverage-check.js';
import {
  createOfflineCalendar,
  exchangeClosuresSchema,
  LiveOfflineCalendar,
  loadChineseDaysHolidays,
} from '../../src/sources/offline-calendar/index.js';
import { until } from '../graphql/support.js';

const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe('the offline calendar coverage check', () => {
  it('warns once a day while the offline calendar does not cover next year', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    );
    // A calendar whose data ended last year: today is past its coverage, whatever today is.
    const lastYear = new Date().getUTCFullYear() - 1;
    const calendar = createOfflineCalendar({ dates: new Set(), firstYear: 2004, lastYear });
    const check = startCoverageCheck(calendar, 'Asia/Shanghai', logger, 20);
    await new Promise((r) => setTimeout(r, 150));
    check.stop();
    const warnings = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40);
    assert.equal(warnings.length, 1, 'checked several times, warned once');
    assert.match(
      warnings[0]!.msg,
      new RegExp(`covers 2004-01-01 to ${lastYear}-12-31, which ended before today`),
    );
  });
});

describe('the coverage check on the live calendar', () => {
  it('stops warning once a reload puts a calendar covering next year in use', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    );
    const holidays = loadChineseDaysHolidays();
    const live = new LiveOfflineCalendar(createOfflineCalendar(holidays));
    // A day in December of the package's last year, then the next day.
    let today = new Date(`${holidays.lastYear}-12-02T04:00:00Z`);
    const check = startCoverageCheck(live, 'Asia/Shanghai', logger, 20, () => today);
    const warnings = () =>
      lines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level === 40);
    try {
      await until(() => warnings().length === 1, 'the first warning');
      assert.match(warnings()[0]!.msg, new RegExp(`${holidays.lastYear + 1} is not covered yet`));
      const next = holidays.lastYear + 1;
      const newYear = [1, 2, 3].map((d) => `${next}-01-0${d}`).find((d) => isWeekday(d))!;
      const closures = exchangeClosuresSchema.parse({
        years: { [next]: { complete: true, notice: 'test', closures: [{ date: newYear }] } },
      });
      live.replace(createOfflineCalendar(holidays, closures));
      today = new Date(`${holidays.lastYear}-12-03T04:00:00Z`);
      // The check runs every 20 ms; give it many runs on the new day.
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(warnings().length, 1, 'no warning on the day after the reload');
    } finally {
      check.stop();
    }
  });
});
