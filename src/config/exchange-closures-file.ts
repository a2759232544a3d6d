import { statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, ValidationError } from '../errors.js';
import {
  createOfflineCalendar,
  exchangeClosuresSchema,
  type ExchangeClosures,
  type PublicHolidays,
} from '../sources/offline-calendar/index.js';
import { parseConfig, readJsonFile } from './read-json-file.js';

/** `exchangeClosures` in server.json: the operator's closures file (see the README). */
export const exchangeClosuresConfigSchema = z.strictObject({
  /** The closures file, relative to the config folder. */
  file: z.string().min(1),
  /** Reload when the file changes (a refused edit keeps the calendar in use). */
  watch: z.boolean().default(true),
});

/**
 * A year's closures are a few dozen lines; a file far larger than every year since 2004 would need
 * is not a closures file, and is refused before it is read into memory.
 */
export const MAX_CLOSURES_FILE_BYTES = 1024 * 1024;

/**
 * Reads and validates the exchange closures file: its shape and rules, then whether it fits the
 * package's years (a complete year cannot follow an uncovered one). Every problem is reported at
 * once, each as `file: path: message`, in a ConfigError.
 */
export function readExchangeClosuresFile(
  file: string,
  publicHolidays: PublicHolidays,
): ExchangeClosures {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `${file}: the exchange closures file named in server.json (exchangeClosures.file) does not exist`
        : `${file}: cannot read the file (${code ?? String(error)})`,
    );
  }
  if (size > MAX_CLOSURES_FILE_BYTES) {
    throw new ConfigError(
      `${file}: ${size} bytes; an exchange closures file is at most ${MAX_CLOSURES_FILE_BYTES} bytes`,
    );
  }
  const closures = parseConfig(file, exchangeClosuresSchema, readJsonFile(file));
  try {
    createOfflineCalendar(publicHolidays, closures);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ConfigError(error.problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
  return closures;
}
