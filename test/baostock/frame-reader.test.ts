import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BaoStockProtocolError,
  FrameReader,
  crc32,
  readTradeDatesPage,
  type BaoStockReply,
} from '../../src/sources/baostock/index.js';
import { encodeReply } from '../support/baostock-fake-server.js';
import { capture, referenceCalendar } from './helpers.js';

/** Feeds `frame` cut at `cuts`; only the last piece may complete the reply. */
function readInPieces(
  frame: Uint8Array,
  cuts: number[],
  reader = new FrameReader(),
): BaoStockReply {
  const bounds = [0, ...cuts, frame.length];
  let reply: BaoStockReply | undefined;
  for (let i = 0; i + 1 < bounds.length; i++) {
    assert.equal(reply, undefined, 'a reply came out before its last byte');
    reply = reader.push(frame.subarray(bounds[i], bounds[i + 1]));
  }
  assert.ok(reply, 'no reply after the last byte');
  return reply;
}

const everyByte = (frame: Uint8Array): number[] =>
  Array.from({ length: frame.length - 1 }, (_, i) => i + 1);

describe('FrameReader on captured uncompressed replies', () => {
  it('reads the login and logout replies', () => {
    for (const [name, method] of [
      ['login', 'login'],
      ['login-second', 'login'],
      ['logout', 'logout'],
    ] as const) {
      const reply = readInPieces(capture(name, 'response.bin'), []);
      assert.equal(reply.version, '00.9.00');
      assert.equal(reply.type, method === 'login' ? '01' : '03');
      assert.equal(reply.compressed, false);
      assert.deepEqual(reply.fields.slice(0, 4), ['0', 'success', method, 'anonymous']);
      assert.match(reply.fields[4] ?? '', /^\d{17}$/);
    }
  });

  it('reads the query_trade_dates reply into the 10 rows of the reference calendar', () => {
    const reply = readInPieces(capture('query_trade_dates', 'response.bin'), []);
    assert.equal(reply.type, '34');
    assert.equal(reply.declaredLength, 300);
    assert.equal(reply.body.length, 300);
    const page = readTradeDatesPage(reply, 1);
    assert.deepEqual(page.columns, ['calendar_date', 'is_trading_day']);
    assert.equal(page.rowsPerPage, 10_000);
    const expected = referenceCalendar()
      .filter(([date]) => date >= '2024-01-01' && date <= '2024-01-10')
      .map(([calendarDate, isTradingDay]) => ({ calendarDate, isTradingDay }));
    assert.equal(expected.length, 10);
    assert.deepEqual(page.rows, expected);
  });

  it('gives the same reply one byte at a time, and split inside the header and the marker', () => {
    const frame = capture('query_trade_dates', 'response.bin');
    const whole = readInPieces(frame, []);
    assert.deepEqual(readInPieces(frame, everyByte(frame)), whole);
    assert.deepEqual(readInPieces(frame, [3, 8, 15, 20]), whole);
    assert.deepEqual(
      readInPieces(frame, [frame.length - 12, frame.length - 6, frame.length - 1]),
      whole,
    );
    assert.deepEqual(readInPieces(frame, [21, frame.length - 13]), whole);
  });

  it('treats two replies back to back as a protocol error', () => {
    const frame = capture('login', 'response.bin');
    assert.throws(
      () => new FrameReader().push(Buffer.concat([frame, frame])),
      BaoStockProtocolError,
    );
    assert.throws(
      () => new FrameReader().push(Buffer.concat([frame, frame.subarray(0, 1)])),
      /1 unexpected bytes after a complete reply/,
    );
    const reader = new FrameReader();
    assert.ok(reader.push(frame));
    assert.throws(() => reader.push(frame), /unexpected bytes after a complete reply/);
  });

  it('detects a CRC mismatch', () => {
    const frame = Buffer.from(capture('query_trade_dates', 'response.bin'));
    const at = frame.indexOf('2024-01-05');
    frame.write('2024-01-06', at, 'latin1');
    assert.throws(
      () => new FrameReader().push(frame),
      (error: unknown) => {
        assert.ok(error instanceof BaoStockProtocolError);
        assert.match(
          error.message,
          /CRC mismatch: the reply says 2431274927, its header and body give \d+/,
        );
        return true;
      },
    );
  });

  it('reports garbage as soon as the header cannot be one', () => {
    assert.throws(
      () => new FrameReader().push(Buffer.from('HTTP/1.1')),
      /header is malformed: byte 7 is 0x31, expected the separator 0x01/,
    );
    assert.throws(
      () => new FrameReader().push(Buffer.from('00.9.00\x0134\x01000000030x')),
      /byte 20 is 0x78, expected a length digit/,
    );
  });

  it('enforces the size cap', () => {
    assert.throws(
      () => new FrameReader(100).push(capture('query_trade_dates', 'response.bin')),
      /exceeds the 100-byte limit/,
    );
  });

  it('reads multi-byte UTF-8 text, whose declared length counts characters', () => {
    const frame = encodeReply({ type: '04', fields: ['10001002', '用户名或密码错误'] });
    const reply = readInPieces(frame, everyByte(frame));
    assert.deepEqual(reply.fields, ['10001002', '用户名或密码错误']);
    assert.equal(reply.declaredLength, 17);
    assert.equal(
      frame.length - 21 - 13 - 1 - String(crc32(frame, 0, frame.lastIndexOf(0x01))).length,
      33,
    );
  });

  it('refuses a body that is not UTF-8 even with a good CRC', () => {
    const headerAndBody = Buffer.concat([
      Buffer.from('00.9.00\x0104\x010000000003', 'latin1'),
      Buffer.from([0x30, 0x01, 0xff]),
    ]);
    const frame = Buffer.concat([
      headerAndBody,
      Buffer.from(`\x01${crc32(headerAndBody)}<![CDATA[]]>\n`, 'latin1'),
    ]);
    assert.throws(() => new FrameReader().push(frame), /not valid UTF-8/);
  });
});

