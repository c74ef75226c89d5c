/**
 * End to end, the admin flow: the production server started by `npm start`'s
 * launcher with ADMIN_EMAIL/ADMIN_PASSWORD (so the launcher makes the admin),
 * its own embedded PostgreSQL, Debian's Chromium. A user uploads a cat and
 * says it is a dog; guests and that user are kept out of every admin
 * surface over HTTP; the admin signs in, sees the figures, fixes the label
 * in the review queue and downloads the CSV. Then the admin purges on
 * /admin/data (a date purge, an account) and the deleted user is signed out.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { cookieHeader, signIn, signOut, signUp } from '../support/e2e-auth';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';
import { refusedFieldMessage } from '../support/e2e-page';
import { SAMPLE_PHOTOS } from '../fixtures/images';

const CAT = SAMPLE_PHOTOS.cat;
const ADMIN = { email: 'e2e-admin@example.test', password: 'e2e admin password 789' };

let server: E2eServer;
let baseUrl: string;
let logFile: string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium(['--disable-quic']);
  if (!existsSync(CAT)) throw new Error(`${CAT} is missing: the e2e test needs ../shared/data`);
  server = await startE2eServer(
    'admin',
    {
      // Sign-ins, sign-ups and uploads in quick succession: no rate limits.
      SIGN_IN_RATE_LIMIT: '0',
      SIGN_UP_RATE_LIMIT: '0',
      UPLOAD_RATE_LIMIT: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    400_000,
  );
  ({ baseUrl, logFile } = server);
}, 420_000);

afterAll(async () => {
  await browser?.close();
  // Also checks that the launcher stopped its PostgreSQL (no postmaster.pid left behind).
  await server?.stop();
}, 60_000);

/** Where a plain request for `pagePath` with `cookie` is redirected to (its path). */
async function redirectedTo(pagePath: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}${pagePath}`, { headers: { cookie }, redirect: 'manual' });
  expect([302, 303, 307, 308]).toContain(response.status);
  return new URL(response.headers.get('location')!, baseUrl).pathname;
}

it('keeps guests and users out, and lets the admin review a label and export CSV', async () => {
  // A user uploads a cat and says it is a dog: a misclassification for the queue.
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signUp(userPage, baseUrl, `e2e-user-${Date.now()}@example.test`, 'e2e user password 123');
  await userPage.locator('[data-testid=dropzone][data-ready=true]').waitFor();
  await userPage.getByTestId('file-input').setInputFiles(CAT);
  await userPage.getByTestId('prediction-label').waitFor({ timeout: 30_000 });
  expect((await userPage.getByTestId('prediction-label').textContent())?.trim()).toBe('cat');
  await userPage.getByTestId('feedback-dog').click();
  await userPage.getByText('Saved: corrected to Dog.').waitFor();
  await userPage.goto(`${baseUrl}/history`);
  await userPage.getByTestId('history-item').first().getByRole('link').click();
  await userPage.waitForURL(/\/history\/[0-9a-f-]{36}$/);
  const predictionId = userPage.url().split('/').pop()!;

  // Guests and the user, over plain HTTP: pages redirect, routes say 401 / 403.
  const userCookie = await cookieHeader(userContext);
  for (const [who, cookie] of [['guest', ''], ['user', userCookie]] as const) {
    for (const pagePath of ['/admin', '/admin/review', '/admin?from=2026-01-01']) {
      expect(await redirectedTo(pagePath, cookie)).toBe(who === 'guest' ? '/login' : '/');
    }
    for (const route of ['/admin/export.csv', `/admin/predictions/${predictionId}/thumbnail`]) {
      const response = await fetch(`${baseUrl}${route}`, { headers: { cookie }, redirect: 'manual' });
      expect(response.status).toBe(who === 'guest' ? 401 : 403);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
    }
  }
  // The sign-up form never makes admins: the user's session stays a user's.
  await userPage.goto(`${baseUrl}/admin`);
  expect(new URL(userPage.url()).pathname).toBe('/');
  // Signed out, a copy of that cookie gets sign-in, as a guest and a signed-out admin's copy (below) do: the redirect
  // comes from the account as stored, not from the token, so it does not tell whose token it was.
  await signOut(userPage);
  expect(await redirectedTo('/admin', userCookie)).toBe('/login');
  await userContext.close();

  // The admin (made by the launcher from ADMIN_EMAIL/ADMIN_PASSWORD).
  const adminContext = await browser.newContext({ acceptDownloads: true });
  const page = await adminContext.newPage();
  try {
    await signIn(page, baseUrl, ADMIN.email, ADMIN.password, '/admin');
    await page.waitForURL(`${baseUrl}/admin`);
    await page.getByRole('heading', { name: 'Model in the wild' }).waitFor();
    await expect(page.getByTestId('overview-with-feedback').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('confusion-dog-cat').getAttribute('data-value')).resolves.toBe('1');
    await expect(page.getByTestId('class-cat-predicted').getAttribute('data-value')).resolves.toBe('1');
    // the charts render in the browser (client leaves)
    await page.locator('section:has(#per-week) svg.recharts-surface').first().waitFor({ timeout: 10_000 });
    // At a desktop width (1280 px) every table the dashboard shows has room for all its columns: none scrolls sideways.
    const scrolling = await page.$$eval('main section .overflow-x-auto', (boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth).map((box) => box.closest('section')?.querySelector('h2')?.textContent));
    expect(scrolling).toEqual([]);

    // ADMIN_PASSWORD sets this admin's password at every start: /account says so instead of offering a change that the
    // next start would undo.
    await page.goto(`${baseUrl}/account`);
    await page.getByTestId('password-set-by-environment').waitFor();
    expect(await page.getByTestId('change-password').count()).toBe(0);
    await page.goto(`${baseUrl}/admin`);

    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.waitForURL(`${baseUrl}/admin/review`);
    const item = page.locator(`[data-testid=review-item][data-prediction-id="${predictionId}"]`);
    await item.waitFor();
    // An old link whose page cursor names a prediction since deleted starts at the newest page, not an empty list.
    expect((await page.goto(`${baseUrl}/admin/review?older=00000000-0000-4000-8000-000000000000`))?.status()).toBe(200);
    await item.waitFor();
    expect(await page.getByTestId('review-empty').count()).toBe(0);
    const thumbnail = item.locator('img');
    await page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0, await thumbnail.elementHandle());
    await expect(item.getByTestId('review-set-dog').getAttribute('aria-pressed')).resolves.toBe('true');
    await item.getByText('✎ misclassified').waitFor();
    expect(await item.getByTestId('review-reviewed').count()).toBe(0);
    await item.locator('fieldset[data-ready=true]').waitFor();
    await item.getByTestId('review-set-cat').click();
    await page.waitForFunction((el) => el !== null && /confirmed|could not|not allowed|sign in/i.test(el.textContent ?? ''), await item.getByTestId('review-status').elementHandle());
    expect(await item.getByTestId('review-status').textContent()).toBe('Prediction confirmed.');
    await expect(item.getByTestId('review-set-cat').getAttribute('aria-pressed')).resolves.toBe('true');
    // The card's badges follow the label just set, without a reload: no longer misclassified, and reviewed.
    expect(await item.getByText('✎ misclassified').count()).toBe(0);
    await expect(item.getByTestId('review-reviewed').textContent()).resolves.toBe('✓ reviewed just now');
    // Stored: it has left the misclassified list (confirmed as predicted, it is no longer misclassified).
    await page.goto(`${baseUrl}/admin/review?kind=misclassified`);
    await page.getByTestId('review-empty').waitFor();
    // The switch to the reviewed ones too keeps the kind chosen (which items it lists: tests/app/admin.test.ts).
    await page.getByTestId('review-toggle-reviewed').click();
    await page.waitForURL(`${baseUrl}/admin/review?kind=misclassified&reviewed=1`);
    await page.getByTestId('review-toggle-reviewed').getByText('Hide reviewed').waitFor();

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await expect(page.getByTestId('confusion-cat-cat').getAttribute('data-value')).resolves.toBe('1');
    await expect(page.getByTestId('confusion-dog-cat').getAttribute('data-value')).resolves.toBe('0');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^petlens-predictions-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, row, end] = csv.split('\r\n');
    expect(end).toBe('');
    const columns = header!.split(',');
    const cells = row!.split(',');
    expect(cells[columns.indexOf('prediction_id')]).toBe(predictionId);
    expect(cells[columns.indexOf('predicted_label')]).toBe('cat');
    expect(cells[columns.indexOf('confirmed_label')]).toBe('cat');
    expect(cells[columns.indexOf('correct')]).toBe('true');

    // The filter form (a plain GET form): the prediction's model version keeps it, the CSV link carries the filter, Clear drops it.
    const filters = page.getByRole('search', { name: 'Filter the dashboard' });
    await expect(filters.getByRole('link', { name: 'Clear', exact: true }).count()).resolves.toBe(0);
    const version = (await filters.getByLabel('Model').locator('option').nth(1).getAttribute('value'))!;
    // One model, by the name and version its card gives.
    expect(version).toMatch(/^petlens-mobilenetv3-small@\d+\.\d+\.\d+$/);
    await filters.getByLabel('Model').selectOption(version);
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('model') === version);
    await expect(page.getByTestId('confusion-cat-cat').getAttribute('data-value')).resolves.toBe('1');
    await expect(page.getByTestId('export-csv').getAttribute('href')).resolves.toBe(`/admin/export.csv?model=${encodeURIComponent(version)}`);
    await filters.getByRole('link', { name: 'Clear', exact: true }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await expect(page.getByTestId('export-csv').getAttribute('href')).resolves.toBe('/admin/export.csv');
    await expect(filters.getByLabel('Model').inputValue()).resolves.toBe('');

    const adminCookie = await cookieHeader(adminContext);
    await signOut(page);
    expect(await redirectedTo('/admin', adminCookie)).toBe('/login');
  } finally {
    await adminContext.close();
  }
  await expect(readFile(logFile, 'utf8')).resolves.toMatch(/admin e2e-admin@example\.test: created/);
});

it('the admin purges from /admin/data in Chromium, and a deleted account is signed out at its next request', async () => {
  const userContext = await browser.newContext();
  const adminContext = await browser.newContext();
  const email = `e2e-doomed-${Date.now()}@example.test`;
  try {
    const userPage = await userContext.newPage();
    await signUp(userPage, baseUrl, email, 'e2e doomed password 456');

    const page = await adminContext.newPage();
    await signIn(page, baseUrl, ADMIN.email, ADMIN.password, '/admin');
    await page.getByRole('link', { name: 'Data' }).click();
    await page.waitForURL(`${baseUrl}/admin/data`);

    // A day before any row: the purge runs and reports what it removed.
    await page.locator('#purge-before-day').fill('1990-01-01');
    await page.locator('#purge-before-confirm').fill('PURGE');
    await page.getByTestId('purge-before-submit').click();
    await expect(page.getByTestId('purge-before-result').textContent()).resolves.toBe('Removed 0 predictions created before 1990-01-01 (UTC).');

    // Without the confirmation word nothing happens; with it the account goes.
    await page.locator('#purge-user-email').fill(email);
    await page.locator('#purge-user-confirm').fill('purge');
    await page.getByTestId('purge-user-submit').click();
    // The message is under the field it is about, linked to it, and focus is there.
    await expect(refusedFieldMessage(page, 'purge-user-confirm')).resolves.toMatch(/PURGE/);
    await page.locator('#purge-user-email').fill(email);
    await page.locator('#purge-user-confirm').fill('PURGE');
    await page.getByTestId('purge-user-submit').click();
    await expect(page.getByTestId('purge-user-result').textContent()).resolves.toBe(`Deleted ${email} with 0 predictions and 0 API tokens.`);

    // The user's browser still holds its session cookie: the next page knows the account is gone.
    await userPage.goto(`${baseUrl}/history`);
    await userPage.waitForURL((url) => url.pathname === '/login');
  } finally {
    await userContext.close();
    await adminContext.close();
  }
});
