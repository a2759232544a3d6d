import { errorMessage } from '../errors.js';

/**
 * How much free text the job store's columns take (src/storage/schema/mysql.ts), and the one way
 * text is cut to fit. A value the store cannot take must never reach it: a save that fails for
 * good would leave its job without a final state. Names are refused at validation (a user can
 * shorten them); messages are cut here and say so.
 */
export const STORED_TEXT_LIMITS = {
  /** `job_log_lines.step` is VARCHAR(200); a step name is stored with every line. */
  stepName: 200,
  /** `jobs.origin_name` is VARCHAR(200). */
  originName: 200,
  /** `jobs.error` is TEXT (65,535 bytes): 8,000 characters of up to 4 bytes each fit. */
  error: 8000,
  /** A reason given to cancelJob ends up in `jobs.error`. */
  cancelReason: 1000,
  /** One log line's message; a longer one is cut (the batch is sized by bytes too). */
  logMessage: 32_768,
  /** A step's result (setResult) as JSON, in bytes: `jobs.steps` holds every step's. */
  stepResultBytes: 256 * 1024,
  /** `jobs.idempotency_key` is VARCHAR(200). */
  idempotencyKey: 200,
} as const;

/** Characters, as the columns count them: code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * `text` when it has at most `max` code points; otherwise its start and a note saying how long it
 * was, in at most `max` code points in all.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const length = codePointLength(text);
  if (length <= max) return text;
  const note = ` … (truncated: ${length} characters in all)`;
  const kept = Math.max(0, max - note.length);
  let out = '';
  let count = 0;
  for (const char of text) {
    if (count >= kept) break;
    out += char;
    count += 1;
  }
  return out + note;
}

/** Why a step result cannot be stored, or null when it can. */
export function resultProblem(result: unknown): string | null {
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return `the result is not JSON: ${errorMessage(error)}`;
  }
  if (json === undefined) return null;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > STORED_TEXT_LIMITS.stepResultBytes) {
    return `the result is ${bytes} bytes of JSON; at most ${STORED_TEXT_LIMITS.stepResultBytes} are kept`;
  }
  return null;
}
