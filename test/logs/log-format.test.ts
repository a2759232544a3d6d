import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { JobScopes, type JobLineSink } from '../../src/logs/job-scope.js';
import { chooseLogFormat } from '../../src/logs/log-format.js';
import { createRootLogger } from '../../src/logs/root-logger.js';
import { startServerProcess } from '../support/server-process.js';
import { writeTestConfig } from '../support/test-app.js';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { stream, lines };
}

describe('the console log format', () => {
  it('is pretty on a terminal, JSON otherwise, and FDA_LOG_FORMAT overrides both', () => {
    assert.equal(chooseLogFormat(undefined, true), 'pretty');
    assert.equal(chooseLogFormat(undefined, false), 'json');
    assert.equal(chooseLogFormat('', false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('PRETTY', false), 'pretty');
    assert.throws(
      () => chooseLogFormat('yaml', true),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === 'FDA_LOG_FORMAT: must be "json" or "pretty", got "yaml"',
    );
  });

  it('prints time, level, job and message on one readable line, without colours off a terminal', () => {
    const { stream, lines } = capture();
    const scopes = new JobScopes();
    const logger = createRootLogger(
      { level: 'info', echoJobLines: true, destination: stream, format: 'pretty' },
      scopes,
    );
    logger.info({ url: 'http://127.0.0.1:4000' }, 'server listening');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0]!,
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: server listening \{"url":"http:\/\/127\.0\.0\.1:4000"\}$/,
    );
    assert.ok(!lines[0]!.includes('\u001b['), 'no escape codes');
  });

  it('names the job and step of a line written inside a job', () => {
    const { stream, lines } = capture();
    const scopes = new JobScopes();
    const logger = createRootLogger(
      { level: 'info', echoJobLines: true, destination: stream, format: 'pretty' },
      scopes,
    );
    const stored: string[] = [];
    const sink: JobLineSink = { write: (_level, message) => stored.push(message) };
    scopes.run({ jobId: 'job-42', step: 'storager_0', sink }, () => logger.warn('slow target'));
    assert.deepEqual(stored, ['slow target'], 'the job still gets its line');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /\] WARN: \[job-42 storager_0\] slow target$/);
  });

  it('npm start prints readable lines with FDA_LOG_FORMAT=pretty, JSON lines without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-logs-'));
    try {
      writeTestConfig(dir, {});
      for (const format of ['pretty', undefined]) {
        const server = await startServerProcess(
          dir,
          format ? { FDA_LOG_FORMAT: format } : { FDA_LOG_FORMAT: '' },
        );
        assert.equal(await server.stop(), 0);
        const listening = server
          .output()
          .split('\n')
          .find((line) => line.includes('server listening'));
        assert.ok(listening, server.output());
        if (format === 'pretty') assert.match(listening, /^\[[\d\- :.]+\] INFO: server listening/);
        else assert.equal((JSON.parse(listening) as { msg: string }).msg, 'server listening');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
