import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file: migrations are applied by
// scripts/db/migrate.ts (see README, "Why not prisma migrate"). The URL is a
// placeholder because generate never connects.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: 'postgresql://localhost:5432/petlens' },
});
