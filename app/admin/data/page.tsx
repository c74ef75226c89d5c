import type { Metadata } from 'next';
import { Section } from '~/components/admin/dashboard-sections';
import { count } from '~/components/admin/format';
import { DeleteUserForm, PurgeGuestPredictionsForm, PurgePredictionsBeforeForm } from '~/components/admin/purge-forms';
import { env } from '~/lib/env';
import { requireAdmin } from '~/lib/server/auth';
import { getDataOverview } from '~/lib/server/queries/admin';

export const metadata: Metadata = { title: 'Data' };

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** What is stored, and the purges: guest uploads, everything before a day, one account. */
export default async function AdminDataPage() {
  await requireAdmin('/admin/data');
  const overview = await getDataOverview();
  const days = env.GUEST_RETENTION_DAYS;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Data</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <span data-testid="data-predictions" data-value={overview.predictions}>
            {count(overview.predictions)} predictions stored
          </span>
          {overview.oldestAt ? `, the oldest from ${dateFormat.format(overview.oldestAt)} UTC` : ''}. Every purge is final.
        </p>
      </div>

      <Section
        title="Guest uploads"
        id="guest-uploads"
        description={
          days === 0
            ? 'GUEST_RETENTION_DAYS is 0: guests’ uploads are not stored, and any kept under an earlier setting are deleted when the server starts and every hour.'
            : `GUEST_RETENTION_DAYS is ${days}: a guest’s upload is kept (thumbnail and answer, no owner) for review and deleted automatically after ${days} day${days === 1 ? '' : 's'}.`
        }
      >
        <p className="text-sm">
          <span data-testid="data-guest-predictions" data-value={overview.guestPredictions}>
            {count(overview.guestPredictions)} guest uploads kept
          </span>
          {overview.oldestGuestAt ? `, the oldest from ${dateFormat.format(overview.oldestGuestAt)} UTC` : ''}.
        </p>
        <PurgeGuestPredictionsForm />
      </Section>

      <Section
        title="Predictions before a day"
        id="purge-before"
        description="Deletes everyone’s predictions (users’ and guests’) created before 00:00 UTC of the chosen day, with their thumbnails and feedback. The accuracy figures lose them too."
      >
        <PurgePredictionsBeforeForm today={new Date().toISOString().slice(0, 10)} />
      </Section>

      <Section
        title="Delete an account"
        id="delete-account"
        description="Deletes the account with this email address, all its predictions with their thumbnails, and its API tokens. Your own account is deleted from your account page; the last admin cannot be deleted."
      >
        <DeleteUserForm />
      </Section>
    </div>
  );
}
