/**
 * End to end, production build: stopping `npm start` answers the requests in
 * flight before anything stops, PostgreSQL last, whether the stop is SIGTERM
 * to its launcher (as a service manager or the test harness sends) or the
 * SIGHUP that closing its terminal sends to the whole process group, or the
 * SIGINT of a Ctrl-C there, which does not reach PostgreSQL (a process group
 * of its own). An API upload whose body is still arriving when the stop comes
 * is classified, saved to its owner's history and answered; then the launcher
 * exits and leaves no PostgreSQL behind (checked by stop()). One whose
 * PostgreSQL was stopped by someone else stops at once all the same.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { until } from '../api/helpers';
import { readSample } from '../fixtures/images';
import { connectToServerDatabase, insertApiToken, insertUser } from '../support/e2e-db';
import { startE2eServer, type E2eServer } from '../support/e2e-server';
import { readFile } from 'node:fs/promises';
import { clusterInUse } from '~/lib/db/embedded';
import { isRunning, procStatFields } from '~/lib/proc';
import { findAppServer } from '~/scripts/lib/app-server-process';
import { multipartBody } from '~/scripts/lib/multipart-body';

let server: E2eServer | undefined;

afterEach(() => server?.stop(), 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a new connection to `url`'s port is refused. On 127.0.0.1 (the server listens on every address): for
 * 'localhost' Node tries ::1 as well, and where IPv6 is off its error would hide the refusal.
 */
function refused(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), '127.0.0.1');
    const settle = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => settle(false));
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ECONNREFUSED'));
    // A connection attempt that neither succeeds nor fails (a full accept queue) is asked again by until().
    socket.setTimeout(1_000, () => settle(false));
  });
}

/** A process's group (/proc/PID/stat, field 5). */
async function processGroup(pid: number): Promise<number> {
  return Number(procStatFields(await readFile(`/proc/${pid}/stat`, 'utf8'))[2]);
}

/** The test's own process group is the launcher's, so a group-wide signal is sent to each process it would reach. */
async function signalTerminalGroup(launcher: number, signal: NodeJS.Signals): Promise<void> {
  const appServer = await findAppServer(launcher);
  process.kill(launcher, signal);
  process.kill(appServer, signal);
}

const stops: [string, (server: E2eServer) => Promise<void>][] = [
  ['SIGTERM to the launcher', async ({ pid }) => void process.kill(pid, 'SIGTERM')],
  ['SIGHUP to the launcher and the app server at once (its terminal closed)', ({ pid }) => signalTerminalGroup(pid, 'SIGHUP')],
  [
    'SIGINT to the launcher and the app server at once (Ctrl-C in its terminal), which PostgreSQL is kept out of',
    async ({ pid, dataDir }) => {
      const postgres = (await clusterInUse(path.join(dataDir, 'postgres')))!.pid;
      // Not in the terminal's process group, so a Ctrl-C there does not reach it: the launcher stops it last. This is
      // what tells the fix apart (the upload's save below is then a consequence): PostgreSQL in the launcher's group
      // would have been sent the signal too, and stopped at once, under the save.
      expect(await processGroup(postgres)).not.toBe(await processGroup(pid));
      await signalTerminalGroup(pid, 'SIGINT');
    },
  ],
];

it.each(stops)('%s: a token upload still arriving is saved and answered, then everything stops', async (_name, stop) => {
  server = await startE2eServer('shutdown');
  const db = await connectToServerDatabase(server);
  const userId = await insertUser(db, 'shutdown@example.test');
  const token = await insertApiToken(db, userId);
  await db.end();

  const { body, contentType } = multipartBody([{ data: await readSample('dog'), filename: 'dog.jpg' }]);
  const request = http.request(new URL('/api/v1/predict', server.baseUrl), {
    method: 'POST',
    headers: { 'content-type': contentType, 'content-length': body.length, authorization: `Bearer ${token}` },
  });
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
  });
  // Failing before it is awaited (the server never stops taking connections), the test is not to leave it unhandled.
  answer.catch(() => {});
  // Half the body now; the stop, half a second later, once the server has surely taken the request on at its headers
  // (a stop before that would close the connection, and the test would fail, not pass); the rest once the app server
  // has begun stopping, which it shows by taking no new connections.
  request.write(body.subarray(0, body.length >> 1));
  await sleep(500);
  await stop(server);
  await until('the app server takes no new connections', () => refused(new URL(server!.baseUrl)));
  request.end(body.subarray(body.length >> 1));

  const { status, text } = await answer;
  expect(status).toBe(200);
  expect(JSON.parse(text)).toMatchObject({ predictions: [{ label: 'dog', id: expect.any(String) }], saved: true });
  // Then the launcher exits (afterEach's stop() checks that PostgreSQL went with it).
  await until('the launcher exits', () => !isRunning(server!.pid), 30_000);
}, 300_000);

it('a Ctrl-C after PostgreSQL was stopped by someone else: the launcher stops at once, with status 130', async () => {
  server = await startE2eServer('ctrl-c');
  const launcher = server.pid;
  const appServer = await findAppServer(launcher);
  const postgres = (await clusterInUse(path.join(server.dataDir, 'postgres')))!.pid;
  // SIGINT is PostgreSQL's fast shutdown. (When PostgreSQL still shared the terminal's process group, every Ctrl-C
  // stopped it this way, before the launcher turned to it.)
  process.kill(postgres, 'SIGINT');
  await until('PostgreSQL stops', () => !isRunning(postgres));
  const started = performance.now();
  await signalTerminalGroup(launcher, 'SIGINT');
  // With the status of a stop by SIGINT (128 + 2), which it gives only once it has stopped both. It used to wait for an
  // exit of PostgreSQL's that had already happened, until nothing else kept it alive, and then end with 0: in a
  // terminal, about 10 s after the Ctrl-C.
  await expect(server.exited).resolves.toEqual({ code: 130, signal: null });
  // An idle server stops in well under a second.
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(isRunning(appServer)).toBe(false);
}, 300_000);
