import { isIP } from 'node:net';
import { ConfigError } from '../errors.js';

/** Whether listening on this host keeps the server reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6)
    return bare === '::1' || /^(?:0{0,4}:){7}0{0,3}1$/.test(bare) || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Without tokens nobody is asked who they are, which is only safe when nobody else can connect:
 * such a server may listen on loopback only. Anything else stops the start with the reason.
 */
export function assertBindAllowed(host: string, tokenCount: number, where: string): void {
  if (tokenCount > 0 || isLoopbackHost(host)) return;
  throw new ConfigError(
    `${where}: host "${host}" is not a loopback address, and no API tokens are configured: without tokens anyone who can ` +
      'reach the server could submit and cancel jobs, so it listens on loopback only (127.0.0.1, ::1, localhost). ' +
      'Configure tokens (FDA_TOKENS, or auth.tokensFile in server.json) to listen on other addresses.',
  );
}
