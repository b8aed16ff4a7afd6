import { defineConfig } from 'drizzle-kit';

/** Migrations for PostgreSQL (TRUSTLEDGER_DATABASE_URL): the same tables as drizzle.config.ts's SQLite ones. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/pg/schema.ts',
  out: './drizzle/pg',
});
