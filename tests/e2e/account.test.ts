/**
 * End to end, production build: a user creates an API token on /account in
 * Chromium, uses it against POST /api/v1/predict over real HTTP (the worker
 * pool under the production server), sees the result in their history, revokes the
 * token and is refused. Also health, an anonymous call, deleting the account,
 * and changing the password (which signs out every other browser).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page, Route } from 'playwright-core';
import { signIn, signOut, signUp } from '../support/e2e-auth';
import { fitsViewportWidth, refusedFieldMessage } from '../support/e2e-page';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';
import { SAMPLE_PHOTOS } from '../fixtures/images';

const CAT = SAMPLE_PHOTOS.cat;
const DOG = SAMPLE_PHOTOS.dog;

let server: E2eServer;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  if (!existsSync(CAT)) throw new Error(`${CAT} is missing: the e2e test needs ../shared/data`);
  server = await startE2eServer('account', {
    // Sign-ins, sign-ups and uploads in quick succession: no rate limits.
    SIGN_IN_RATE_LIMIT: '0',
    SIGN_UP_RATE_LIMIT: '0',
    UPLOAD_RATE_LIMIT: '0',
  });
  ({ baseUrl } = server);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  // Also checks that the launcher stopped its PostgreSQL (no postmaster.pid left behind).
  await server?.stop();
}, 60_000);

/** The token /account shows once, after creating it. */
async function shownToken(page: Page): Promise<string> {
  return ((await page.getByTestId('new-token').textContent({ timeout: 20_000 })) ?? '').trim();
}

/** Names and creates a token on /account; the token shown. */
async function createToken(page: Page, name: string): Promise<string> {
  await page.getByLabel('Token name').fill(name);
  await page.getByTestId('create-token').click();
  return shownToken(page);
}

async function predict(token: string | null): Promise<Response> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(await readFile(CAT))], { type: 'image/jpeg' }), 'cat.jpg');
  return fetch(`${baseUrl}/api/v1/predict`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

it('health is green on the production server and an anonymous call is classified but not stored', async () => {
  const health = (await (await fetch(`${baseUrl}/api/v1/health`)).json()) as { status: string; model: { executionProvider: string; workers: number } };
  expect(health.status).toBe('ok');
  expect(health.model.executionProvider).toBe('cpu');
  expect(health.model.workers).toBeGreaterThanOrEqual(1);
  const response = await predict(null);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ predictions: [{ label: 'cat' }], saved: false });
});

