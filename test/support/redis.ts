/**
 * The Redis the cluster suites use (FDA_TEST_REDIS_URL, default redis://127.0.0.1:6379). When it
 * cannot be reached they are skipped with a loud message, unless CI (or FDA_REQUIRE_REDIS) is set:
 * there a missing Redis fails the run, since skipped suites would prove nothing.
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

export const TEST_REDIS_URL = process.env.FDA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const required = Boolean(process.env.CI || process.env.FDA_REQUIRE_REDIS);

function ping(url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 3 s')), 3000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      // +PONG, or -NOAUTH from a server that wants a password: either way it is there.
      if (/^[+-]/.test(data.toString())) resolve();
      else reject(new Error(`unexpected answer ${JSON.stringify(data.toString().slice(0, 40))}`));
    });
  });
}

function skip(reason: string): string {
  if (required)
    throw new Error(`${reason}; Redis suites are required here (CI or FDA_REQUIRE_REDIS is set)`);
  console.error(
    `\n${'!'.repeat(78)}\n!! SKIPPING REDIS SUITES: ${reason}.\n!! Set FDA_TEST_REDIS_URL or start redis-server; CI never skips them.\n${'!'.repeat(78)}\n`,
  );
  return `SKIPPED: ${reason}`;
}

/** `false` when the suite should run, or the reason it is skipped (see above). */
export async function redisSkipReason(): Promise<string | false> {
  const url = new URL(TEST_REDIS_URL);
  try {
    await ping(url);
    return false;
  } catch (error) {
    return skip(`Redis at ${url.host} is not reachable (${(error as Error).message})`);
  }
}

/** `false` when `redis-server` can be started by a test (for suites that kill their own). */
export function redisServerSkipReason(): string | false {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return found.status === 0
    ? false
    : skip('redis-server is not installed (the suite starts its own)');
}
