/** How often and how patiently a failed operation is retried (a write to a target, a BaoStock session, a heartbeat): retries are data, and `retryDelayMs` turns a policy and an attempt into a wait. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  attempts: number;
  /** Wait before the second attempt; each later wait is `factor` times longer, up to `maxDelayMs`. */
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Each wait is shortened by up to this fraction at random, so several writers do not retry in step. */
  jitter: number;
}

/** Four attempts over about 2.5 s: a restarting server or a deadlock victim gets through; a dead one fails fast. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  firstDelayMs: 250,
  factor: 2.5,
  maxDelayMs: 5000,
  jitter: 0.2,
};

/** The wait after failed attempt number `attempt` (1-based). */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** (attempt - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}