it('a user creates a token on /account, uses it, sees the prediction in the history, deletes it (from two tabs), revokes the token', async () => {
  // A context of its own (not browser.newPage()), so that a second tab shares the session.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const email = `api-${Date.now()}@example.test`;
    await signUp(page, baseUrl, email, 'correct horse battery');

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByTestId('no-tokens').waitFor();
    // A name of spaces passes the browser's `required`; the server's refusal is shown under the field, linked to it, with focus there.
    await page.getByLabel('Token name').fill('   ');
    await page.getByTestId('create-token').click();
    await expect(refusedFieldMessage(page, 'token-name')).resolves.toBe('Give the token a name');
    const token = await createToken(page, 'my script');
    // The one-time token is announced (role=alert), and the field's message is gone.
    await expect(page.getByRole('alert').filter({ hasText: 'Copy it now' }).count()).resolves.toBe(1);
    await expect(page.locator('#token-name').getAttribute('aria-invalid')).resolves.toBeNull();
    expect(token).toMatch(/^pl_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('token-row').first().waitFor();
    expect(await page.getByTestId('token-list').textContent()).toContain(token.slice(0, 10));
    // Shown once: a reload lists the prefix only.
    await page.reload();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);

    const response = await predict(token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { predictions: { label: string; id: string }[]; saved: boolean };
    expect(body).toMatchObject({ saved: true, predictions: [{ label: 'cat' }] });
    const id = body.predictions[0]!.id;
    // The history lists it, linking to its page, which shows its label.
    expect((await page.goto(`${baseUrl}/history`))?.status()).toBe(200);
    await page.locator(`[data-testid=history-item] a[href="/history/${id}"]`).first().waitFor();
    expect((await page.goto(`${baseUrl}/history/${id}`))?.status()).toBe(200);
    expect((await page.getByTestId('prediction-label').textContent())?.trim()).toBe('cat');

    // Deleted from a second tab: that tab lands on the history, told; this one, still showing it, is told it is gone.
    const secondTab = await context.newPage();
    try {
      await secondTab.goto(`${baseUrl}/history/${id}`);
      secondTab.once('dialog', (dialog) => void dialog.accept());
      await secondTab.getByTestId('delete-prediction').click();
      await secondTab.getByText('The prediction and its thumbnail were deleted.').waitFor();
      await secondTab.waitForURL(`${baseUrl}/history`);
    } finally {
      await secondTab.close();
    }
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('delete-prediction').click();
    await page.getByText('That prediction is no longer in your history').waitFor();
    await page.getByRole('link', { name: 'Back to your history' }).click();
    await page.waitForURL(`${baseUrl}/history`);
    await page.getByTestId('history-empty').waitFor();

    await page.goto(`${baseUrl}/account`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('revoke-token').click();
    await page.locator('[data-testid=token-row][data-revoked=true]').waitFor({ timeout: 20_000 });
    const refused = await predict(token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
  } finally {
    await context.close();
  }
});

it('a user deletes their account on /account: signed out, their token and history gone, the password no longer works', async () => {
  const page = await browser.newPage();
  try {
    const email = `delete-me-with-a-long-address-${Date.now()}@example.test`;
    const password = 'soon to be forgotten';
    await signUp(page, baseUrl, email, password);

    // On a phone, with a long address and a long token name that has no spaces.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${baseUrl}/account`);
    const token = await createToken(page, `doomed${'x'.repeat(50)}`);
    await page.getByTestId('token-row').first().waitFor();
    // Nothing is wider than the screen: no sideways scrolling.
    await expect(fitsViewportWidth(page)).resolves.toBe(true);
    const saved = await predict(token);
    expect(await saved.json()).toMatchObject({ saved: true });

    // A wrong password is refused at the field, which gets the focus, and nothing happens.
    const confirm = page.getByLabel('Your password, to confirm');
    await confirm.fill('not the password');
    await page.getByTestId('delete-account').click();
    await page.getByText('That is not your password. Nothing was removed.').waitFor({ timeout: 20_000 });
    expect(await confirm.getAttribute('aria-invalid')).toBe('true');
    await page.waitForFunction(() => document.activeElement?.id === 'delete-account-password');
    expect((await predict(token)).status).toBe(200);

    await confirm.fill(password);
    await page.getByTestId('delete-account').click();
    await page.getByRole('status').getByTestId('account-deleted').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    // Said once: the address loses it, so a reload or a bookmark does not say it again.
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await page.reload();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByTestId('account-deleted').count()).toBe(0);
    // Signed out on the server too: the history sends guests to sign-in.
    await page.goto(`${baseUrl}/history`);
    expect(new URL(page.url()).pathname).toBe('/login');

    expect((await predict(token)).status).toBe(401);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor({ timeout: 20_000 });
  } finally {
    await page.close();
  }
});

it('a user changes their password on /account: this browser stays signed in, the other is signed out, only the new password works; then signs out everywhere else', async () => {
  const here = await browser.newContext();
  const elsewhere = await browser.newContext();
  try {
    const email = `new-password-${Date.now()}@example.test`;
    const oldPassword = 'the old passphrase here';
    const newPassword = 'a fresh passphrase now';
    const page = await here.newPage();
    await signUp(page, baseUrl, email, oldPassword);
    const other = await elsewhere.newPage();
    await signIn(other, baseUrl, email, oldPassword, '/history');

    await page.goto(`${baseUrl}/account`);
    await page.getByLabel('Current password').fill('not the old one at all');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByTestId('change-password').click();
    await page.getByText('That is not your current password').waitFor({ timeout: 20_000 });
    // Focus lands on the field to fix.
    await page.waitForFunction(() => document.activeElement?.id === 'current-password');
    // Refused: the other browser is still signed in.
    await other.goto(`${baseUrl}/history`);
    expect(new URL(other.url()).pathname).toBe('/history');

    await page.getByLabel('Current password').fill(oldPassword);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByTestId('change-password').click();
    // Successes are alerts: a status region that arrives already filled is often not read.
    await page.getByRole('alert').filter({ hasText: 'Password changed. Every other session of yours has been signed out.' }).waitFor({ timeout: 20_000 });
    // This browser, on a fresh request with its re-issued cookie: still signed in.
    await page.goto(`${baseUrl}/history`);
    expect(new URL(page.url()).pathname).toBe('/history');
    await page.getByTestId('signed-in-as').waitFor();
    // The other browser: sent to sign in, where the old password no longer works and the new one does.
    await other.goto(`${baseUrl}/history`);
    expect(new URL(other.url()).pathname).toBe('/login');
    await other.getByLabel('Email').fill(email);
    await other.getByLabel('Password').fill(oldPassword);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByText('That email and password do not match an account.').waitFor({ timeout: 20_000 });
    await signIn(other, baseUrl, email, newPassword, '/history');

    // "Sign out everywhere else" from this browser ends the other's new session too, and not this one.
    // The other browser has the upload page open, shown signed in, when that happens.
    await other.goto(`${baseUrl}/`);
    await other.locator('[data-testid=dropzone][data-ready=true]').waitFor();
    await page.goto(`${baseUrl}/account`);
    await page.getByTestId('end-other-sessions').click();
    await page.getByText('Every other session of yours has been signed out.').waitFor({ timeout: 20_000 });
    // An upload from that stale page is answered, and it says it was not saved (rather than pass for a guest's).
    await other.getByTestId('file-input').setInputFiles([CAT]);
    await other.getByRole('note').filter({ hasText: 'You have been signed out, so this result was not saved to your history.' }).waitFor({ timeout: 30_000 });
    await expect(other.getByTestId('prediction-label').first().textContent()).resolves.toMatch(/cat/i);
    // The page then shows itself signed out, in place, its result kept: the header offers to sign in, and the upload
    // area says what is kept of a guest's photos instead of "saved to your history".
    await other.getByRole('link', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 });
    await other.getByTestId('guest-storage').waitFor();
    // The card asks them to sign in again, not to create the account they have.
    await other.getByRole('link', { name: 'Sign in again' }).waitFor();
    await expect(other.getByRole('link', { name: 'Create an account' }).count()).resolves.toBe(0);
    await expect(other.getByText('Results are saved to your history').count()).resolves.toBe(0);
    await expect(other.getByTestId('prediction-label').first().textContent()).resolves.toMatch(/cat/i);
    await other.goto(`${baseUrl}/history`);
    expect(new URL(other.url()).pathname).toBe('/login');
    await page.goto(`${baseUrl}/history`);
    expect(new URL(page.url()).pathname).toBe('/history');
  } finally {
    await here.close();
    await elsewhere.close();
  }
});

