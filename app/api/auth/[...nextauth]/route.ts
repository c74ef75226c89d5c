import NextAuth from 'next-auth';
import { authOptions, answerSessionEndpointAsGuest } from '~/lib/server/auth';

const nextAuth = NextAuth(authOptions);

interface NextAuthContext {
  params: Promise<{ nextauth: string[] }>;
}

/**
 * next-auth's endpoints, with one check added: its session endpoint (GET, and
 * POST for an update) decodes the token and answers with its claims, and
 * re-issues it, whatever the database says, so a token the app refuses
 * everywhere else (a copy kept after signing out, say), or cannot confirm
 * now, gets the guest's answer, `{}`, instead of its email and role.
 */
async function handler(request: Request, context: NextAuthContext): Promise<Response> {
  const { nextauth } = await context.params;
  // next-auth picks its action by the first segment alone: /api/auth/session/anything is the session endpoint too.
  if (nextauth[0] === 'session' && (await answerSessionEndpointAsGuest())) {
    return Response.json({});
  }
  return nextAuth(request, context);
}

export { handler as GET, handler as POST };
