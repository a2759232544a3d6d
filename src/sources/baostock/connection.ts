import { createConnection, type Socket } from 'node:net';
import { abortReason } from '../../abort.js';
import { BAOSTOCK_DEFAULTS } from './constants.js';
import { BaoStockNetworkError, BaoStockProtocolError } from './errors.js';
import { FrameReader, type BaoStockReply } from './frame-reader.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Longest wait for one whole reply, from the moment its request is written. */
  responseTimeoutMs: number;
  maxReplyBytes?: number;
  /** Aborting destroys the socket and rejects the open or pending request with the signal's reason. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(reply: BaoStockReply): void;
  reject(error: Error): void;
  reader: FrameReader;
  timer: NodeJS.Timeout;
}

/**
 * One TCP connection in strict lock-step: one request written, one reply read, then the next
 * (§2). Any failure (socket error, EOF, timeout, bad bytes, abort) destroys the socket and is
 * sticky: later requests reject with the same error. `close()` resolves once the socket's handle
 * is really gone, so a caller that awaits it leaves nothing open behind.
 */
export class BaoStockConnection {
  readonly endpoint: string;
  private pending: Pending | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly closed: Promise<void>,
    private readonly options: ConnectionOptions,
  ) {
    this.endpoint = endpointOf(options);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.fail(this.closedError('the server ended it')));
    socket.on('error', (error) => this.fail(this.closedError(describeSocketError(error), error)));
    socket.on('close', () => {
      options.signal?.removeEventListener('abort', this.onAbort);
      this.fail(this.closedError('the socket closed'));
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connects, honouring the connect timeout and the signal; on failure the socket is already closed. */
  static open(options: ConnectionOptions): Promise<BaoStockConnection> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const endpoint = endpointOf(options);
    const socket = createConnection({ host: options.host, port: options.port });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    return new Promise((resolve, reject) => {
      const cleanUp = (): void => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        socket.off('error', onError);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: Error): void => {
        cleanUp();
        // Nothing listens any more; a late socket error must not become an uncaught exception.
        socket.on('error', () => undefined);
        socket.destroy();
        void closed.then(() => reject(error));
      };
      const onConnect = (): void => {
        cleanUp();
        resolve(new BaoStockConnection(socket, closed, options));
      };
      const onError = (error: Error): void =>
        giveUp(
          new BaoStockNetworkError(
            'connect-failed',
            endpoint,
            `BaoStock connect to ${endpoint} failed: ${describeSocketError(error)}`,
            {
              cause: error,
            },
          ),
        );
      const onAbort = (): void => giveUp(abortReason(signal!));
      const timer = setTimeout(
        () =>
          giveUp(
            new BaoStockNetworkError(
              'connect-timeout',
              endpoint,
              `BaoStock connect to ${endpoint} timed out after ${options.connectTimeoutMs} ms`,
            ),
          ),
        options.connectTimeoutMs,
      );
      socket.once('connect', onConnect);
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Writes one encoded request and resolves with its reply. */
  request(frame: Uint8Array): Promise<BaoStockReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending)
      return Promise.reject(
        new Error('BaoStockConnection is lock-step: a request is already waiting'),
      );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(this.replyTimeoutError()),
        this.options.responseTimeoutMs,
      );
      const reader = new FrameReader(this.options.maxReplyBytes ?? BAOSTOCK_DEFAULTS.maxReplyBytes);
      this.pending = { resolve, reject, reader, timer };
      this.socket.write(frame);
    });
  }

  /** Destroys the socket (failing a waiting request) and resolves once it is closed. */
  close(): Promise<void> {
    this.fail(
      new BaoStockNetworkError(
        'connection-closed',
        this.endpoint,
        `BaoStock connection to ${this.endpoint} was closed by us`,
      ),
    );
    return this.closed;
  }

  private readonly onAbort = (): void => {
    this.fail(abortReason(this.options.signal!));
  };

  private onData(chunk: Buffer): void {
    const pending = this.pending;
    if (!pending) {
      this.fail(
        new BaoStockProtocolError(
          `BaoStock ${this.endpoint} sent ${chunk.length} bytes while no request was waiting`,
        ),
      );
      return;
    }
    let reply: BaoStockReply | undefined;
    try {
      reply = pending.reader.push(chunk);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (reply) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      pending.resolve(reply);
    }
  }

  /** The first failure wins; it destroys the socket and rejects whatever was waiting. */
  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    const pending = this.pending;
    if (pending) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      pending.reject(error);
    }
  }

  private closedError(how: string, cause?: Error): BaoStockNetworkError {
    const progress = this.pending
      ? ` before the reply was complete (${this.pending.reader.bytesReceived} bytes received)`
      : '';
    return new BaoStockNetworkError(
      'connection-closed',
      this.endpoint,
      `BaoStock connection to ${this.endpoint} was closed${progress}: ${how}`,
      cause ? { cause } : undefined,
    );
  }

  private replyTimeoutError(): BaoStockNetworkError {
    const received = this.pending?.reader.bytesReceived ?? 0;
    return new BaoStockNetworkError(
      'reply-timeout',
      this.endpoint,
      `BaoStock ${this.endpoint} sent no complete reply within ${this.options.responseTimeoutMs} ms (${received} bytes received)`,
    );
  }
}

export function endpointOf(options: { host: string; port: number }): string {
  return options.host.includes(':')
    ? `[${options.host}]:${options.port}`
    : `${options.host}:${options.port}`;
}

/** The errno code says it best (`ECONNREFUSED`, `ECONNRESET`); Node's message repeats the address. */
function describeSocketError(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