it('an upload page follows the session through a sign-out and a sign-in in another tab, each time it finds itself out of date', async () => {
  const context = await browser.newContext();
  try {
    const email = `two-tabs-${Date.now()}@example.test`;
    const password = 'two tabs, one browser';
    const page = await context.newPage();
    await signUp(page, baseUrl, email, password);
    await page.goto(`${baseUrl}/`);
    await page.locator('[data-testid=dropzone][data-ready=true]').waitFor();
    const tab = await context.newPage();
    await tab.goto(`${baseUrl}/`);
    const cards = page.getByTestId('prediction-label');
    const upload = async (file: string, count: number) => {
      await page.getByTestId('file-input').setInputFiles([file]);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=prediction-label]').length === n, count, { timeout: 30_000 });
    };

    // Signed out in the other tab: the first answer says so, and the page shows itself signed out.
    await signOut(tab);
    await upload(CAT, 1);
    await page.getByRole('note').filter({ hasText: 'You have been signed out, so this result was not saved' }).waitFor();
    await page.getByTestId('guest-storage').waitFor({ timeout: 20_000 });
    // Signed in again there: a photo added on the guest's page is not saved to the account, and the page follows
    // again (it used to refresh once only, and then answered every photo as a guest's, saving none).
    await signIn(tab, baseUrl, email, password);
    await upload(DOG, 2);
    await page.getByRole('note').filter({ hasText: 'This browser signed in to an account after this photo was added' }).waitFor();
    await page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(email);
    // From then on photos are saved as usual.
    await upload(CAT, 3);
    await page.getByRole('link', { name: 'View in history' }).waitFor();
    await tab.goto(`${baseUrl}/history`);
    expect(await tab.getByTestId('history-item').count()).toBe(1);
    expect(await cards.count()).toBe(3);
  } finally {
    await context.close();
  }
});

