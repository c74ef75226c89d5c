import 'server-only';

export { disconnectDb, getDb } from '~/lib/db/app-client';
