/** Links between sign-in and sign-up that keep where the user was headed (a path `safeCallbackUrl` accepted). */
function withCallback(path: string, callbackUrl: string, extra: Record<string, string>): string {
  const params = new URLSearchParams(extra);
  if (callbackUrl !== '/') params.set('callbackUrl', callbackUrl);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export const signUpHref = (callbackUrl: string) => withCallback('/signup', callbackUrl, {});
export const loginHref = (callbackUrl: string, extra: Record<string, string> = {}) => withCallback('/login', callbackUrl, extra);