it('a sign-up whose automatic sign-in cannot reach the server is sent to sign in, told the account is ready, and can', async () => {
  const page = await browser.newPage();
  try {
    const email = `half-signed-up-${Date.now()}@example.test`;
    const password = 'created but not signed in';
    await page.goto(`${baseUrl}/signup`);
    // The account is created; the sign-in right after it fails on the network.
    await page.route('**/api/auth/callback/credentials**', (route) => route.abort('connectionreset'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/login\?.*signedUp=1/);
    // A status, not an alert: it comes from the URL, and going Back to the page must not announce it again.
    await page.getByRole('status').filter({ hasText: 'Your account is ready. Sign in to continue.' }).waitFor();
    // Said once: the address loses it, and a reload does not say it again.
    await page.waitForURL(`${baseUrl}/login`);
    await page.reload();
    await page.getByLabel('Email').waitFor();
    expect(await page.getByText('Your account is ready.').count()).toBe(0);
    await page.unroute('**/api/auth/callback/credentials**');
    await signIn(page, baseUrl, email, password);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe(email);
  } finally {
    await page.close();
  }
});

/**
 * A new user's /account page whose server action calls (POSTs carrying a Next-Action header) `handle` answers; the
 * page itself, and everything else, loads as ever. Returns the function that lets the calls through again.
 */
async function accountPageWithActionCalls(page: Page, emailPrefix: string, handle: (route: Route) => Promise<void>): Promise<() => Promise<void>> {
  await signUp(page, baseUrl, `${emailPrefix}-${Date.now()}@example.test`, 'correct horse battery');
  await page.goto(`${baseUrl}/account`);
  const actionCall = (url: URL) => url.pathname === '/account';
  await page.route(actionCall, (route) => (route.request().method() === 'POST' && route.request().headers()['next-action'] ? handle(route) : route.continue()));
  return () => page.unroute(actionCall);
}

it('a form on /account whose action cannot reach the server says so and keeps the page and what was typed', async () => {
  const page = await browser.newPage();
  try {
    // Server action calls fail on the network; the page itself loaded.
    const backOnline = await accountPageWithActionCalls(page, 'offline', (route) => route.abort('connectionreset'));
    await page.getByLabel('Token name').fill('my laptop');
    await page.getByTestId('create-token').click();
    await page.getByText('Could not reach the server. Please try again.').waitFor();
    expect(await page.getByLabel('Token name').inputValue()).toBe('my laptop');
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    // Back online, the same form works.
    await backOnline();
    await page.getByTestId('create-token').click();
    expect(await shownToken(page)).toMatch(/^pl_/);
  } finally {
    await page.close();
  }
});

it('a form on /account in a page older than the last deploy says to reload, and keeps what was typed', async () => {
  const page = await browser.newPage();
  try {
    // Its action is called by an id this build does not have, as a tab opened before a deploy does.
    const deployed = await accountPageWithActionCalls(page, 'outdated', (route) => route.continue({ headers: { ...route.request().headers(), 'next-action': '00'.repeat(21) } }));
    await page.getByLabel('Token name').fill('my laptop');
    await page.getByTestId('create-token').click();
    await page.getByRole('alert').filter({ hasText: 'PetLens has been updated since this page was opened. Reload the page, then try again.' }).waitFor();
    expect(await page.getByLabel('Token name').inputValue()).toBe('my laptop');
    await deployed();
    await page.reload();
    expect(await createToken(page, 'my laptop')).toMatch(/^pl_/);
  } finally {
    await page.close();
  }
});

it('the token form works before (or without) the page’s JavaScript: the server action is the form’s own action', async () => {
  const page = await browser.newPage();
  const withoutScripts = await browser.newContext({ javaScriptEnabled: false });
  try {
    await signUp(page, baseUrl, `no-js-${Date.now()}@example.test`, 'correct horse battery');
    await withoutScripts.addCookies(await page.context().cookies());
    const plain = await withoutScripts.newPage();
    await plain.goto(`${baseUrl}/account`);
    expect(await createToken(plain, 'from a plain form')).toMatch(/^pl_/);
    // Revoking asks first, which takes the page's script: without it the button cannot post unasked.
    await plain.getByTestId('token-row').first().waitFor();
    expect(await plain.getByTestId('revoke-token').first().isDisabled()).toBe(true);
  } finally {
    await withoutScripts.close();
    await page.close();
  }
});

it('sign-in and sign-up submitted before (or without) the page’s JavaScript never put the password in the URL', async () => {
  const withoutScripts = await browser.newContext({ javaScriptEnabled: false });
  try {
    const plain = await withoutScripts.newPage();
    for (const [path, button] of [['/login?callbackUrl=%2Fhistory', 'Sign in'], ['/signup', 'Create account']] as const) {
      await plain.goto(`${baseUrl}${path}`);
      await plain.getByLabel('Email').fill('early@example.test');
      await plain.getByLabel('Password', { exact: true }).fill('typed before the script ran');
      // Enter in a field is the browser's own (implicit) submission: with the submit button disabled it does nothing.
      await plain.getByLabel('Password', { exact: true }).press('Enter');
      await plain.waitForTimeout(300);
      expect(plain.url()).toBe(`${baseUrl}${path}`);
      expect(await plain.getByRole('button', { name: button }).isDisabled()).toBe(true);
      expect(await plain.getByLabel('Password', { exact: true }).inputValue()).toBe('typed before the script ran');
    }
  } finally {
    await withoutScripts.close();
  }
});
