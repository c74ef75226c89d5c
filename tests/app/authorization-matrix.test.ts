/**
 * The authorization matrix of every server action (issue #6): each exported
 * function of every 'use server' module under app/ is called as a guest, as
 * a signed-in user on another user's rows, as a normal user on admin-only
 * actions, as an admin, and as the rightful owner. Every refusal must have
 * its exact shape ({status, message}, nothing else) and leave the rows of
 * everyone involved exactly as they were.
 *
 * The actions are found by scanning app/ and importing each module, so an
 * action added without an entry here fails the suite: every new action needs
 * an authorization decision. Real database and model; only the session
 * lookup, the request's cookies/headers and cache revalidation are mocked.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { cookies } from 'next/headers';
import { changePasswordAction, createApiTokenAction, deleteAccountAction, endOtherSessionsAction, revokeApiTokenAction } from '~/app/(app)/account/actions';
import { classifyImageAction, deletePredictionAction, submitFeedbackAction } from '~/app/(app)/actions';
import { signUpAction } from '~/app/(auth)/actions';
import { deleteUserAsAdminAction, purgeGuestPredictionsAction, purgePredictionsBeforeAction, setConfirmedLabelAction } from '~/app/admin/actions';
import { disconnectDb, getDb } from '~/lib/server/db';
import { disposeInferenceService } from '~/lib/server/inference';
import { createApiToken } from '~/lib/server/queries/api-tokens';
import { readSample } from '../fixtures/images';
import { actAs, fileFrom, form, makePrediction, makeUser } from './helpers';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
jest.mock('next/headers', () => ({ cookies: jest.fn(), headers: jest.fn().mockRejectedValue(new Error('no request')) }));

const ROOT = path.resolve(__dirname, '..', '..');
/** The form fields a refusal may name (the field its message is shown under). */
const FORM_FIELD = /^(currentPassword|name|confirm|before|email)$/;

beforeEach(() => {
  // An empty jar: the session comes from actAs, so the actions that re-issue
  // this browser's token find none and sign it out (tests/app/sessions.test.ts
  // covers the re-issue).
  jest.mocked(cookies).mockResolvedValue({ get: jest.fn(), set: jest.fn() } as never);
});

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

// ---- the people and rows each entry is checked against ----------------------

type Person = Awaited<ReturnType<typeof makeUser>>;

/**
 * Who calls: nobody, a user on someone else's rows, the rows' owner, an
 * admin, and two admin sessions whose account changed after sign-in (the
 * session's JWT still says admin).
 */
type Who = 'guest' | 'intruder' | 'owner' | 'admin' | 'demotedAdmin' | 'deletedAdmin';

/** What an action is pointed at: the owner's row (or email), a random uuid (or a fresh email), or junk. */
type Target = 'owners' | 'random' | 'junk';

interface World {
  people: Record<Exclude<Who, 'guest'>, Person>;
  /** The owner's prediction and API token; the intruder has their own too. */
  prediction: string;
  token: string;
}

async function makeWorld(): Promise<World> {
  const people = {
    owner: await makeUser(),
    intruder: await makeUser(),
    admin: await makeUser('admin'),
    demotedAdmin: await makeUser('admin'),
    deletedAdmin: await makeUser('admin'),
  };
  await getDb().user.update({ where: { id: people.demotedAdmin.id }, data: { role: 'user' } });
  await getDb().user.delete({ where: { id: people.deletedAdmin.id } });
  const prediction = (await makePrediction(people.owner.id, 'cat', { sha256: 'b'.repeat(64) })).id;
  const token = (await createApiToken({ userId: people.owner.id, name: 'owner token' })).item.id;
  await makePrediction(people.intruder.id, 'dog');
  await createApiToken({ userId: people.intruder.id, name: 'intruder token' });
  return { people, prediction, token };
}

function sessionAs(world: World, who: Who): void {
  actAs(who === 'guest' ? null : world.people[who]);
}

/** Every row of the world's people: users, predictions (thumbnails included) and API tokens. */
async function snapshot(world: World) {
  const ids = Object.values(world.people).map((p) => p.id);
  const db = getDb();
  return {
    users: await db.user.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } }),
    predictions: await db.prediction.findMany({ where: { userId: { in: ids } }, orderBy: { id: 'asc' } }),
    apiTokens: await db.apiToken.findMany({ where: { userId: { in: ids } }, orderBy: { id: 'asc' } }),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** `before` with `change` applied: what `after` must equal when an action may change exactly that. */
