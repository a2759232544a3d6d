import { loadServerConfig, resolveConfigDir, type ServerConfig } from '../config/server-config.js';
import { loadStorageConfig, type StorageConfig } from '../config/storage-config.js';

export interface AppConfig {
  server: ServerConfig;
  storage: StorageConfig;
}

/** Reads the whole configuration; throws ConfigError naming the file, field and problem. */
export function loadAppConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const configDir = resolveConfigDir(env, cwd);
  return { server: loadServerConfig(configDir, env), storage: loadStorageConfig(configDir, env) };
}
