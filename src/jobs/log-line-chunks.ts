import { MAX_BOUND_PARAMETERS } from '../storage/sql-runner.js';
import type { LogLine } from './job.js';

/** Bytes a stored line costs besides its message and step: ids, numbers, level, framing. */
const LINE_OVERHEAD_BYTES = 96;
/** Values bound per line: job_id, seq, time, level, step, message. */
const VALUES_PER_LINE = 6;

/**
 * Cuts a batch of log lines into inserts the server takes: each within `limitBytes` (the
 * packet limit) and within the bound-parameter limit. A single line too large for any statement
 * has its message cut to fit, saying so, rather than being lost or failing its whole batch.
 */
export function chunkLogLines(lines: readonly LogLine[], limitBytes: number): LogLine[][] {
  const maxLines = Math.floor(MAX_BOUND_PARAMETERS / VALUES_PER_LINE);
  const chunks: LogLine[][] = [];
  let chunk: LogLine[] = [];
  let bytes = 0;
  for (const original of lines) {
    const line = fitLine(original, limitBytes);
    const size = lineBytes(line);
    if (chunk.length > 0 && (bytes + size > limitBytes || chunk.length >= maxLines)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(line);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function lineBytes(line: LogLine): number {
  return (
    LINE_OVERHEAD_BYTES +
    Buffer.byteLength(line.message, 'utf8') +
    (line.step === null ? 0 : Buffer.byteLength(line.step, 'utf8'))
  );
}

/** The line, or a copy whose message is cut (on a character boundary) so it fits alone. */
function fitLine(line: LogLine, limitBytes: number): LogLine {
  const size = lineBytes(line);
  if (size <= limitBytes) return line;
  const total = Buffer.byteLength(line.message, 'utf8');
  const note = ` … (cut to fit the database's packet limit: ${total} bytes in all)`;
  const room = Math.max(0, limitBytes - (size - total) - Buffer.byteLength(note, 'utf8'));
  const bytes = Buffer.from(line.message, 'utf8').subarray(0, room);
  // Drop a partial character at the end instead of storing a broken one.
  const kept = bytes.toString('utf8').replace(/\uFFFD$/, '');
  return { ...line, message: kept + note };
}