function changed(before: Snapshot, change: (expected: Snapshot) => void): Snapshot {
  const expected = structuredClone(before);
  change(expected);
  return expected;
}

function idFor(target: Target, own: string): string {
  return target === 'owners' ? own : target === 'random' ? randomUUID() : 'not-a-uuid';
}

/** An action's state, or `redirect:<url>` for Next's redirect signal (thrown by redirect()). */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT;')) return `redirect:${digest.split(';')[2]}`;
    throw error;
  }
}

function statusOf(state: unknown): string {
  return typeof state === 'string' ? state : String((state as { status?: unknown }).status);
}

// ---- the matrix -------------------------------------------------------------

interface Case {
  who: Who;
  target: Target;
  /** The state's status, or `redirect:<url>`. */
  expect: string;
  /**
   * What the call may change. Without it the call is a refusal (or changes
   * nothing, like a guest's upload): every row of the world stays as it was.
   */
  effect?: (before: Snapshot, after: Snapshot, world: World) => void | Promise<void>;
}

interface Entry {
  /** The authorization decision, in words. */
  rule: string;
  /** The action itself: it must be the function the module exports under this entry's name. */
  action: (...args: never[]) => Promise<unknown>;
  call: (world: World, target: Target) => Promise<unknown>;
  /** Run in order: refusals first, the allowed (changing) calls last. */
  cases: Case[];
}

type Effect = NonNullable<Case['effect']>;

/** One new row in `table`, the caller's (the intruder's), and nothing else changed. */
function addedForIntruder(table: 'predictions' | 'apiTokens'): Effect {
  return (before, after, world) => {
    const rows = (s: Snapshot) => s[table] as { id: string; userId: string }[];
    const added = rows(after).filter((row) => !rows(before).some((b) => b.id === row.id));
    expect(added.map((row) => row.userId)).toEqual([world.people.intruder.id]);
    expect({ ...after, [table]: rows(after).filter((row) => row.id !== added[0]!.id) }).toEqual(before);
  };
}

/** The owner's prediction now has the confirmed label dog (and `also`), and nothing else changed. */
const labelled =
  (also: object = {}): Effect =>
  (before, after, world) =>
    expect(after).toEqual(
      changed(before, (s) => Object.assign(s.predictions.find((p) => p.id === world.prediction)!, { correctLabel: 'dog', feedbackAt: expect.any(Date), ...also })),
    );

/** By the owner: their own label (ownerLabel) too. */
const labelledDog = labelled({ ownerLabel: 'dog' });
/** By an admin: marked reviewed (out of the review queue); the owner's own label stays as it was. */
const reviewedDog = labelled({ reviewedAt: expect.any(Date) });

/** The owner's account, predictions and tokens are gone; everyone else's rows are as they were. */
const ownerGone: Effect = (before, after, world) => {
  const gone = world.people.owner.id;
  expect(after).toEqual({
    users: before.users.filter((u) => u.id !== gone),
    predictions: before.predictions.filter((p) => p.userId !== gone),
    apiTokens: before.apiTokens.filter((t) => t.userId !== gone),
  });
};

/** Only `who`'s session version went up by one, and their password hash changed exactly when `newPassword`; nothing else changed. */
function sessionsEndedFor(who: Exclude<Who, 'guest'>, { newPassword }: { newPassword: boolean }): Effect {
  return (before, after, world) => {
    const id = world.people[who].id;
    const hashIn = (s: Snapshot) => s.users.find((u) => u.id === id)!.passwordHash;
    expect(hashIn(after) !== hashIn(before)).toBe(newPassword);
    expect(after).toEqual(
      changed(before, (s) => {
        const user = s.users.find((u) => u.id === id)!;
        user.sessionVersion += 1;
        user.passwordHash = hashIn(after);
      }),
    );
  };
}

const nothingChanged: Effect = (before, after) => expect(after).toEqual(before);

/**
 * How every admin action refuses everyone but an admin: the role is checked as
 * stored now, so a demoted admin's session (it still says admin) is forbidden
 * and a deleted admin's is signed out.
 */
