import { TargetWriteError } from '../errors.js';
import type { TargetWriteResult } from './upsert-rows.js';

/**
 * For a storager: the error to fail its job with when any target failed, naming every failed
 * target and why (each result's error already names its target); null when all succeeded.
 */
export function failedTargetsError(results: readonly TargetWriteResult[]): TargetWriteError | null {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return null;
  const names = failed.map((r) => r.target);
  const written = results.filter((r) => r.ok).map((r) => r.target);
  const summary = `${failed.length} of ${results.length} target${results.length > 1 ? 's' : ''} failed (${names.join(', ')})${written.length > 0 ? `; written: ${written.join(', ')}` : ''}`;
  return new TargetWriteError(
    names.join(', '),
    `${summary}\n${failed.map((r) => r.error ?? 'failed').join('\n')}`,
  );
}
