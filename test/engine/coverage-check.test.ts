import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { startCoverageCheck } from '../../src/app/coverage-check.js';
import { createOfflineCalendar } from '../../src/sources/offline-calendar/index.js';

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
