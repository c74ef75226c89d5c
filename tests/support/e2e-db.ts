/**
 * The e2e files' direct line to the launcher's embedded PostgreSQL, for
 * setting up rows the UI would take long to make and for checking what was
 * stored.
 */
export { connectToServerDatabase } from '~/scripts/lib/production-server';
export { insertApiToken, insertUser } from '~/scripts/lib/server-rows';
