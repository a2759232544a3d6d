/** The LOAD DATA text encoder on its own (the round trip through a server is in bulk-load.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from 'node:stream/consumers';
import {
  encodeField,
  encodeRow,
  escapeText,
  loadDataStream,
} from '../../src/storage/upsert/load-data-encoder.js';
import { dailyBarTable, securityTable } from '../../src/storage/upsert/market-tables.js';

const name = securityTable.compared.find((c) => c.field === 'name')!;
const ipoDate = securityTable.compared.find((c) => c.field === 'ipoDate')!;
const open = dailyBarTable.compared.find((c) => c.field === 'open')!;
const isSt = dailyBarTable.compared.find((c) => c.field === 'isSt')!;
const volume = dailyBarTable.compared.find((c) => c.field === 'volume')!;

describe('the LOAD DATA encoder', () => {
  it('escapes backslash, tab, newline, carriage return and NUL, and nothing else', () => {
    assert.equal(escapeText('a\\b\tc\nd\re\0f'), 'a\\\\b\\tc\\nd\\re\\0f');
    assert.equal(escapeText('plain text'), 'plain text');
    assert.equal(escapeText('"quotes" \'too\''), '"quotes" \'too\'');
    assert.equal(escapeText('𝄞 emoji 😀 中文'), '𝄞 emoji 😀 中文');
    assert.equal(escapeText('\\N'), '\\\\N');
  });

  it('keeps NULL (\\N), the empty string and the word NULL apart', () => {
    assert.equal(encodeField(name, null), '\\N');
    assert.equal(encodeField(name, undefined), '\\N');
    assert.equal(encodeField(name, ''), '');
    assert.equal(encodeField(name, 'NULL'), 'NULL');
  });

  it('writes dates, booleans, integers and decimals as the server reads them', () => {
    assert.equal(encodeField(ipoDate, '1000-01-01'), '1000-01-01');
    assert.equal(encodeField(isSt, true), '1');
    assert.equal(encodeField(isSt, false), '0');
    assert.equal(encodeField(volume, 9007199254740991), '9007199254740991');
    assert.equal(encodeField(open, '-0.1234567890'), '-0.1234567890');
    assert.equal(encodeField(open, '1.500000000000'), '1.5000000000');
  });

  it('makes one tab-separated line per row', () => {
    const columns = [...securityTable.key, ...securityTable.compared];
    assert.equal(
      encodeRow(columns, {
        code: 'sh.1',
        name: 'a\tb',
        type: 1,
        status: 0,
        ipoDate: null,
        outDate: '9999-12-31',
      }),
      'sh.1\ta\\tb\t1\t0\t\\N\t9999-12-31\n',
    );
  });

  it('streams the rows in chunks, reporting how many were encoded', async () => {
    const columns = [...securityTable.key, ...securityTable.compared];
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      code: `c${i}`,
      name: '😀'.repeat(10),
      type: 1,
      status: 1,
      ipoDate: null,
      outDate: null,
    }));
    const seen: number[] = [];
    const body = await text(loadDataStream(columns, rows, (done) => seen.push(done)));
    assert.equal(body.split('\n').length, 5001);
    assert.equal(body, rows.map((r) => encodeRow(columns, r)).join(''));
    assert.ok(seen.length > 1, 'more than one chunk');
    assert.equal(seen.at(-1), 5000);
  });
});
