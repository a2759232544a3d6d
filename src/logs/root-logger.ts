import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/server-config.js';
import type { LogLineLevel } from '../jobs/job.js';
import type { JobScopes } from './job-scope.js';
import type { LogFormat } from './log-format.js';

export interface RootLoggerOptions {
  level: LogLevel;
  /** Also print lines written inside jobs on the server's own log. */
  echoJobLines: boolean;
  /** Where the server's own log goes; stdout when absent. */
  destination?: DestinationStream;
  /** JSON lines (the default) or readable lines for a terminal. */
  format?: LogFormat;
  /** Colours in readable lines; by default when the destination is stdout on a colour terminal. */
  colorize?: boolean;
}

const LEVEL_NAMES: Record<number, LogLineLevel> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * The one logger of the app. A line written while a job's scope is active is sent to that job's
 * sink (stored, published) instead of — or, with `echoJobLines`, as well as — the server's log.
 */
export function createRootLogger(options: RootLoggerOptions, scopes: JobScopes): Logger {
  return pino(
    {
      level: options.level,
      // Belt and braces: secrets are wrapped in Secret (prints [redacted]), and these keys are
      // censored even if someone logs a raw config or request object.
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
      mixin() {
        const scope = scopes.current();
        return scope ? { jobId: scope.jobId, step: scope.step ?? undefined } : {};
      },
      hooks: {
        logMethod(args, method, level) {
          const scope = scopes.current();
          if (scope) {
            scope.sink.write(LEVEL_NAMES[level] ?? 'info', formatLogCall(args), scope.step);
            if (!options.echoJobLines) return;
          }
          method.apply(this, args);
        },
      },
    },
    options.format === 'pretty'
      ? prettyStream(options)
      : (options.destination ?? pino.destination({ dest: 1, sync: false })),
  );
}

/**
 * Readable lines: time, level, the job (and step) a line belongs to, the message. Formatted in
 * this thread (no transport worker), so a line is out before the process exits on a fatal error.
 */
function prettyStream(options: RootLoggerOptions): DestinationStream {
  return pretty({
    destination: options.destination ?? 1,
    sync: options.destination !== undefined,
    colorize: options.colorize ?? (options.destination === undefined && pretty.isColorSupported),
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,jobId,step',
    messageFormat: (log, messageKey) => {
      const raw = log[messageKey];
      const message = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
      if (typeof log.jobId !== 'string') return message;
      const where = typeof log.step === 'string' ? `${log.jobId} ${log.step}` : log.jobId;
      return `[${where}] ${message}`;
    },
    singleLine: true,
  });
}

/**
 * Turns the arguments of a pino call into one line of text: `logger.info('rows %d', n)`,
 * `logger.warn({ target }, 'slow')` and `logger.error(err)` all read well in a job's log.
 */
export function formatLogCall(args: readonly unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first === 'string') return format(first, ...rest);
  if (first instanceof Error) {
    const text = rest.length > 0 ? format(...rest) : '';
    return text ? `${text}: ${first.message}` : first.message;
  }
  const text = rest.length > 0 ? format(...rest) : '';
  if (first === null || typeof first !== 'object') return text || String(first);
  const { err, ...fields } = first as Record<string, unknown>;
  let line = text;
  if (err instanceof Error) line = line ? `${line}: ${err.message}` : err.message;
  if (Object.keys(fields).length > 0)
    line = line ? `${line} ${safeJson(fields)}` : safeJson(fields);
  return line;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable fields]';
  }
}
