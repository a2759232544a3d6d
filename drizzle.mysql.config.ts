import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes MySQL migrations from these table definitions; they run at start-up.
export default defineConfig({
  dialect: 'mysql',
  schema: './src/storage/schema/mysql.ts',
  out: './drizzle/mysql',
});
