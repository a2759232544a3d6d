import type { Logger } from 'pino';
import { abortReason } from '../../abort.js';
import { BaoStockConnection } from './connection.js';
import { BaoStockServiceError, isReconnectable } from './errors.js';
import { encodeRequest, type RequestFrame } from './frame.js';
import type { BaoStockReply } from './frame-reader.js';
import { loginRequest, logoutRequest } from './messages.js';

export interface SessionSettings {
  host: string;
  port: number;
  version: string;
  user: string;
  password: string;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxReplyBytes?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** Client time for the logout request; the wall clock by default. */
  now?: () => Date;
  /**
   * Reconnect once and resend when the connection is lost (default true). A session pool turns
   * it off: it drops the session and retries the whole query with its own policy instead.
   */
  reconnect?: boolean;
}

/**
 * A logged-in BaoStock session over one connection. When the connection is lost before a reply
 * completes, it reconnects, logs in again and resends the request, once per session (§2): the
 * server drops idle connections, but a second loss means something is really wrong.
 */
export class BaoStockSession {
  private connection: BaoStockConnection | undefined;
  private reconnected = false;

  constructor(private readonly settings: SessionSettings) {}

  /** Connects and logs in. */
  async login(): Promise<void> {
    await this.withOneReconnect('login', () => this.connectAndLogin());
  }

  /** Sends one request and returns its reply, which must carry error code 0. */
  async request(frame: RequestFrame, action: string): Promise<BaoStockReply> {
    const bytes = encodeRequest(frame);
    return this.withOneReconnect(action, async () => {
      if (!this.connection) await this.connectAndLogin();
      return expectSuccess(await this.connection!.request(bytes), action);
    });
  }

  /** Logs out on the current connection (no reconnect just to say goodbye). */
  async logout(): Promise<void> {
    if (!this.connection) return;
    const { version, user, now = () => new Date() } = this.settings;
    expectSuccess(
      await this.connection.request(encodeRequest(logoutRequest(version, user, now()))),
      'logout',
    );
  }

  /** Closes the socket; resolves once it is really closed. */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  private async connectAndLogin(): Promise<void> {
    await this.close();
    const { version, user, password, signal } = this.settings;
    this.connection = await BaoStockConnection.open({
      host: this.settings.host,
      port: this.settings.port,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      responseTimeoutMs: this.settings.responseTimeoutMs,
      maxReplyBytes: this.settings.maxReplyBytes,
      signal,
    });
    expectSuccess(
      await this.connection.request(encodeRequest(loginRequest(version, user, password))),
      'login',
    );
  }

  private async withOneReconnect<T>(action: string, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      const { signal, logger } = this.settings;
      if (signal?.aborted) throw abortReason(signal);
      if (this.settings.reconnect === false || this.reconnected || !isReconnectable(error))
        throw error;
      this.reconnected = true;
      logger?.warn(
        { err: error, action },
        'BaoStock connection lost; reconnecting and retrying once',
      );
      await this.close();
      return await attempt();
    }
  }
}

/** Field 0 is the error code whatever the reply type (§8); anything but `0` is the service refusing. */
export function expectSuccess(reply: BaoStockReply, action: string): BaoStockReply {
  const [code, message = ''] = reply.fields;
  if (code !== '0') throw new BaoStockServiceError(action, code ?? '', message);
  return reply;
}
