/**
 * Signing in as next-auth's credentials provider does: the app's own
 * `authorize`, with the credentials typed into the form and the request's
 * headers (only the address header is read, for the sign-in limits).
 */
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { authOptions } from '~/lib/server/auth';

/** The account next-auth would sign in with these credentials from `address` (none: a request without an address header), or null. */
export function authorize(credentials: Record<string, string>, address?: string) {
  const provider = authOptions.providers[0] as unknown as CredentialsConfig;
  const request = { headers: address ? { 'x-forwarded-for': address } : {} } as unknown as Parameters<CredentialsConfig['authorize']>[1];
  return provider.options.authorize!(credentials, request);
}
