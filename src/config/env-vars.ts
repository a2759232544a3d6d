import { ConfigError } from '../errors.js';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string of a parsed JSON value with the environment variable NAME.
 * A variable that is not set is an error naming it and where it was used: a silently empty
 * password or host would fail much later with a far less helpful message.
 */
export function expandEnvVars(
  value: unknown,
  env: NodeJS.ProcessEnv,
  file: string,
  path = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new ConfigError(
          `${file}: ${path || '(top level)'}: environment variable ${name} is not set`,
        );
      }
      return found;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => expandEnvVars(item, env, file, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        expandEnvVars(item, env, file, path ? `${path}.${key}` : key),
      ]),
    );
  }
  return value;
}
