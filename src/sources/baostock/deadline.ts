/**
 * A signal that aborts when the caller's signal does (with the caller's reason) or when `ms` have
 * passed (with `onTimeout()`), so one signal carries both cancellation and the whole-query limit.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

export function startDeadline(
  ms: number,
  parent: AbortSignal | undefined,
  onTimeout: () => Error,
): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(onTimeout()), ms);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
