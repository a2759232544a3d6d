import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppEvents } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import { describeRedis } from './cluster-config.js';
import type { ClusterControlMessage } from '../events/app-events.js';
import {
  decodeRelayMessage,
  encodeControlMessage,
  encodeJobMessage,
  encodeLogsMessage,
  MAX_RELAY_MESSAGE_BYTES,
} from './relay-messages.js';

export interface RedisRelayDeps {
  url: string;
  /** One channel per control database, so clusters sharing a Redis do not hear each other. */
  channel: string;
  processId: string;
  bus: EventBus<AppEvents>;
  logger: Logger;
}

export interface RelayStats {
  published: number;
  received: number;
  rejected: number;
  /** Publishes that failed (Redis away): their receivers read the store instead. */
  dropped: number;
  /** Times the subscription came back after Redis went away (each one a resync of the streams). */
  resyncs: number;
}

/**
 * Carries job events and log batches between processes: what this process's bus emits is
 * published, what the others publish is emitted here. Everything goes through one channel on one
 * connection each way, so a receiver sees a job's events in the order they were published.
 *
 * Redis pub/sub is at-most-once, and nothing here tries to make it more: the store has every line
 * and state. Log streams notice a gap in seq and read the store; after a reconnect (when anything
 * may have been missed) `liveResync` tells every stream to read it again.
 */
export class RedisEventRelay {
  readonly stats: RelayStats = {
    published: 0,
    received: 0,
    rejected: 0,
    dropped: 0,
    resyncs: 0,
  };
  readonly #remote = new WeakSet<object>();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #off: (() => void)[] = [];
  #subscribedOnce = false;
  #publishFailing = false;

  constructor(private readonly deps: RedisRelayDeps) {
    const options = { lazyConnect: true, maxRetriesPerRequest: null };
    // No offline queue for publishing: while Redis is away ioredis would hold every event and log
    // batch in memory, without bound, to send them late. They are dropped instead; the receivers
    // read the store after the reconnect (liveResync).
    this.#pub = new Redis(deps.url, { ...options, enableOfflineQueue: false });
    this.#sub = new Redis(deps.url, options);
    const where = describeRedis(deps.url);
    for (const client of [this.#pub, this.#sub])
      client.on('error', (error: Error) =>
        deps.logger.warn({ redis: where, err: error.message }, 'cluster: Redis connection problem'),
      );
  }

  async start(): Promise<void> {
    const { bus, channel, processId } = this.deps;
    this.#sub.on('message', (_channel: string, text: string) => this.#receive(text));
    this.#sub.on('ready', () => {
      if (!this.#subscribedOnce) return;
      // Subscribed again first (the reply comes after the subscription is in place), so nothing
      // published after the streams' store reads can be missed.
      this.#sub.subscribe(channel).then(
        () => {
          this.stats.resyncs++;
          this.deps.logger.warn('cluster: Redis is back; live streams read the store again');
          bus.emit('liveResync', { reason: 'the Redis connection was lost and is back' });
        },
        (error: unknown) =>
          this.deps.logger.warn({ err: error }, 'cluster: subscribing again to Redis failed'),
      );
    });
    try {
      await Promise.all([this.#pub.connect(), this.#sub.connect()]);
    } catch (error) {
      this.#pub.disconnect();
      this.#sub.disconnect();
      throw new Error(
        `cluster.redis: ${describeRedis(this.deps.url)} does not answer (${(error as Error).message})`,
        { cause: error },
      );
    }
    await this.#sub.subscribe(channel);
    this.#subscribedOnce = true;
    this.#off.push(
      bus.on('job', (event) => {
        if (!this.#remote.has(event)) this.#publish(encodeJobMessage(processId, event));
      }),
      bus.on('jobLogs', (batch) => {
        if (!this.#remote.has(batch)) this.#publish(encodeLogsMessage(processId, batch));
      }),
    );
  }

  async stop(): Promise<void> {
    for (const off of this.#off.splice(0)) off();
    this.#sub.disconnect();
    await this.#pub.quit().catch(() => this.#pub.disconnect());
  }

  /** Tells every other process to do `control` (this one has done it already). */
  announce(control: ClusterControlMessage): void {
    this.#publish(encodeControlMessage(this.deps.processId, control));
  }

  #publish(text: string): void {
    // Too big to relay: the receivers see a gap (or the job's end) and read the store.
    if (Buffer.byteLength(text, 'utf8') > MAX_RELAY_MESSAGE_BYTES) return;
    this.stats.published++;
    this.#pub.publish(this.deps.channel, text).then(
      () => (this.#publishFailing = false),
      (error: unknown) => {
        this.stats.dropped++;
        // Once per outage: every event of every job fails the same way until Redis is back.
        if (this.#publishFailing) return;
        this.#publishFailing = true;
        this.deps.logger.warn(
          { err: error },
          'cluster: publishing to Redis failed; events are dropped until it is back (the store has them)',
        );
      },
    );
  }

  #receive(text: string): void {
    let message;
    try {
      message = decodeRelayMessage(text);
    } catch (error) {
      this.stats.rejected++;
      this.deps.logger.warn(
        { reason: (error as Error).message },
        'cluster: dropped a Redis message that is not a valid event',
      );
      return;
    }
    if (message.from === this.deps.processId) return;
    this.stats.received++;
    if (message.type === 'control') {
      this.deps.bus.emit('clusterControl', message.control);
    } else if (message.type === 'job') {
      this.#remote.add(message.event);
      this.deps.bus.emit('job', message.event);
    } else {
      this.#remote.add(message.batch);
      this.deps.bus.emit('jobLogs', message.batch);
    }
  }
}
