/**
 * The request header in which proxy.ts hands the pages it covers the path and
 * query they were asked for (on the paths it covers, always its own value or
 * none, never a client's; only layouts under those paths read it). Layouts
 * cannot see the query string, and a sign-in should come back to the filtered
 * list that was asked for, not the bare one.
 */
export const RETURN_TO_HEADER = 'x-petlens-return-to';
