import type { PyDateTime } from './py-datetime.js';

/**
 * APScheduler 3.x `BaseTrigger._apply_jitter`: `next + timedelta(seconds=random.uniform(0, jitter))`.
 * The delay is added to the wall clock (Python timedelta arithmetic) and truncated to the
 * millisecond (Python keeps microseconds; a Date cannot), so it stays below |jitter|.
 */
export function applyJitter(
  next: PyDateTime,
  jitter: number | null,
  random: () => number,
): PyDateTime {
  if (!jitter) return next;
  return next.plus(Math.trunc(jitter * random() * 1000));
}
