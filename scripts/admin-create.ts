/**
 * npm run admin:create -- --email E --password P
 *
 * Creates an admin account, or promotes an existing account to admin, and
 * sets its password. Email and password follow the sign-up rules. Writes to
 * DATABASE_URL, or to the embedded database of `npm start` (see
 * lib/db/cli-database.ts). The only way besides ADMIN_EMAIL/ADMIN_PASSWORD at
 * start to make an admin: the sign-up form only ever makes users.
 */
import { Command } from 'commander';
import { AdminInputError, ensureAdmin } from '~/lib/db/admins';
import { createPrismaClient } from '~/lib/db/client';
import { openCliDatabase } from '~/lib/db/cli-database';

const program = new Command('admin:create')
  .description('Create or promote an admin account')
  .requiredOption('--email <email>', 'the admin’s email address')
  .requiredOption('--password <password>', 'the password to set (same rules as sign-up)')
  .parse();

async function main() {
  const { email, password } = program.opts<{ email: string; password: string }>();
  const database = await openCliDatabase((line) => console.error(`[admin:create] ${line}`));
  const db = createPrismaClient(database.url, { max: 1 });
  try {
    const admin = await ensureAdmin(db, { email, password }, { promoteExisting: true });
    const verb = {
      created: 'created admin',
      promoted: 'promoted to admin',
      updated: 'updated the password of admin',
      unchanged: 'nothing to change: already an admin with that password,',
    }[admin.outcome];
    console.log(`${verb} ${admin.email} (${database.source})`);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`admin:create: ${error instanceof AdminInputError ? `invalid input: ${error.message}` : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
