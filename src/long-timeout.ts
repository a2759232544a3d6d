/**
 * Node's timers hold at most 2^31 - 1 ms (24.8 days): a longer delay is taken as 1 ms, with only
 * a TimeoutOverflowWarning to say so. A deadline further away is reached by waiting in steps of
 * at most that, checking the clock at each step, so it fires neither early nor late.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

export function setLongTimeout(
  ms: number,
  fire: () => void,
  now: () => number = Date.now,
): LongTimeout {
  const due = now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = due - now();
    if (left <= 0) {
      timer = undefined;
      fire();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  timer = setTimeout(arm, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  return {
    clear() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
