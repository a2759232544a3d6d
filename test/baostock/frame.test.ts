import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import {
  crc32,
  encodeRequest,
  loginRequest,
  logoutRequest,
  tradeDatesRequest,
} from '../../src/sources/baostock/index.js';
import { capture } from './helpers.js';

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
/** The decimal CRC at the end of a request frame. */
const crcOf = (frame: Buffer): string =>
  frame.toString('latin1', frame.lastIndexOf(0x01) + 1, frame.length - 1);

describe('encodeRequest against captured requests', () => {
  it('rebuilds the login request byte for byte', () => {
    const frame = encodeRequest(loginRequest('00.9.10', 'anonymous', '123456'));
    assert.deepEqual(frame, capture('login', 'request.bin'));
    assert.deepEqual(frame, capture('login-second', 'request.bin'));
    assert.equal(frame.length, 56);
    assert.equal(crcOf(frame), '359766228');
  });

  it('rebuilds the query_trade_dates request byte for byte', () => {
    const frame = encodeRequest(
      tradeDatesRequest({
        version: '00.9.10',
        user: 'anonymous',
        page: 1,
        rowsPerPage: 10_000,
        from: '2024-01-01',
        to: '2024-01-10',
      }),
    );
    assert.deepEqual(frame, capture('query_trade_dates', 'request.bin'));
    assert.equal(frame.length, 90);
  });

  it('rebuilds the logout request byte for byte (client local time 2026-04-22 16:38:17)', () => {
    const frame = encodeRequest(
      logoutRequest('00.9.10', 'anonymous', new Date(2026, 3, 22, 16, 38, 17)),
    );
    assert.deepEqual(frame, capture('logout', 'request.bin'));
  });

  it('rebuilds the k-line request byte for byte', () => {
    const fields = [
      'query_history_k_data_plus',
      'anonymous',
      '1',
      '10000',
      'sh.600000',
      'date,code,open,high,low,close,preclose,volume,amount,adjustflag,turn,tradestatus,pctChg,isST',
      '2024-01-01',
      '2024-01-31',
      'd',
      '2',
    ];
    assert.deepEqual(
      encodeRequest({ version: '00.9.10', type: '95', fields }),
      capture('query_history_k_data_plus', 'request.bin'),
    );
  });
});

describe('CRC vectors (protocol doc §3.4, §10)', () => {
  it('has the standard check value', () => {
    assert.equal(crc32(ascii('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('A: login request', () => {
    const frame = encodeRequest(loginRequest('00.9.10', 'anonymous', '123456'));
    assert.equal(
      frame.toString('hex'),
      '30302e392e313001303001303030303030303032346c6f67696e01616e6f6e796d6f7573013132333435360130013335393736363232380a',
    );
  });

  it('B: query_trade_dates page 1', () => {
    const frame = encodeRequest(
      tradeDatesRequest({
        version: '00.9.10',
        user: 'anonymous',
        page: 1,
        rowsPerPage: 10_000,
        from: '2024-01-01',
        to: '2024-01-10',
      }),
    );
    assert.equal(crcOf(frame), '1765248389');
    assert.equal(frame.toString('latin1', 11, 21), '0000000057');
  });

  it('C: the captured reply checks out', () => {
    const reply = capture('query_trade_dates', 'response.bin');
    const sepAt = reply.lastIndexOf(0x01);
    assert.equal(reply.length, 345);
    assert.equal(reply.toString('latin1', sepAt + 1, reply.length - 13), '2431274927');
    assert.equal(crc32(reply, 0, sepAt), 2431274927);
  });

  it('D: further derived CRCs', () => {
    const logout = encodeRequest({
      version: '00.9.10',
      type: '02',
      fields: ['logout', 'anonymous', '20240110120000'],
    });
    assert.equal(crcOf(logout), '3490332258');
    assert.equal(logout.length, 64);
    const page2 = encodeRequest(
      tradeDatesRequest({
        version: '00.9.10',
        user: 'anonymous',
        page: 2,
        rowsPerPage: 10_000,
        from: '2024-01-01',
        to: '2024-01-10',
      }),
    );
    assert.equal(crcOf(page2), '3426739945');
    assert.equal(
      crcOf(encodeRequest(loginRequest('00.9.40', 'anonymous', '123456'))),
      '1790200140',
    );
    const newer = encodeRequest(
      tradeDatesRequest({
        version: '00.9.40',
        user: 'anonymous',
        page: 1,
        rowsPerPage: 2000,
        from: '2024-01-01',
        to: '2024-01-10',
      }),
    );
    assert.equal(newer.toString('latin1', 11, 21), '0000000056');
    assert.equal(crcOf(newer), '2924823370');
  });
});

describe('encodeRequest rules', () => {
  it('counts the body length in code points, not bytes or UTF-16 units', () => {
    const frame = encodeRequest({
      version: '00.9.10',
      type: '45',
      fields: ['query_stock_basic', 'anonymous', '浦发银行𝄞'],
    });
    const body = 'query_stock_basic\x01anonymous\x01浦发银行𝄞';
    assert.equal(frame.toString('latin1', 11, 21), String([...body].length).padStart(10, '0'));
    assert.notEqual([...body].length, body.length);
    const sepAt = frame.lastIndexOf(0x01);
    assert.equal(crcOf(frame), String(crc32(frame, 0, sepAt)));
    assert.equal(frame.toString('utf8', 21, sepAt), body);
  });

  it('refuses values the frame cannot carry', () => {
    assert.throws(
      () => encodeRequest({ version: '00.9.10', type: '00', fields: ['a\x01b'] }),
      ValidationError,
    );
    assert.throws(
      () => encodeRequest({ version: '00.9.10', type: '00', fields: ['a\nb'] }),
      /field 0/,
    );
    assert.throws(
      () => encodeRequest({ version: '0.9.1', type: '00', fields: [] }),
      /7 printable ASCII/,
    );
    assert.throws(
      () => encodeRequest({ version: '00.9.10', type: '0', fields: [] }),
      /message type/,
    );
  });
});
