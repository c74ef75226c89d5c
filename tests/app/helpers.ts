/**
 * Shared helpers for the app suite: real users in the real test database,
 * and a way to be one of them (getServerSession is the only thing mocked).
 */
import { randomUUID } from 'node:crypto';
import { getServerSession, type Session } from 'next-auth';
import sharp from 'sharp';
import { THUMBNAIL, type Label } from '~/lib/config';
import { getDb } from '~/lib/server/db';
import { hashPassword } from '~/lib/server/password';
import { createPrediction, type NewPrediction } from '~/lib/server/queries/predictions';
import { createUser, type UserRecord } from '~/lib/server/queries/users';

export async function makeUser(role: 'user' | 'admin' = 'user'): Promise<UserRecord & { password: string }> {
  const password = `pw-${randomUUID()}`;
  const user = await createUser({ email: `user-${randomUUID()}@example.test`, passwordHash: await hashPassword(password), role });
  return { ...user, password };
}

/**
 * Runs `body` with the users in `keep` as the only admins: every other admin
 * in the shared test database is demoted meanwhile and promoted again after
 * (test files run one at a time).
 */
export async function withOnlyAdmins(keep: string[], body: () => Promise<void>): Promise<void> {
  const others = (await getDb().user.findMany({ where: { role: 'admin', id: { notIn: keep } }, select: { id: true } })).map((user) => user.id);
  await getDb().user.updateMany({ where: { id: { in: others } }, data: { role: 'user' } });
  try {
    await body();
  } finally {
    await getDb().user.updateMany({ where: { id: { in: others } }, data: { role: 'admin' } });
  }
}

/**
 * Runs `act` with console.error (or another console method) captured instead
 * of printed: the server log lines a path must write, as the arguments of each
 * call, for the caller to check. The console is restored whatever `act` does.
 */
export async function withLoggedErrors<T>(act: () => Promise<T>, method: 'error' | 'log' = 'error'): Promise<{ result: T; logged: unknown[][] }> {
  const spy = jest.spyOn(console, method).mockImplementation(() => {});
  try {
    const result = await act();
    // Copied before mockRestore, which clears them.
    return { result, logged: spy.mock.calls.map((call) => [...call]) };
  } finally {
    spy.mockRestore();
  }
}

/** Makes the next server calls run as `user`, signed in just now at session version 0, a new account's (or as a guest with null). */
export function actAs(user: UserRecord | null): void {
  const signIn = { sid: randomUUID(), signedInAt: Math.floor(Date.now() / 1000), sessionVersion: 0 };
  const session: Session | null = user
    ? { user: { id: user.id, email: user.email, role: user.role, ...signIn }, expires: new Date(Date.now() + 3_600_000).toISOString() }
    : null;
  jest.mocked(getServerSession).mockResolvedValue(session);
}

export function fileFrom(bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg'): File {
  return new File([Buffer.from(bytes)], name, { type });
}

/** A form with these fields, as a browser would post it. */
export function form(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

/** The upload form: `file` in its field, or no field at all for null. */
export function formWith(file: Blob | string | null): FormData {
  return form(file === null ? {} : { file });
}

/** A small valid WebP, for rows created directly through the query layer. */
export async function tinyWebp(): Promise<{ webp: Uint8Array; width: number; height: number }> {
  const webp = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#888' } }).webp().toBuffer();
  return { webp, width: 8, height: 6 };
}

/** A prediction as the admin figures see it, for rows written straight to the database. */
export interface Row {
  label: Label;
  correctLabel: Label | null;
  confidence: number;
  createdAt: Date;
}

/**
 * Stores `rows` for `userId` (null: a guest's kept upload), with a tiny thumbnail and made-up probabilities around the
 * confidence. A row's correctLabel is its owner's feedback (ownerLabel too); on a guest's row, which has no owner to
 * give any, an admin's label.
 */
export async function insertRows(rows: Row[], modelVersion: string, userId: string | null, modelName = 'admin-test-model'): Promise<void> {
  const thumb = await tinyWebp();
  await getDb().prediction.createMany({
    data: rows.map((row) => ({
      userId,
      label: row.label,
      confidence: row.confidence,
      pCat: row.label === 'cat' ? row.confidence : (1 - row.confidence) / 2,
      pDog: row.label === 'dog' ? row.confidence : (1 - row.confidence) / 2,
      pNeither: row.label === 'neither' ? row.confidence : (1 - row.confidence) / 2,
      modelName,
      modelVersion,
      executionProvider: 'cpu',
      latencyMs: 3,
      sha256: 'a'.repeat(64),
      thumbnail: Uint8Array.from(thumb.webp),
      thumbnailWidth: thumb.width,
      thumbnailHeight: thumb.height,
      correctLabel: row.correctLabel,
      ownerLabel: userId === null ? null : row.correctLabel,
      feedbackAt: row.correctLabel ? new Date(row.createdAt.getTime() + 60_000) : null,
      createdAt: row.createdAt,
    })),
  });
}

/**
 * A phone-like photo: EXIF with camera fields and orientation 6 (stored
 * sideways, displayed upright as a portrait).
 */
export async function phoneLikeJpeg(photo: Buffer): Promise<Buffer> {
  const phone = await sharp(photo)
    .resize(1600, 1200, { fit: 'fill' })
    .withExif({ IFD0: { Make: 'PetPhone', Model: 'X1', Copyright: 'someone', ImageDescription: 'secret place' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
  expect((await sharp(phone).metadata()).exif).toBeDefined();
  return phone;
}

/** A stored thumbnail of phoneLikeJpeg's photo: small WebP, upright, nothing of the camera's metadata. */
export async function expectCleanThumbnail(row: { thumbnail: Uint8Array; thumbnailWidth: number; thumbnailHeight: number }): Promise<void> {
  const meta = await sharp(row.thumbnail).metadata();
  expect(meta.format).toBe('webp');
  expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(THUMBNAIL.maxSide);
  // Orientation applied: 1600x1200 stored with orientation 6 displays as portrait.
  expect(meta.height!).toBeGreaterThan(meta.width!);
  expect({ w: row.thumbnailWidth, h: row.thumbnailHeight }).toEqual({ w: meta.width, h: meta.height });
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(Buffer.from(row.thumbnail).includes('PetPhone')).toBe(false);
}

/** What the database holds of one user: the account, its predictions and API tokens. */
export async function holdings(userId: string) {
  const db = getDb();
  return {
    users: await db.user.count({ where: { id: userId } }),
    predictions: await db.prediction.count({ where: { userId } }),
    apiTokens: await db.apiToken.count({ where: { userId } }),
  };
}

/** A stored prediction of `userId`, made through the query layer (no model run). */
export async function makePrediction(userId: string, label: Label, overrides: Partial<NewPrediction> = {}) {
  const p = { cat: 0.1, dog: 0.1, neither: 0.1, [label]: 0.8 };
  return createPrediction({
    userId,
    label,
    confidence: 0.8,
    probabilities: p,
    modelName: 'test-model',
    modelVersion: '1.0.0',
    executionProvider: 'cpu',
    latencyMs: 3.5,
    sha256: 'a'.repeat(64),
    thumbnail: await tinyWebp(),
    ...overrides,
  });
}
