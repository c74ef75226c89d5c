import type { DefaultSession } from 'next-auth';

type Role = 'user' | 'admin';

declare module 'next-auth' {
  interface Session {
    user: DefaultSession['user'] & { id: string; role: Role; sessionVersion?: number; sid?: string; signedInAt?: number };
  }
  interface User {
    id: string;
    role: Role;
    sessionVersion?: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    id: string;
    role: Role;
    /** The account's session version at sign-in; absent only in tokens from before versions existed, which are refused. */
    sessionVersion?: number;
    /** A random id of the sign-in this token comes from, kept by every token re-issued from it; signing out ends it (EndedSession). */
    sid?: string;
    /** When that sign-in was, in seconds since the epoch: a sign-in lasts 30 days at most, however often its token is re-issued. */
    signedInAt?: number;
  }
}