const NON_ADMINS_REFUSED: Case[] = [
  { who: 'guest', target: 'owners', expect: 'unauthorized' },
  { who: 'intruder', target: 'owners', expect: 'forbidden' },
  { who: 'owner', target: 'owners', expect: 'forbidden' },
  { who: 'demotedAdmin', target: 'owners', expect: 'forbidden' },
  { who: 'deletedAdmin', target: 'owners', expect: 'unauthorized' },
];

const SIGN_UP_PASSWORD = 'a perfectly long passphrase';
const newEmail = (world: World) => `new-${world.people.owner.id}@example.test`;
let cat: Buffer;

/** Keyed `<file under app/>#<export>`; the first test fails for any action without an entry. */
const MATRIX: Record<string, Entry> = {
  'app/(auth)/actions.ts#signUpAction': {
    rule: 'anyone may create an account; always role user; an existing account (email) is never touched',
    action: signUpAction,
    // `role` is not a field of the form: passing it must not make an admin.
    call: (world, target) => signUpAction({ status: 'idle' }, form({ email: target === 'owners' ? world.people.owner.email : newEmail(world), password: SIGN_UP_PASSWORD, role: 'admin' })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'conflict' },
      { who: 'intruder', target: 'owners', expect: 'conflict' },
      {
        who: 'guest',
        target: 'random',
        expect: 'success',
        effect: async (before, after, world) => {
          expect(after).toEqual(before);
          await expect(getDb().user.findUnique({ where: { email: newEmail(world) } })).resolves.toMatchObject({ role: 'user' });
        },
      },
    ],
  },

  'app/(app)/actions.ts#classifyImageAction': {
    rule: 'anyone may classify; only a signed-in caller’s own history gets the row (a userId field is ignored)',
    action: classifyImageAction,
    call: (world) => classifyImageAction(form({ file: fileFrom(cat), userId: world.people.owner.id })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'success' },
      { who: 'intruder', target: 'owners', expect: 'success', effect: addedForIntruder('predictions') },
    ],
  },

  'app/(app)/actions.ts#submitFeedbackAction': {
    rule: 'the prediction’s owner only; anyone else’s id is not_found (admins too: they use the review action)',
    action: submitFeedbackAction,
    call: (world, target) => submitFeedbackAction({ predictionId: idFor(target, world.prediction), correctLabel: 'dog' }),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'guest', target: 'junk', expect: 'invalid_data' },
      { who: 'intruder', target: 'owners', expect: 'not_found' },
      { who: 'intruder', target: 'random', expect: 'not_found' },
      { who: 'intruder', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'not_found' },
      { who: 'owner', target: 'owners', expect: 'success', effect: labelledDog },
    ],
  },

  'app/(app)/actions.ts#deletePredictionAction': {
    rule: 'the prediction’s owner only; anyone else’s id is not_found',
    action: deletePredictionAction,
    call: (world, target) => deletePredictionAction({ status: 'idle' }, form({ id: idFor(target, world.prediction) })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'intruder', target: 'owners', expect: 'not_found' },
      { who: 'intruder', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'not_found' },
      { who: 'owner', target: 'random', expect: 'not_found' },
      {
        who: 'owner',
        target: 'owners',
        expect: 'redirect:/history?deleted=1',
        effect: (before, after, world) => expect(after).toEqual(changed(before, (s) => void (s.predictions = s.predictions.filter((p) => p.id !== world.prediction)))),
      },
    ],
  },

  'app/(app)/account/actions.ts#createApiTokenAction': {
    rule: 'signed-in users, for themselves only (a userId field is ignored)',
    action: createApiTokenAction,
    call: (world) => createApiTokenAction({ status: 'idle' }, form({ name: 'matrix', userId: world.people.owner.id })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'intruder', target: 'owners', expect: 'success', effect: addedForIntruder('apiTokens') },
    ],
  },

  'app/(app)/account/actions.ts#revokeApiTokenAction': {
    rule: 'the token’s owner only; anyone else’s token id is not_found',
    action: revokeApiTokenAction,
    call: (world, target) => revokeApiTokenAction({ status: 'idle' }, form({ id: idFor(target, world.token) })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'intruder', target: 'owners', expect: 'not_found' },
      { who: 'intruder', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'not_found' },
      { who: 'owner', target: 'random', expect: 'not_found' },
      {
        who: 'owner',
        target: 'owners',
        expect: 'success',
        effect: (before, after, world) =>
          expect(after).toEqual(changed(before, (s) => Object.assign(s.apiTokens.find((t) => t.id === world.token)!, { revokedAt: expect.any(Date) }))),
      },
    ],
  },

  'app/(app)/account/actions.ts#deleteAccountAction': {
    rule: 'signed-in users delete their own account only, with their own password (the owner’s password typed by anyone else deletes nothing)',
    action: deleteAccountAction,
    call: (world, target) => deleteAccountAction({ status: 'idle' }, form({ currentPassword: target === 'owners' ? world.people.owner.password : `pw-${randomUUID()}` })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'intruder', target: 'owners', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'invalid_data' },
      { who: 'owner', target: 'random', expect: 'invalid_data' },
      {
        who: 'owner',
        target: 'owners',
        expect: 'redirect:/?account=deleted',
        effect: ownerGone,
      },
    ],
  },

  'app/(app)/account/actions.ts#changePasswordAction': {
    rule: 'signed-in users, for their own account only, with their own current password (a userId field is ignored)',
    action: changePasswordAction,
    call: (world, target) =>
      changePasswordAction(
        { status: 'idle' },
        form({ currentPassword: target === 'owners' ? world.people.owner.password : 'not the password', newPassword: 'a brand new passphrase', userId: world.people.owner.id }),
      ),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'deletedAdmin', target: 'owners', expect: 'unauthorized' },
      // Wrong passwords come back as field errors, not {status, message}.
      { who: 'intruder', target: 'owners', expect: 'invalid_data', effect: nothingChanged },
      { who: 'owner', target: 'junk', expect: 'invalid_data', effect: nothingChanged },
      { who: 'owner', target: 'owners', expect: 'redirect:/login?callbackUrl=%2Faccount', effect: sessionsEndedFor('owner', { newPassword: true }) },
    ],
  },

  'app/(app)/account/actions.ts#endOtherSessionsAction': {
    rule: 'signed-in users, for their own sessions only (a userId field is ignored)',
    action: endOtherSessionsAction,
    call: (world) => endOtherSessionsAction({ status: 'idle' }, form({ userId: world.people.owner.id })),
    cases: [
      { who: 'guest', target: 'owners', expect: 'unauthorized' },
      { who: 'deletedAdmin', target: 'owners', expect: 'unauthorized' },
      { who: 'intruder', target: 'owners', expect: 'redirect:/login?callbackUrl=%2Faccount', effect: sessionsEndedFor('intruder', { newPassword: false }) },
    ],
  },

  'app/admin/actions.ts#setConfirmedLabelAction': {
    rule: 'admins only (the role as stored now, not as at sign-in), on any prediction; users (the row’s owner too) are forbidden',
    action: setConfirmedLabelAction,
    call: (world, target) => setConfirmedLabelAction({ predictionId: idFor(target, world.prediction), correctLabel: 'dog' }),
    cases: [
      ...NON_ADMINS_REFUSED,
      { who: 'admin', target: 'random', expect: 'not_found' },
      { who: 'admin', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'success', effect: reviewedDog },
    ],
  },

  // The purges' successful runs on real data are in admin-data.test.ts; here
  // the date purge runs on a day before any row (the shared test database
  // holds other files' rows), and the guest purge is refused without its
  // confirmation word.
  'app/admin/actions.ts#purgeGuestPredictionsAction': {
    rule: 'admins only (the role as stored now), with PURGE typed',
    action: purgeGuestPredictionsAction,
    call: (_world, target) => purgeGuestPredictionsAction({ status: 'idle' }, form({ confirm: target === 'junk' ? 'purge please' : 'PURGE' })),
    cases: [
      ...NON_ADMINS_REFUSED,
      { who: 'admin', target: 'junk', expect: 'invalid_data' },
    ],
  },

  'app/admin/actions.ts#purgePredictionsBeforeAction': {
    rule: 'admins only (the role as stored now), with PURGE typed and a valid past day',
    action: purgePredictionsBeforeAction,
    call: (_world, target) => purgePredictionsBeforeAction({ status: 'idle' }, form({ confirm: 'PURGE', before: target === 'junk' ? 'yesterday' : '1990-01-01' })),
    cases: [
      ...NON_ADMINS_REFUSED,
      { who: 'admin', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'success', effect: (before, after) => expect(after).toEqual(before) },
    ],
  },

  'app/admin/actions.ts#deleteUserAsAdminAction': {
    rule: 'admins only (the role as stored now), with PURGE typed; the account named goes with everything of its own, nobody else’s',
    action: deleteUserAsAdminAction,
    call: (world, target) =>
      deleteUserAsAdminAction(
        { status: 'idle' },
        form({ confirm: 'PURGE', email: target === 'owners' ? world.people.owner.email : target === 'random' ? `${randomUUID()}@example.test` : 'not an email' }),
      ),
    cases: [
      ...NON_ADMINS_REFUSED,
      { who: 'admin', target: 'random', expect: 'not_found' },
      { who: 'admin', target: 'junk', expect: 'invalid_data' },
      { who: 'admin', target: 'owners', expect: 'success', effect: ownerGone },
    ],
  },
};

