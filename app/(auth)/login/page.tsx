import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '~/components/auth/login-form';
import { Card } from '~/components/ui/card';
import { safeCallbackUrl } from '~/lib/safe-redirect';
import { getCurrentUser } from '~/lib/server/auth';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <Card className="mx-auto max-w-sm space-y-6 p-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Keep a history of your photos and help the model learn.</p>
      </div>
      <LoginForm callbackUrl={callbackUrl} justSignedUp={params.signedUp === '1'} />
    </Card>
  );
}
