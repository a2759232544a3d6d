import { NotFoundError } from '../../errors.js';
import type { BackfillEvent } from '../../events/app-events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { AppEvents } from '../../events/app-events.js';
import type { BackfillRunner } from '../../schedule/backfills/backfill-runner.js';
import type { LiveFeeds } from './live-feeds.js';
import { LiveStream } from './live-stream.js';

/**
 * `backfillProgress`: the backfill's state first, then its latest state after each change,
 * ending after a final status. Progress is a state, not a log: a slow client gets the newest one,
 * so the stream holds one event at most.
 */
export class BackfillProgressStream extends LiveStream<BackfillEvent> {
  #latest: BackfillEvent | undefined;
  #ended = false;

  /** Throws NotFoundError for an unknown backfill. Listens before looking, so no change is missed. */
  static async open(
    id: string,
    deps: { backfills: BackfillRunner; bus: EventBus<AppEvents>; live: LiveFeeds },
  ): Promise<BackfillProgressStream> {
    const stream = new BackfillProgressStream();
    stream.onClose(
      deps.bus.on('backfill', (event) => {
        if (event.backfill.id !== id) return;
        stream.#latest = event;
        stream.notify();
      }),
    );
    stream.onClose(deps.live.track(stream));
    try {
      const backfill = await deps.backfills.get(id);
      if (!backfill) throw new NotFoundError('backfill', id);
      stream.#latest ??= { backfill, counts: await deps.backfills.counts(backfill) };
    } catch (error) {
      stream.close();
      throw error;
    }
    return stream;
  }

  protected async produce(): Promise<BackfillEvent | undefined> {
    for (;;) {
      if (this.closed || this.#ended) return undefined;
      const event = this.#latest;
      if (event) {
        this.#latest = undefined;
        if (event.backfill.status !== 'RUNNING') this.#ended = true;
        return event;
      }
      await this.waitForChange();
    }
  }
}
