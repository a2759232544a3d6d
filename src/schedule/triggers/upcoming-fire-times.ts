import type { Trigger } from './trigger.js';

/** More than any client needs, and a bound on the work one call can ask for. */
export const MAX_UPCOMING = 1000;

/**
 * The next `n` fire times from `now`, as the scheduler would get them if every run started on
 * time: the first is `nextFireTime(null, now)`, each next one `nextFireTime(previous, previous)`.
 * The first may lie before `now` where APScheduler would report a missed run (a date trigger in
 * the past). Stops early when the trigger ends or stops moving forward.
 */
export async function upcomingFireTimes(trigger: Trigger, now: Date, n: number): Promise<Date[]> {
  const times: Date[] = [];
  let previous: Date | null = null;
  while (times.length < Math.min(n, MAX_UPCOMING)) {
    const next: Date | null = await trigger.nextFireTime(previous, previous ?? now);
    if (next === null || (previous !== null && next.getTime() <= previous.getTime())) break;
    times.push(next);
    previous = next;
  }
  return times;
}
