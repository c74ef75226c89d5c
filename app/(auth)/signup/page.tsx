import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '~/components/auth/signup-form';
import { Card } from '~/components/ui/card';
import { safeCallbackUrl } from '~/lib/safe-redirect';
import { getCurrentUser } from '~/lib/server/auth';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <Card className="mx-auto max-w-sm space-y-6 p-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Your predictions are saved as small thumbnails you can delete at any time.</p>
      </div>
      <SignUpForm callbackUrl={callbackUrl} />
    </Card>
  );
}
