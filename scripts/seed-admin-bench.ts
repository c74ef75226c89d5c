/**
 * npm run db:seed:admin-bench [-- --with-feedback N --without-feedback M --users U]
 *
 * Adds synthetic predictions (default 100,000 with feedback and 20,000
 * without) for the admin dashboard's scale target; see
 * lib/db/admin-bench-seed.ts. Writes to DATABASE_URL or the embedded
 * database of `npm start` (lib/db/cli-database.ts). For a development
 * database only: the rows are fake.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import sharp from 'sharp';
import { seedAdminBench } from '~/lib/db/admin-bench-seed';
import { openCliDatabase } from '~/lib/db/cli-database';
import { parsePositiveInt } from './cli-options';

const program = new Command('db:seed:admin-bench')
  .description('Add synthetic predictions with feedback for the admin dashboard benchmark')
  .option('--with-feedback <n>', 'predictions with a confirmed label', parsePositiveInt, 100_000)
  .option('--without-feedback <n>', 'further predictions without feedback', (v) => (v === '0' ? 0 : parsePositiveInt(v)), 20_000)
  .option('--users <n>', 'synthetic users owning them', parsePositiveInt, 50)
  .parse();

async function main() {
  const options = program.opts<{ withFeedback: number; withoutFeedback: number; users: number }>();
  const database = await openCliDatabase((line) => console.error(`[seed] ${line}`));
  try {
    const webp = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#8a7f70' } }).webp().toBuffer();
    const result = await seedAdminBench(database.url, { ...options, tag: randomBytes(4).toString('hex'), thumbnail: { webp, width: 8, height: 6 } });
    console.log(`added ${result.predictions} predictions (${options.withFeedback} with feedback) for ${result.users} users in ${result.seconds.toFixed(1)} s (${database.source})`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:seed:admin-bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
