import { join } from 'node:path';
import { loadServerConfig, resolveConfigDir, type ServerConfig } from '../config/server-config.js';
import { ConfigError } from '../errors.js';
import { loadSourcesConfig, type SourcesConfig } from '../config/sources-config.js';
import { loadStorageConfig, type StorageConfig } from '../config/storage-config.js';
import { readExchangeClosuresFile } from '../config/exchange-closures-file.js';
import {
  loadChineseDaysHolidays,
  type ExchangeClosures,
} from '../sources/offline-calendar/index.js';

export interface AppConfig {
  server: ServerConfig;
  storage: StorageConfig;
  sources: SourcesConfig;
  /** The exchange closures file as read at start-up (null when server.json names none). */
  exchangeClosures: ExchangeClosures | null;
}

/** Reads the whole configuration; throws ConfigError naming the file, field and problem. */
export function loadAppConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const configDir = resolveConfigDir(env, cwd);
  const config = {
    server: loadServerConfig(configDir, env),
    storage: loadStorageConfig(configDir, env),
    sources: loadSourcesConfig(configDir, env),
    exchangeClosures: null as ExchangeClosures | null,
  };
  const closuresFile = config.server.exchangeClosures?.file;
  if (closuresFile !== undefined)
    config.exchangeClosures = readExchangeClosuresFile(closuresFile, loadChineseDaysHolidays());
  const calendarTarget = config.server.schedules.calendarTarget;
  const targetNames = config.storage.targets.map((t) => t.name);
  if (calendarTarget !== undefined && !targetNames.includes(calendarTarget)) {
    throw new ConfigError(
      `${join(configDir, 'server.json')}: schedules.calendarTarget: "${calendarTarget}" names no storage target (configured: ${targetNames.join(', ')})`,
    );
  }
  const cluster = config.server.cluster;
  const control = config.storage.targets.find((t) => t.name === config.storage.control);
  if (cluster !== undefined && control?.dialect !== 'mysql') {
    throw new ConfigError(
      `${join(configDir, 'server.json')}: cluster: needs a MySQL/MariaDB control target (storage.json "control"), but "${config.storage.control}" is ${control?.dialect ?? 'not configured'}: processes share jobs through the control database's row locks`,
    );
  }
  return config;
}
