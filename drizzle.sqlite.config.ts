import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQLite migrations from these table definitions; they run at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/schema/sqlite.ts',
  out: './drizzle/sqlite',
});
