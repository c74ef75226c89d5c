import 'server-only';

// The implementation is plain Node (lib/password.ts) so the admin CLI can share it.
export { hashPassword, verifyAgainstDummy, verifyPassword } from '~/lib/password';
