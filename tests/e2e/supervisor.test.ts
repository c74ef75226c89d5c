/**
 * End to end, production build: `npm start`'s launcher brings the app server
 * back when it dies on its own. A native crash inside onnxruntime or sharp
 * (SIGSEGV, SIGABRT) or the OOM killer takes the whole Node process, and no
 * JavaScript handler can catch it; the tests kill with SIGKILL, which leaves
 * no core file. The launcher restarts the server and keeps the same
 * PostgreSQL running meanwhile. A crash loop makes it give up and stop
 * everything, never spin. And when `npm start` itself is killed with SIGKILL
 * (nothing passes a signal on), the launcher notices and stops everything.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appServerUnder, processParents } from '~/scripts/lib/app-server-process';
import { startProductionServer } from '~/scripts/lib/production-server';
import { readSample } from '../fixtures/images';
import { startE2eServer, type E2eServer } from '../support/e2e-server';
import { isRunning } from '~/lib/proc';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer('supervisor');
}, 240_000);

afterAll(() => server?.stop(), 60_000);

/** The pid of the app server under `launcher`, or null. */
const appServerPid = (launcher = server.pid): Promise<number | null> => appServerUnder(launcher);

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const healthy = () => fetch(`${server.baseUrl}/api/v1/health`).then((r) => (r.ok ? true : null), () => null);
const postmasterPid = async (dataDir = server.dataDir) => Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

async function classifyDog(): Promise<string> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(await readSample('dog'))], { type: 'image/jpeg' }), 'dog.jpg');
  const response = await fetch(`${server.baseUrl}/api/v1/predict`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  return ((await response.json()) as { predictions: { label: string }[] }).predictions[0]!.label;
}

it('a server killed from outside (as a native crash or the OOM killer would) is restarted on the same database, and serves again', async () => {
  expect(await classifyDog()).toBe('dog');
  const database = await postmasterPid();
  const crashed = await appServerPid();
  expect(crashed).not.toBeNull();

  process.kill(crashed!, 'SIGKILL');
  const replacement = await until('a new app server', async () => {
    const pid = await appServerPid();
    return pid !== null && pid !== crashed ? pid : null;
  });
  await until('the restarted server to answer', healthy);

  expect(await classifyDog()).toBe('dog');
  expect(await appServerPid()).toBe(replacement);
  expect(await postmasterPid()).toBe(database);
  // At once, or after a second if the first server had been up less than 15 s.
  expect(await readFile(server.logFile, 'utf8')).toMatch(/\[petlens\] the app server was killed by SIGKILL; restarting it( in 1 s)? \(the database keeps running\)/);
}, 120_000);

it('a crash loop (three deaths in a row, each soon after its start) makes the launcher give up and stop its database', async () => {
  // The server from the test above may already count as one quick death; at most three more are needed.
  let previous: number | null = null;
  const gaveUp = async () => /giving up/.test(await readFile(server.logFile, 'utf8'));
  const deathsInLog = async () => (await readFile(server.logFile, 'utf8')).split('the app server was killed by SIGKILL').length - 1;
  for (let death = 1; death <= 3 && !(await gaveUp()); death++) {
    const pid = await until('the app server', async () => {
      const current = await appServerPid();
      return current !== null && current !== previous ? current : null;
    });
    await until('the server to answer', healthy);
    const deathsLogged = await deathsInLog();
    process.kill(pid, 'SIGKILL');
    previous = pid;
    await until('the launcher to notice', async () => ((await deathsInLog()) > deathsLogged ? true : null));
  }
  await until('the launcher to give up', async () => ((await gaveUp()) ? true : null));
  const log = await readFile(server.logFile, 'utf8');
  expect(log).toMatch(/the app server was killed by SIGKILL, 3 times in a row within 15 s of starting; giving up/);
  expect(log).toMatch(/restarting it in 1 s/);
  await until('the launcher to exit', async () => ((await appServerPid()) === null && !isRunning(server.pid) ? true : null));
  // stop() (afterAll) then checks that the launcher left no postmaster.pid behind.
}, 120_000);

it('npm start killed with SIGKILL: its launcher stops the app server and PostgreSQL instead of living on unowned', async () => {
  const npm = await startProductionServer({ name: 'e2e-npm-start', via: 'npm start', timeoutMs: 120_000 });
  let launcher: number | null = null;
  try {
    launcher = await until('the launcher under npm', async () => [...(await processParents())].find(([, parent]) => parent === npm.pid)?.[0] ?? null);
    const app = await appServerPid(launcher);
    expect(app).not.toBeNull();
    const postmasterPidFile = path.join(npm.dataDir, 'postgres', 'postmaster.pid');
    expect(existsSync(postmasterPidFile)).toBe(true);

    process.kill(npm.pid, 'SIGKILL');
    await until('the launcher and the app server to exit', () => (!isRunning(launcher!) && !isRunning(app!) ? true : null), 30_000);
    // PostgreSQL was shut down, not left running: postmaster.pid goes with a clean stop.
    expect(existsSync(postmasterPidFile)).toBe(false);
  } finally {
    // Had the test failed, stop what it left behind before stop() looks.
    if (launcher !== null && isRunning(launcher)) {
      process.kill(launcher, 'SIGTERM');
      await until('the left-behind launcher to stop', () => (isRunning(launcher!) ? null : true), 30_000).catch(() => undefined);
    }
    await npm.stop();
  }
}, 180_000);

it('the launcher itself killed with SIGKILL: the app server stops too instead of holding the port for good', async () => {
  const direct = await startProductionServer({ name: 'e2e-launcher-killed', timeoutMs: 120_000 });
  const postmasterPidFile = path.join(direct.dataDir, 'postgres', 'postmaster.pid');
  let app: number | null = null;
  try {
    app = await appServerPid(direct.pid);
    expect(app).not.toBeNull();
    process.kill(direct.pid, 'SIGKILL');
    // Its IPC channel to the launcher closed: it drains (nothing is in flight) and exits.
    await until('the app server to exit', () => (isRunning(app!) ? null : true), 30_000);
    await until('the port to be free', () => fetch(`${direct.baseUrl}/api/v1/health`).then(() => null, () => true), 10_000);
  } finally {
    if (app !== null && isRunning(app)) process.kill(app, 'SIGKILL');
    // Nothing can stop PostgreSQL for a launcher killed outright (it has no way to watch its parent): the test does.
    if (existsSync(postmasterPidFile)) {
      const postmaster = await postmasterPid(direct.dataDir);
      process.kill(postmaster, 'SIGINT');
      await until('the left-behind PostgreSQL to stop', () => (isRunning(postmaster) ? null : true), 30_000).catch(() => undefined);
    }
    await direct.stop();
  }
}, 180_000);
