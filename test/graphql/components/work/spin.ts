/** CPU-bound work for worker-pool tests and the responsiveness benchmark: busy for `ms` milliseconds. */
export function spin(input: { ms: number }): { iterations: number } {
  const end = performance.now() + input.ms;
  let iterations = 0;
  let x = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 10_000; i++) x = (x * 31 + i) % 1_000_003;
    iterations++;
  }
  return { iterations: iterations + (x < 0 ? 1 : 0) };
}

export function fail(input: { message: string }): never {
  throw new RangeError(input.message);
}

export function echo<T>(input: T): T {
  return input;
}
