/**
 * Tokens as configured (FDA_TOKENS and a tokens file), how callers present them, and how they are
 * compared: every comparison through `crypto.timingSafeEqual` on equal-length digests, with no
 * early exit. Configuration errors say what is wrong and never what a token is.
 */
import assert from 'node:assert/strict';
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { AccessControl, LOCAL_PRINCIPAL } from '../../src/auth/access-control.js';
import { bearerCredential, connectionParamsCredential } from '../../src/auth/credentials.js';
import { isLoopbackHost } from '../../src/auth/loopback.js';
import {
  loadAuthConfig,
  loadTokensFile,
  parseTokensVariable,
} from '../../src/auth/token-config.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { ConfigError } from '../../src/errors.js';

const A = 'alpha-token-0123456789';
const B = 'bravo-token-0123456789';
const C = 'charlie-token-0123456789';

/** Asserts a ConfigError whose message matches and does not contain any of the secrets. */
function assertConfigError(
  run: () => unknown,
  message: RegExp,
  secrets: readonly string[] = [],
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, message);
    for (const s of secrets)
      assert.ok(!error.message.includes(s), `the message shows no secret: ${error.message}`);
    return true;
  });
}

describe('API tokens from FDA_TOKENS', () => {
  it('reads name:scope:token entries, comma-separated; write brings read', () => {
    const tokens = parseTokensVariable(` ci:write:${A} ,\n dashboard:read:${B}:with:colons, `);
    assert.deepEqual(
      tokens.map((t) => t.toJSON()),
      [
        { name: 'ci', scopes: ['write', 'read'] },
        { name: 'dashboard', scopes: ['read'] },
      ],
    );
    assert.equal(
      new TokenVerifier(tokens).verify(`${B}:with:colons`)?.name,
      'dashboard',
      'the token is everything after the second colon',
    );
    assert.deepEqual(parseTokensVariable(''), []);
  });

  it('names the entry and the problem, never the token', () => {
    assertConfigError(
      () => parseTokensVariable(`ci:write:${A},${B}`),
      /^FDA_TOKENS: entry 2: expected name:scope:token/,
      [A, B],
    );
    assertConfigError(
      () => parseTokensVariable(`ci:admin:${A}`),
      /entry 1 \("ci"\): the scope must be "read" or "write"/,
      [A],
    );
    assertConfigError(
      () => parseTokensVariable('ci:read:short-secret'),
      /entry 1 \("ci"\): the token must be at least 16 characters/,
      ['short-secret'],
    );
    assertConfigError(
      () => parseTokensVariable(`9lives:read:${A}`),
      /entry 1: the name must start with a letter/,
      [A],
    );
  });

  it('printing a token shows its name and scopes only', () => {
    const [token] = parseTokensVariable(`ci:write:${A}`);
    const digest = token!.digest().toString('hex');
    for (const shown of [
      JSON.stringify(token),
      inspect(token),
      String(token),
      inspect({ config: { tokens: [token] } }, { depth: 10 }),
    ]) {
      assert.ok(!shown.includes(A) && !shown.includes(digest), shown);
      assert.match(shown, /ci/);
    }
  });
});

describe('API tokens from a tokens file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fda-tokens-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'tokens.json');
  const write = (value: unknown) => writeFileSync(file, JSON.stringify(value));

  it('takes a token from ${VAR} or its SHA-256, with scopes', () => {
    write({
      tokens: [
        { name: 'ci', scopes: ['write'], token: '${CI_TOKEN}' },
        { name: 'grafana', scopes: ['read'], sha256: createHash('sha256').update(B).digest('hex') },
      ],
    });
    const verifier = new TokenVerifier(loadTokensFile(file, { CI_TOKEN: A }));
    assert.deepEqual(verifier.verify(A)?.toJSON(), { name: 'ci', scopes: ['write', 'read'] });
    assert.deepEqual(verifier.verify(B)?.toJSON(), { name: 'grafana', scopes: ['read'] });
    assert.equal(verifier.verify(C), null);
  });

  it('reports every problem with the file and the field, never the token', () => {
    write({
      tokens: [
        { name: 'ci', scopes: ['write'], token: 'short' },
        { name: 'x', scopes: [], token: A, sha256: 'ab' },
        { name: 'y', scopes: ['admin'], token: A },
        { name: 'z', scopes: ['read'] },
      ],
    });
    assertConfigError(
      () => loadTokensFile(file, {}),
      new RegExp(`${file}: tokens\\[0\\]\\.token: must be at least 16 characters`),
      ['short', A],
    );
    assertConfigError(
      () => loadTokensFile(file, {}),
      /tokens\[1\]\.scopes: needs at least one scope/,
    );
    assertConfigError(
      () => loadTokensFile(file, {}),
      /tokens\[1\]\.sha256: must be the SHA-256 of the token as 64 hex digits/,
    );
    assertConfigError(
      () => loadTokensFile(file, {}),
      /tokens\[2\]\.scopes\[0\]: must be "read" or "write"/,
    );
    assertConfigError(
      () => loadTokensFile(file, {}),
      /tokens\[3\]: needs exactly one of "token" and "sha256"/,
    );
    write({ tokens: [{ name: 'ci', scopes: ['write'], token: '${MISSING_TOKEN}' }] });
    assertConfigError(
      () => loadTokensFile(file, {}),
      /environment variable MISSING_TOKEN is not set/,
    );
    assertConfigError(
      () => loadTokensFile(join(dir, 'absent.json'), {}),
      /the tokens file named by auth.tokensFile does not exist/,
    );
  });

  it('joins FDA_TOKENS and the file; a name or a secret used twice is an error', () => {
    write({ tokens: [{ name: 'file-ci', scopes: ['write'], token: C }] });
    const auth = loadAuthConfig({ tokensFile: 'tokens.json' }, dir, {
      FDA_TOKENS: `ci:write:${A}`,
    });
    assert.equal(auth.tokensFile, file);
    assert.deepEqual(
      auth.tokens.map((t) => t.name),
      ['ci', 'file-ci'],
    );
    assertConfigError(
      () => loadAuthConfig({ tokensFile: 'tokens.json' }, dir, { FDA_TOKENS: `file-ci:read:${A}` }),
      /the name "file-ci" is used twice/,
    );
    assertConfigError(
      () => loadAuthConfig({ tokensFile: 'tokens.json' }, dir, { FDA_TOKENS: `ci:read:${C}` }),
      /"ci" and "file-ci" have the same secret/,
      [C],
    );
  });
});

