/**
 * Marks an event object that many subscribers receive as the very same object, and whose GraphQL
 * result depends only on the object and the operation (never on who asks). Such events are
 * executed once per operation and variables, and the result is shared: with a thousand
 * subscribers on one job, a batch of log lines is turned into GraphQL once, not a thousand times.
 */
export const SHARED_EVENT: unique symbol = Symbol('fda.sharedEvent');

export interface Shareable {
  readonly [SHARED_EVENT]?: true;
}

export function markShared<T extends object>(event: T): T & Shareable {
  Object.defineProperty(event, SHARED_EVENT, { value: true, enumerable: false });
  return event;
}

export function isShared(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as Shareable)[SHARED_EVENT] === true;
}
