/**
 * Shared helpers for the app suite: real users in the real test database,
 * and a way to be one of them (getServerSession is the only thing mocked).
 */
import { randomUUID } from 'node:crypto';
import { getServerSession, type Session } from 'next-auth';
import sharp from 'sharp';
import { hashPassword } from '~/lib/server/password';
import { createUser, type UserRecord } from '~/lib/server/queries/users';

export async function makeUser(role: 'user' | 'admin' = 'user'): Promise<UserRecord & { password: string }> {
  const password = `pw-${randomUUID()}`;
  const user = await createUser({ email: `user-${randomUUID()}@example.test`, passwordHash: await hashPassword(password), role });
  return { ...user, password };
}

/** Makes the next server calls run as `user` (or as a guest with null). */
export function actAs(user: UserRecord | null): void {
  const session: Session | null = user
    ? { user: { id: user.id, email: user.email, role: user.role }, expires: new Date(Date.now() + 3_600_000).toISOString() }
    : null;
  jest.mocked(getServerSession).mockResolvedValue(session);
}

export function fileFrom(bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg'): File {
  return new File([Buffer.from(bytes)], name, { type });
}

export function formWith(file: Blob | string | null): FormData {
  const form = new FormData();
  if (file !== null) form.set('file', file);
  return form;
}

/** A small valid WebP, for rows created directly through the query layer. */
export async function tinyWebp(): Promise<{ webp: Uint8Array; width: number; height: number }> {
  const webp = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#888' } }).webp().toBuffer();
  return { webp, width: 8, height: 6 };
}
