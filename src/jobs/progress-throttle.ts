/**
 * At most one PROGRESS event per `intervalMs` for one job: a step may report progress for every
 * row it writes, and subscribers only need enough to move a progress bar. A request made within
 * the interval of the last event is sent once the interval is over, with the state as of then.
 */
export class ProgressThrottle {
  #timer: NodeJS.Timeout | undefined;
  #lastAt = 0;
  #stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly publish: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tells the throttle an event was just published (a status change counts too). */
  published(): void {
    this.#lastAt = this.now();
  }

  /** Asks for a PROGRESS event, now or when the interval allows. */
  request(): void {
    if (this.#timer || this.#stopped) return;
    const wait = Math.max(0, this.#lastAt + this.intervalMs - this.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.publish();
      this.published();
    }, wait);
  }

  /** No event after this one: the job has ended. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
