/**
 * npm run db:migrate
 *
 * Applies prisma/migrations to DATABASE_URL (required here: the embedded
 * database is migrated by `npm start` itself).
 */
import { migrate } from '~/lib/db/migrate';
import { env } from '~/lib/env';

async function main() {
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL (npm start migrates the embedded database by itself)');
  const result = await migrate(env.DATABASE_URL, { log: (line) => console.log(line) });
  console.log(`applied ${result.applied.length}, already applied ${result.alreadyApplied.length}`);
}

main().catch((error: unknown) => {
  console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