// ---- finding every action -----------------------------------------------------

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) return rel === 'lib/generated' ? [] : sourceFiles(rel);
      return /\.(ts|tsx|js|jsx|mjs)$/.test(e.name) ? [rel] : [];
    }),
  );
  return nested.flat();
}

const DIRECTIVE = /^\s*['"]use server['"];?\s*$/m;

/** True when the module's first statement (after comments) is 'use server'. */
function isServerModule(source: string): boolean {
  const code = source.replace(/^(\s*(\/\/[^\n]*|\/\*[\s\S]*?\*\/))*/, '');
  return /^\s*['"]use server['"]/.test(code);
}

/** Every exported function of every 'use server' module under app/, keyed like MATRIX. */
async function discoverActions(): Promise<Map<string, unknown>> {
  const actions = new Map<string, unknown>();
  for (const file of await sourceFiles('app')) {
    if (!isServerModule(await readFile(path.join(ROOT, file), 'utf8'))) continue;
    const exports = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) if (name !== '__esModule') actions.set(`${file}#${name}`, value);
  }
  return actions;
}

describe('the matrix covers every server action', () => {
  it('every exported action under app/ has an entry (and every entry is a real action)', async () => {
    const discovered = await discoverActions();
    const missing = [...discovered.keys()].filter((key) => !(key in MATRIX));
    const stale = Object.keys(MATRIX).filter((key) => !discovered.has(key));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    for (const [key, value] of discovered) {
      expect({ key, isFunction: typeof value === 'function' }).toEqual({ key, isFunction: true });
      expect({ key, same: value === MATRIX[key]!.action }).toEqual({ key, same: true });
    }
    // Sanity: the scan sees the modules the app has.
    expect(discovered.size).toBeGreaterThanOrEqual(8);
  });

  it('no server action hides outside those modules (an inline "use server" would escape the scan)', async () => {
    const inline: string[] = [];
    for (const file of [...(await sourceFiles('app')), ...(await sourceFiles('components')), ...(await sourceFiles('lib'))]) {
      const source = await readFile(path.join(ROOT, file), 'utf8');
      if (DIRECTIVE.test(source) && !(file.startsWith('app/') && isServerModule(source))) inline.push(file);
    }
    expect(inline).toEqual([]);
  });
});

// ---- running it ---------------------------------------------------------------

describe.each(Object.entries(MATRIX))('%s', (_key, entry) => {
  it(`${entry.rule}`, async () => {
    cat ??= await readSample('cat');
    const world = await makeWorld();
    for (const { who, target, expect: status, effect } of entry.cases) {
      const before = await snapshot(world);
      sessionAs(world, who);
      const state = await outcome(entry.call(world, target));
      const after = await snapshot(world);
      const what = `${who} on ${target}`;
      expect({ what, status: statusOf(state) }).toEqual({ what, status });
      if (effect) {
        await effect(before, after, world);
        continue;
      }
      expect({ what, unchanged: after }).toEqual({ what, unchanged: before });
      if (status !== 'success') {
        // A refusal says why and carries nothing else: no row, no id, no token (at most the name of the field it is about).
        const field = (state as { field?: unknown }).field;
        expect({ what, state }).toEqual({ what, state: { status, message: expect.stringMatching(/\S/), ...(field === undefined ? {} : { field: expect.stringMatching(FORM_FIELD) }) } });
      }
    }
  });
});
