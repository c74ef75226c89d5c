/** For the tests that watch processes end; the check itself is the one lib/db/embedded.ts waits with. */
export { isRunning } from '~/lib/proc';
