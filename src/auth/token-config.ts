import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { expandEnvVars } from '../config/env-vars.js';
import { parseConfig, readJsonFile } from '../config/read-json-file.js';
import { Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { ApiToken } from './api-token.js';
import { expandScopes, SCOPES } from './scopes.js';

/** The environment variable holding tokens: `name:scope:token`, comma-separated. */
export const TOKENS_VARIABLE = 'FDA_TOKENS';

/** Shorter secrets are refused: a token is the only thing between the network and the job server. */
export const MIN_TOKEN_LENGTH = 16;

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = 'must start with a letter and hold at most 64 letters, digits, _, . or -';
const TOKEN_RULE = `must be at least ${MIN_TOKEN_LENGTH} characters with no spaces or commas (e.g. \`openssl rand -hex 32\`)`;

/** `auth` in server.json. */
export const authConfigSchema = z.strictObject({
  /** A JSON file of tokens, relative to the config folder (see docs-auth.md for its format). */
  tokensFile: z.string().min(1).optional(),
});

const tokenEntrySchema = z
  .strictObject({
    name: z.string().regex(NAME, NAME_RULE),
    scopes: z
      .array(z.enum(SCOPES, { error: 'must be "read" or "write"' }))
      .min(1, 'needs at least one scope ("read" or "write")'),
    /** The secret itself, usually `${VAR}` so that the file holds none. */
    token: z
      .string()
      .regex(/^[^\s,]+$/, TOKEN_RULE)
      .min(MIN_TOKEN_LENGTH, TOKEN_RULE)
      .optional(),
    /** Or the SHA-256 of the secret, as 64 hex digits: the file then holds nothing that lets anyone in. */
    sha256: z
      .string()
      .regex(
        /^[0-9a-fA-F]{64}$/,
        'must be the SHA-256 of the token as 64 hex digits (`printf %s "$TOKEN" | sha256sum`)',
      )
      .optional(),
  })
  .refine((entry) => (entry.token === undefined) !== (entry.sha256 === undefined), {
    message: 'needs exactly one of "token" and "sha256"',
  });

const tokensFileSchema = z.strictObject({ tokens: z.array(tokenEntrySchema) });

/** Reads `FDA_TOKENS`. Messages say which entry is wrong and how, never what it holds. */
export function parseTokensVariable(value: string): ApiToken[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry, index) => {
    const where = `${TOKENS_VARIABLE}: entry ${index + 1}`;
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (second < 0)
      throw new ConfigError(
        `${where}: expected name:scope:token (e.g. ci:write:<token>), comma-separated`,
      );
    const name = entry.slice(0, first);
    const scope = entry.slice(first + 1, second);
    const secret = entry.slice(second + 1);
    if (!NAME.test(name)) throw new ConfigError(`${where}: the name ${NAME_RULE}`);
    if (!(SCOPES as readonly string[]).includes(scope))
      throw new ConfigError(`${where} ("${name}"): the scope must be "read" or "write"`);
    if (secret.length < MIN_TOKEN_LENGTH || /\s/.test(secret))
      throw new ConfigError(`${where} ("${name}"): the token ${TOKEN_RULE}`);
    return ApiToken.fromSecret(
      name,
      expandScopes([scope as (typeof SCOPES)[number]]),
      new Secret(secret),
    );
  });
}

/** Reads a tokens file; `${VAR}` in it comes from the environment. */
export function loadTokensFile(file: string, env: NodeJS.ProcessEnv): ApiToken[] {
  if (!existsSync(file))
    throw new ConfigError(`${file}: the tokens file named by auth.tokensFile does not exist`);
  const parsed = parseConfig(file, tokensFileSchema, expandEnvVars(readJsonFile(file), env, file));
  return parsed.tokens.map((entry) => {
    const scopes = expandScopes(entry.scopes);
    if (entry.sha256 !== undefined)
      return new ApiToken(entry.name, scopes, Buffer.from(entry.sha256, 'hex'));
    return ApiToken.fromSecret(entry.name, scopes, new Secret(entry.token!));
  });
}

export interface AuthConfig {
  /** Absolute path of the tokens file, when one is configured. */
  tokensFile?: string;
  /** Every configured token, from `FDA_TOKENS` and the tokens file; none means authentication is off. */
  tokens: readonly ApiToken[];
}

/** The tokens of `FDA_TOKENS` and of `auth.tokensFile` together; names and secrets must be unique. */
export function loadAuthConfig(
  section: z.output<typeof authConfigSchema>,
  configDir: string,
  env: NodeJS.ProcessEnv,
): AuthConfig {
  const tokensFile =
    section.tokensFile === undefined
      ? undefined
      : isAbsolute(section.tokensFile)
        ? section.tokensFile
        : resolve(configDir, section.tokensFile);
  const tokens = [
    ...parseTokensVariable(env[TOKENS_VARIABLE] ?? ''),
    ...(tokensFile ? loadTokensFile(tokensFile, env) : []),
  ];
  const byName = new Map<string, ApiToken>();
  const byDigest = new Map<string, ApiToken>();
  for (const token of tokens) {
    if (byName.has(token.name))
      throw new ConfigError(
        `API tokens: the name "${token.name}" is used twice (in ${TOKENS_VARIABLE} and/or ${tokensFile ?? 'the tokens file'})`,
      );
    byName.set(token.name, token);
    const digest = token.digest().toString('hex');
    const twin = byDigest.get(digest);
    if (twin)
      throw new ConfigError(
        `API tokens: "${twin.name}" and "${token.name}" have the same secret; give each its own`,
      );
    byDigest.set(digest, token);
  }
  return { ...(tokensFile ? { tokensFile } : {}), tokens };
}
