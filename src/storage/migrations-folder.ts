import { fileURLToPath } from 'node:url';

/** The drizzle-kit migrations for a dialect, found from this file so the working directory does not matter. */
export function migrationsFolder(dialect: 'mysql' | 'sqlite'): string {
  return fileURLToPath(new URL(`../../drizzle/${dialect}`, import.meta.url));
}