describe('FrameReader on the captured compressed k-line reply', () => {
  const frame = capture('query_history_k_data_plus', 'response.bin');

  it('reads it by length although the stream holds 0x0A and 0x01 bytes, and inflates it', () => {
    assert.ok(frame.subarray(21, 21 + 1296).includes(0x0a));
    const reply = readInPieces(frame, []);
    assert.equal(reply.type, '96');
    assert.equal(reply.compressed, true);
    assert.equal(reply.declaredLength, 1296);
    assert.equal(Buffer.byteLength(reply.body), 3811);
    assert.deepEqual(reply.fields.slice(0, 6), [
      '0',
      'success',
      'query_history_k_data_plus',
      'anonymous',
      '1',
      '10000',
    ]);
    const data = JSON.parse(reply.fields[6] ?? '') as { record: string[][] };
    assert.equal(data.record.length, 22);
    for (const row of data.record) assert.equal(row.length, 14);
    assert.equal(reply.fields.at(-1), '2');
    assert.deepEqual(reply.fields.slice(7), [
      'sh.600000',
      'date,code,open,high,low,close,preclose,volume,amount,adjustflag,turn,tradestatus,pctChg,isST',
      '2024-01-01',
      '2024-01-31',
      'd',
      '2',
    ]);
  });

  it('gives the same reply one byte at a time and split inside the trailer', () => {
    const whole = readInPieces(frame, []);
    assert.deepEqual(readInPieces(frame, everyByte(frame)), whole);
    assert.deepEqual(readInPieces(frame, [10, 21 + 1296, 21 + 1296 + 5, frame.length - 4]), whole);
  });

  it('reports a stream that does not inflate', () => {
    const broken = Buffer.from(frame);
    broken.fill(0x55, 40, 200);
    assert.throws(() => new FrameReader().push(broken), /could not be inflated/);
  });

  it('reports a missing end marker after the stream', () => {
    const noMarker = Buffer.concat([frame.subarray(0, 21 + 1296), Buffer.alloc(40, 0x41)]);
    assert.throws(() => new FrameReader().push(noMarker), /no end marker after its stream/);
  });
});
