import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ChangePasswordForm } from '~/components/account/change-password-form';
import { CreateTokenForm } from '~/components/account/create-token-form';
import { DeleteAccountForm } from '~/components/account/delete-account-form';
import { EndOtherSessionsForm } from '~/components/account/end-other-sessions-form';
import { RevokeTokenButton } from '~/components/account/revoke-token-button';
import { API_TOKEN } from '~/lib/config';
import { requireUser } from '~/lib/server/auth';
import { PASSWORD_SET_BY_ENVIRONMENT, passwordSetByEnvironment } from '~/lib/server/environment-admin';
import { getApiTokensByUserId } from '~/lib/server/queries/api-tokens';

export const metadata: Metadata = { title: 'Account' };

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export default async function AccountPage() {
  const user = await requireUser('/account');
  const passwordFromEnvironment = passwordSetByEnvironment(user.email);
  const tokens = await getApiTokensByUserId({ userId: user.id });

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">Signed in as {user.email}.</p>
      </div>
      <AccountSection
        id="api-tokens"
        title="API tokens"
        description={
          <>
            Send <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> with <code className="font-mono">POST /api/v1/predict</code> and the
            predictions are saved to your history. Anonymous calls work too, but are rate-limited and never saved. The API is described at{' '}
            <a href="/api/v1/openapi.json" className="underline underline-offset-4">
              /api/v1/openapi.json
            </a>
            .
          </>
        }
      >
        <CreateTokenForm maxNameLength={API_TOKEN.nameMaxLength} />
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="no-tokens">
            No tokens yet.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 dark:divide-slate-800 dark:border-slate-800" data-testid="token-list">
            {tokens.map((token) => (
              <li key={token.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="token-row" data-revoked={token.revokedAt ? 'true' : 'false'}>
                <div className="min-w-0 space-y-0.5">
                  <p className="font-medium break-words">
                    {token.name} <code className="ml-1 font-mono text-xs text-slate-500 dark:text-slate-400">{token.prefix}…</code>
                  </p>
                  <p className="text-xs text-slate-600 dark:text-slate-300">
                    Created {dateFormat.format(token.createdAt)} UTC · {token.lastUsedAt ? `last used ${dateFormat.format(token.lastUsedAt)} UTC` : 'never used'}
                    {token.revokedAt ? ` · revoked ${dateFormat.format(token.revokedAt)} UTC` : ''}
                  </p>
                </div>
                <RevokeTokenButton tokenId={token.id} name={token.name} revoked={token.revokedAt !== null} headingId="api-tokens" />
              </li>
            ))}
          </ul>
        )}
      </AccountSection>
      <AccountSection
        id="password-and-sessions"
        title="Password and sessions"
        description={
          passwordFromEnvironment
            ? 'Neither a new ADMIN_PASSWORD nor signing out everywhere else affects API tokens: revoke them above.'
            : 'Changing your password signs you out on every other device and browser; this one stays signed in. API tokens are not affected: revoke them above.'
        }
      >
        {passwordFromEnvironment ? (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="password-set-by-environment">
            {PASSWORD_SET_BY_ENVIRONMENT}
          </p>
        ) : (
          <ChangePasswordForm email={user.email} />
        )}
        <div className="space-y-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <p className="text-sm text-slate-600 dark:text-slate-300">Signed in on a computer you no longer use? End every session but this one.</p>
          <EndOtherSessionsForm />
        </div>
      </AccountSection>
      <AccountSection
        id="delete-account"
        title="Delete your account"
        description={`Deletes your account, every prediction in your history with its thumbnail, and your API tokens, at once and for good. You are signed out.${
          user.role === 'admin' ? ' The last admin cannot be deleted: make another admin first.' : ''
        }`}
        className="rounded-2xl border border-red-200 p-4 dark:border-red-900"
      >
        <DeleteAccountForm email={user.email} />
      </AccountSection>
    </div>
  );
}

/**
 * One part of the page: a heading that labels the section, a sentence on what
 * it does, then its forms. The heading is focusable from script (tabIndex -1,
 * not in the tab order): focus goes to "API tokens" after a token is revoked.
 */
function AccountSection({ id, title, description, className = '', children }: { id: string; title: string; description: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={`space-y-4 ${className}`.trim()} aria-labelledby={id}>
      <div>
        <h2 id={id} tabIndex={-1} className="text-lg font-semibold">
          {title}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">{description}</p>
      </div>
      {children}
    </section>
  );
}
