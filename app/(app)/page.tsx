import { Alert } from '~/components/ui/alert';
import { ForgetSearchParam } from '~/components/ui/forget-search-param';
import { Uploader } from '~/components/upload/uploader';
import { env } from '~/lib/env';
import { getCurrentUser } from '~/lib/server/auth';

export default async function ClassifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getCurrentUser();
  const accountDeleted = !user && (await searchParams).account === 'deleted';
  return (
    <div className="space-y-8">
      {accountDeleted ? (
        <Alert tone="success" role="status">
          <span data-testid="account-deleted">Your account, its history and its API tokens have been deleted.</span>
          {/* Said once: a reload of this page must not say it again. */}
          <ForgetSearchParam name="account" />
        </Alert>
      ) : null}
      <div className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Cat, dog, or neither?</h1>
        <p className="text-lg text-slate-600 dark:text-slate-300">
          PetLens tells you what is in a photo in a blink. Drop one in to try it.
        </p>
      </div>
      <Uploader maxBytes={env.MAX_UPLOAD_BYTES} accountId={user?.id ?? null} guestRetentionDays={env.GUEST_RETENTION_DAYS} />
    </div>
  );
}