describe('comparing tokens', () => {
  it('compares digests of equal length with timingSafeEqual, every configured token every time', () => {
    const calls: [number, number][] = [];
    const counting = (a: Buffer, b: Buffer) => {
      calls.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    };
    const verifier = new TokenVerifier(
      parseTokensVariable(`a:read:${A},b:read:${B},c:write:${C}`),
      counting,
    );
    for (const [presented, expected] of [
      [A, 'a'],
      [C, 'c'],
      ['x', null],
      [`${A}${A}${A}`, null],
    ] as const) {
      calls.length = 0;
      assert.equal(verifier.verify(presented)?.name ?? null, expected);
      assert.equal(calls.length, 3, 'no early exit, whichever token matches');
      assert.ok(
        calls.every(([a, b]) => a === 32 && b === 32),
        'both sides are 32-byte digests, whatever the length presented',
      );
    }
  });

  it('uses crypto.timingSafeEqual by default', () => {
    // The default comparison is node's constant-time one: it throws on buffers of unequal length,
    // which the verifier never passes (digests are hashed first).
    const verifier = new TokenVerifier(parseTokensVariable(`a:read:${A}`));
    assert.equal(verifier.verify(A)?.name, 'a');
    assert.equal(verifier.verify(''), null);
    assert.equal(verifier.verify('x'.repeat(10_000)), null);
  });
});

describe('how callers present tokens', () => {
  it('reads Authorization: Bearer and the graphql-ws connection parameter forms', () => {
    assert.deepEqual(bearerCredential(`Bearer ${A}`), { kind: 'token', value: A });
    assert.deepEqual(bearerCredential(`bearer   ${A} `), { kind: 'token', value: A });
    assert.deepEqual(bearerCredential(undefined), { kind: 'none' });
    assert.deepEqual(bearerCredential(''), { kind: 'none' });
    assert.equal(bearerCredential(`Basic ${A}`).kind, 'malformed');
    assert.equal(bearerCredential(`Bearer ${A} extra`).kind, 'malformed');
    assert.deepEqual(connectionParamsCredential({ authorization: `Bearer ${A}` }), {
      kind: 'token',
      value: A,
    });
    assert.deepEqual(connectionParamsCredential({ Authorization: `Bearer ${A}` }), {
      kind: 'token',
      value: A,
    });
    assert.deepEqual(connectionParamsCredential({ headers: { Authorization: `Bearer ${A}` } }), {
      kind: 'token',
      value: A,
    });
    assert.deepEqual(connectionParamsCredential({ token: A }), { kind: 'token', value: A });
    assert.deepEqual(connectionParamsCredential({}), { kind: 'none' });
    assert.deepEqual(connectionParamsCredential(undefined), { kind: 'none' });
    assert.equal(connectionParamsCredential({ authorization: 42 }).kind, 'malformed');
    assert.equal(connectionParamsCredential({ token: { value: A } }).kind, 'malformed');
  });

  it('lets the local caller do anything when no tokens are configured, and checks scopes when they are', () => {
    const open = new AccessControl(new TokenVerifier([]));
    assert.equal(open.enabled, false);
    assert.deepEqual(open.authenticate({ kind: 'none' }), { ok: true, principal: LOCAL_PRINCIPAL });
    assert.equal(open.authorize(LOCAL_PRINCIPAL, 'mutation'), null);

    const closed = new AccessControl(
      new TokenVerifier(parseTokensVariable(`reader:read:${A},writer:write:${B}`)),
    );
    const reader = closed.authenticate({ kind: 'token', value: A });
    const writer = closed.authenticate({ kind: 'token', value: B });
    assert.ok(reader.ok && writer.ok);
    assert.equal(closed.authorize(reader.principal, 'query'), null);
    assert.equal(closed.authorize(reader.principal, 'subscription'), null);
    assert.equal(closed.authorize(reader.principal, 'mutation')?.extensions.code, 'FORBIDDEN');
    assert.equal(closed.authorize(writer.principal, 'mutation'), null);
    assert.equal(closed.authorize(null, 'query')?.extensions.code, 'UNAUTHENTICATED');
    for (const credential of [
      { kind: 'none' },
      { kind: 'malformed', reason: 'x' },
      { kind: 'token', value: C },
    ] as const) {
      const result = closed.authenticate(credential);
      assert.ok(!result.ok);
      assert.equal(result.error.extensions.code, 'UNAUTHENTICATED');
      assert.ok(!result.error.message.includes(C));
    }
  });

  it('knows loopback hosts', () => {
    for (const host of [
      '127.0.0.1',
      '127.0.0.2',
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ])
      assert.ok(isLoopbackHost(host), host);
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      'example.com',
      '10.0.0.1',
      '::ffff:10.0.0.1',
    ])
      assert.ok(!isLoopbackHost(host), host);
  });
});
