import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  MAX_CLOSURES_FILE_BYTES,
  readExchangeClosuresFile,
} from '../../src/config/exchange-closures-file.js';
import { ConfigError } from '../../src/errors.js';
import { loadChineseDaysHolidays } from '../../src/sources/offline-calendar/index.js';
import {
  closuresFile2027,
  TEST_NOTICE_2027,
  writeClosuresFile,
} from '../offline-calendar/test-closures.js';

const holidays = loadChineseDaysHolidays();
const dir = mkdtempSync(join(tmpdir(), 'fda-closures-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const year = (closures: unknown[], extra: Record<string, unknown> = {}) => ({
  complete: true,
  notice: 'a notice',
  closures,
  ...extra,
});

/** Reads `content` as a closures file and returns the ConfigError's message. */
function refusal(content: unknown): string {
  const file = writeClosuresFile(dir, content, 'refused.json');
  try {
    readExchangeClosuresFile(file, holidays);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('the file was accepted');
}

describe('the exchange closures file', () => {
  it('reads a valid file: years ascending, notes kept, lists defaulted', () => {
    const file = writeClosuresFile(
      dir,
      closuresFile2027({
        '2025': { complete: false, notice: 'a correction', reopened: [{ date: '2025-05-05' }] },
      }),
    );
    const closures = readExchangeClosuresFile(file, holidays);
    assert.deepEqual(
      closures.years.map((y) => [y.year, y.complete, y.closures.length, y.reopened.length]),
      [
        [2025, false, 0, 1],
        [2027, true, 18, 0],
      ],
    );
    assert.equal(closures.years[1]!.notice, TEST_NOTICE_2027);
    assert.deepEqual(closures.years[1]!.closures[0], {
      date: '2027-01-01',
      note: 'invented closure',
    });
    assert.deepEqual(closures.years[0]!.reopened[0], { date: '2025-05-05', note: null });
    assert.deepEqual(
      readExchangeClosuresFile(writeClosuresFile(dir, { years: {} }), holidays).years,
      [],
    );
  });

  describe('rejects, naming the entry', () => {
    const cases: Array<[rule: string, content: unknown, expected: RegExp]> = [
      [
        'a date that is not a weekday',
        { years: { '2027': year([{ date: '2027-01-01' }, { date: '2027-01-02' }]) } },
        /refused\.json: years\.2027\.closures\[1\]\.date: 2027-01-02 is a Saturday: only weekdays are listed/,
      ],
      [
        'a weekend re-opened',
        {
          years: {
            '2025': { complete: false, notice: 'n', reopened: [{ date: '2025-05-04' }] },
          },
        },
        /years\.2025\.reopened\[0\]\.date: 2025-05-04 is a Sunday: the exchange never trades on a weekend, so it cannot be re-opened/,
      ],
      [
        'a year declared complete with no closures at all',
        { years: { '2027': year([]) } },
        /years\.2027\.closures: the year is declared complete but lists no closures; the exchange closes every year for the Spring Festival and National Day/,
      ],
      [
        'a duplicate closure',
        {
          years: {
            '2027': year([{ date: '2027-01-01' }, { date: '2027-02-08' }, { date: '2027-01-01' }]),
          },
        },
        /years\.2027\.closures\[2\]\.date: 2027-01-01 is listed twice: also at years\.2027\.closures\[0\]/,
      ],
      [
        'a day both closed and re-opened',
        {
          years: {
            '2025': {
              complete: false,
              notice: 'n',
              closures: [{ date: '2025-05-06' }],
              reopened: [{ date: '2025-05-06' }],
            },
          },
        },
        /years\.2025\.reopened\[0\]\.date: 2025-05-06 is listed twice: also at years\.2025\.closures\[0\]/,
      ],
      [
        'a date outside the year it is listed under',
        { years: { '2027': year([{ date: '2027-01-01' }, { date: '2026-12-31' }]) } },
        /years\.2027\.closures\[1\]\.date: 2026-12-31 is not in 2027, the year it is listed under/,
      ],
      [
        'a date that does not exist',
        { years: { '2027': year([{ date: '2027-02-30' }]) } },
        /years\.2027\.closures\[0\]\.date: "2027-02-30" is not a real date written YYYY-MM-DD/,
      ],
      [
        'a year without a notice',
        { years: { '2027': { complete: true, closures: [{ date: '2027-01-01' }] } } },
        /years\.2027\.notice: must name the exchange notice the entries come from/,
      ],
      [
        'a year not written as four digits',
        { years: { '27': year([{ date: '2027-01-01' }]) } },
        /years\.27: a year is written as four digits/,
      ],
      [
        'a year before the offline calendar starts',
        { years: { '2003': year([{ date: '2003-05-06' }]) } },
        /years\.2003: the offline calendar starts with 2004; earlier years are BaoStock's/,
      ],
      [
        'a year too far ahead',
        { years: { '2101': year([{ date: '2101-01-03' }]) } },
        /years\.2101: is too far ahead: the exchange publishes its closures one year at a time/,
      ],
      [
        'an unknown field',
        { years: { '2027': year([{ date: '2027-01-01' }], { closed: [] }) } },
        /years\.2027: unknown field "closed"/,
      ],
      [
        'a complete year after a year nobody covers',
        { years: { '2028': year([{ date: '2028-01-03' }]) } },
        /years\.2028: declared complete, but 2027 is covered neither by the chinese-days package \(which ends with 2026\) nor by a complete year of this file/,
      ],
    ];
    for (const [rule, content, expected] of cases) {
      it(rule, () => assert.match(refusal(content), expected));
    }
  });

  it('reports every problem of every year at once', () => {
    const message = refusal({
      years: {
        '2027': year([{ date: '2027-01-02' }, { date: '2026-01-05' }]),
        '2028': year([{ date: '2028-01-03' }, { date: '2028-01-03' }]),
        '2029': year([{ date: '2029-02-30' }]),
      },
    });
    assert.equal(message.split('\n').length, 4, message);
    assert.match(message, /years\.2027\.closures\[0\]\.date: 2027-01-02 is a Saturday/);
    assert.match(message, /years\.2027\.closures\[1\]\.date: 2026-01-05 is not in 2027/);
    assert.match(message, /years\.2028\.closures\[1\]\.date: 2028-01-03 is listed twice/);
    assert.match(message, /years\.2029\.closures\[0\]\.date: "2029-02-30" is not a real date/);
  });

  it('refuses a missing file, a file that is not JSON, and an oversized file before reading it', () => {
    assert.throws(
      () => readExchangeClosuresFile(join(dir, 'nope.json'), holidays),
      /nope\.json: the exchange closures file named in server\.json \(exchangeClosures\.file\) does not exist/,
    );
    assert.match(refusal('{"years": {'), /refused\.json: not valid JSON/);
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(MAX_CLOSURES_FILE_BYTES + 1));
    assert.throws(
      () => readExchangeClosuresFile(big, holidays),
      new RegExp(
        `big\\.json: ${MAX_CLOSURES_FILE_BYTES + 1} bytes; an exchange closures file is at most`,
      ),
    );
  });
});
