import type { Secret } from '../../config/secret.js';

/**
 * One BaoStock service the configuration names (`conf/sources.json`): where it is, the account,
 * and how many sessions may be open to it at once. Jobs choose an endpoint by name and reach
 * nothing else; the password is the server's, never a job's, and goes only to this endpoint.
 */
export interface BaoStockEndpoint {
  /** The name jobs use, e.g. `public`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: Secret;
  /** The 7-character client version sent in every header, e.g. `00.9.10`. */
  readonly version: string;
  /** Sessions (each one TCP connection, logged in once) open at most at once. */
  readonly sessions: number;
  readonly connectTimeoutMs: number;
  /** Longest wait for one whole reply. */
  readonly responseTimeoutMs: number;
  /** Rows per page asked of the server (it echoes what it serves). */
  readonly rowsPerPage: number;
}
