/** Links between sign-in and sign-up that keep where the user was headed (a path `safeCallbackUrl` accepted). */
function withCallback(path: string, callbackUrl: string, extra: Record<string, string>): string {
  const params = new URLSearchParams(extra);
  if (callbackUrl !== '/') params.set('callbackUrl', callbackUrl);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The app's inline text link. */
export const linkClasses = 'font-medium text-brand-700 underline underline-offset-4 dark:text-brand-300';

export const signUpHref = (callbackUrl: string) => withCallback('/signup', callbackUrl, {});
export const loginHref = (callbackUrl: string, extra: Record<string, string> = {}) => withCallback('/login', callbackUrl, extra);
