import type { DefaultSession } from 'next-auth';

type Role = 'user' | 'admin';

declare module 'next-auth' {
  interface Session {
    user: DefaultSession['user'] & { id: string; role: Role; sessionVersion?: number };
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
    /** The account's session version at sign-in; absent in tokens issued before versions existed (counts as 0). */
    sessionVersion?: number;
  }
}
