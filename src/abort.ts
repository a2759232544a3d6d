import { JobCancelledError } from './errors.js';

/**
 * What an aborted operation rejects with: the signal's reason when it is an Error (a cancel, a
 * timeout, a shutdown each abort with an error of their own), else a JobCancelledError naming it.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new JobCancelledError(typeof reason === 'string' && reason !== '' ? reason : 'aborted');
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (so a retry loop never outlives its job). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
