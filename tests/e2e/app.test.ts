/**
 * End to end: the production build served by `npm start`'s launcher
 * (scripts/start.ts, which builds when .next is missing or stale) with its
 * own embedded PostgreSQL in a throwaway folder, driven through Debian's
 * Chromium with playwright-core. Real photos from ../shared/data.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import sharp from 'sharp';
import { signOut, signUp as signUpThroughForm } from '../support/e2e-auth';
import { fitsViewportWidth } from '../support/e2e-page';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';
import { SAMPLE_PHOTOS } from '../fixtures/images';

const PHOTOS = SAMPLE_PHOTOS;

let server: E2eServer;
let baseUrl: string;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium(['--disable-quic']);
  for (const file of Object.values(PHOTOS)) if (!existsSync(file)) throw new Error(`${file} is missing: the e2e test needs ../shared/data`);
  // Includes `next build` when .next is missing or stale.
  server = await startE2eServer('app', {
    // Sign-ins, sign-ups and uploads in quick succession: no rate limits.
    SIGN_IN_RATE_LIMIT: '0',
    SIGN_UP_RATE_LIMIT: '0',
    UPLOAD_RATE_LIMIT: '0',
  });
  ({ baseUrl, dataDir } = server);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  // Also checks that the launcher stopped its PostgreSQL (no postmaster.pid left behind).
  await server?.stop();
}, 60_000);

/** Chooses `files` in the upload page's file picker once the page's script runs. */
async function chooseFiles(page: Page, files: string[]): Promise<void> {
  await page.locator('[data-testid=dropzone][data-ready=true]').waitFor();
  await page.getByTestId('file-input').setInputFiles(files);
}

async function upload(page: Page, files: string[]): Promise<string[]> {
  const before = await page.getByTestId('prediction-label').count();
  await chooseFiles(page, files);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=prediction-label]').length === n, before + files.length, { timeout: 30_000 });
  // Newest batch first, in the order the files were given.
  return (await page.getByTestId('prediction-label').allTextContents()).slice(0, files.length).map((t) => t.trim());
}

interface PausedRequest {
  requestId: string;
  request: { method: string; headers: Record<string, string> };
  responseStatusCode?: number;
}

/** What becomes of a paused request; `headers` continues it with these request headers instead of its own. */
type InterceptDecision = 'continue' | 'fail' | 'hold' | { headers: Record<string, string> };

/**
 * Chromium's own interception of the requests to `/`, where the upload page's server actions post, at `stage`
 * (Playwright's route.fetch would resend an upload without its file). `decide` says what becomes of each request;
 * one it holds stays paused for the caller to continue through the returned session.
 */
async function interceptActions(page: Page, stage: 'Request' | 'Response', decide: (paused: PausedRequest) => InterceptDecision): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', (paused: PausedRequest) => {
    const action = decide(paused);
    if (action === 'hold') return;
    const { requestId } = paused;
    const sent =
      action === 'fail'
        ? cdp.send('Fetch.failRequest', { requestId, errorReason: 'ConnectionReset' })
        : cdp.send('Fetch.continueRequest', action === 'continue' ? { requestId } : { requestId, headers: Object.entries(action.headers).map(([name, value]) => ({ name, value })) });
    // A request still paused when the page closes cannot be continued: not a failure of the test.
    sent.catch((error: unknown) => console.warn(`CDP Fetch: ${String(error)}`));
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${baseUrl}/`, requestStage: stage }] });
  return cdp;
}

async function signUp(page: Page, email: string, password: string): Promise<void> {
  await signUpThroughForm(page, baseUrl, email, password);
  expect(await page.getByTestId('signed-in-as').textContent()).toBe(email);
}

/**
 * A signed-up user's upload page with three photos added, the first one's request held before it reaches the server
 * (so the other two wait behind it). `release` lets it go and stops intercepting; `uploadsSent` counts every upload
 * the page has sent, wherever it posted it (after a navigation Next posts to the page then shown).
 */
async function threePhotosFirstHeld(page: Page, emailPrefix: string): Promise<{ release: () => Promise<void>; uploadsSent: () => number }> {
  await signUp(page, `${emailPrefix}-${Date.now()}@example.test`, 'e2e password 123');
  let held: string | null = null;
  const cdp = await interceptActions(page, 'Request', ({ requestId, request }) => {
    if (request.method !== 'POST' || held !== null) return 'continue';
    held = requestId;
    return 'hold';
  });
  let sent = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.headers()['next-action'] !== undefined) sent += 1;
  });
  await chooseFiles(page, [PHOTOS.cat, PHOTOS.dog, PHOTOS.neither]);
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy=true]').length === 3);
  for (let waited = 0; held === null && waited < 100; waited++) await page.waitForTimeout(100);
  expect(held).not.toBeNull();
  return {
    release: async () => {
      await cdp.send('Fetch.continueRequest', { requestId: held! });
      await cdp.send('Fetch.disable');
    },
    uploadsSent: () => sent,
  };
}

it('a guest uploads a cat, a dog and something else and reads the right labels', async () => {
  const page = await browser.newPage();
  try {
    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/cat, dog, or neither/i);
    expect(await upload(page, [PHOTOS.cat, PHOTOS.dog, PHOTOS.neither])).toEqual(['cat', 'dog', 'neither']);
    // Guests are invited to sign up instead of giving feedback.
    expect(await page.getByTestId('feedback-confirm').count()).toBe(0);
  } finally {
    await page.close();
  }
});

it('a photo dropped beside the drop zone is classified like one dropped on it, and the page with its results stays', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    expect(await upload(page, [PHOTOS.cat])).toEqual(['cat']);
    const dog = (await readFile(PHOTOS.dog)).toString('base64');
    /** Drops the dog photo on `selector`; true when the page cancelled the drop (otherwise the browser opens the file instead). */
    const dropOn = (selector: string) =>
      page.evaluate(
        ({ selector, dog }) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([Uint8Array.from(atob(dog), (c) => c.charCodeAt(0))], 'dropped.jpg', { type: 'image/jpeg' }));
          const target = document.querySelector(selector)!;
          const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true });
          target.dispatchEvent(over);
          const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
          target.dispatchEvent(drop);
          return over.defaultPrevented && drop.defaultPrevented;
        },
        { selector, dog },
      );
    const labels = page.getByTestId('prediction-label');
    // On the heading, outside the zone: added (once), not left to the browser.
    await expect(dropOn('h1')).resolves.toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prediction-label]').length === 2, undefined, { timeout: 30_000 });
    await expect(labels.allTextContents()).resolves.toEqual(['dog', 'cat']);
    // On the zone itself: still added exactly once.
    await expect(dropOn('[data-testid=dropzone]')).resolves.toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prediction-label]').length === 3, undefined, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await expect(labels.allTextContents()).resolves.toEqual(['dog', 'dog', 'cat']);
    expect(await page.locator('[data-testid=results] > li').count()).toBe(3);

    // The zone lights up for files (and takes the drag, so its drop ends the light), not for dragged text.
    const enterZone = (kind: 'file' | 'text') =>
      page.evaluate((kind) => {
        const transfer = new DataTransfer();
        if (kind === 'file') transfer.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
        else transfer.setData('text/plain', 'some words');
        const enter = new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true });
        document.querySelector('[data-testid=dropzone]')!.dispatchEvent(enter);
        return enter.defaultPrevented;
      }, kind);
    const zone = page.getByTestId('dropzone');
    await expect(enterZone('text')).resolves.toBe(false);
    await expect(zone.getAttribute('data-dragging')).resolves.toBe('false');
    await expect(enterZone('file')).resolves.toBe(true);
    await page.waitForSelector('[data-testid=dropzone][data-dragging=true]');
    await zone.dispatchEvent('drop');
    await page.waitForSelector('[data-testid=dropzone][data-dragging=false]');
  } finally {
    await page.close();
  }
});

it('a photo chosen before the page’s script has run is classified once it runs', async () => {
  const page = await browser.newPage();
  let release!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  try {
    await page.route('**/_next/static/chunks/**', async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    // Deferred scripts hold back DOMContentLoaded: wait for the server-rendered input itself.
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid=dropzone][data-ready=true]').count()).toBe(0);
    await page.getByTestId('file-input').setInputFiles([PHOTOS.dog]);
    release();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prediction-label]').length === 1, undefined, { timeout: 30_000 });
    await expect(page.getByTestId('prediction-label').allTextContents()).resolves.toEqual(['dog']);
  } finally {
    release();
    await page.close();
  }
});

it('accepts a photo of almost 10 MB through the server action (Next’s 1 MB default is raised)', async () => {
  // A real cat photo upscaled with sensor-like grain: a large, honest JPEG.
  const cat = await sharp(PHOTOS.cat).resize(4400, 3300, { fit: 'fill' }).toBuffer();
  const grain = await sharp({ create: { width: 4400, height: 3300, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .png()
    .toBuffer();
  const big = await sharp(cat).composite([{ input: grain, blend: 'soft-light' }]).jpeg({ quality: 96 }).toBuffer();
  expect(big.byteLength).toBeGreaterThan(8 * 1024 * 1024);
  expect(big.byteLength).toBeLessThan(10 * 1024 * 1024);
  const file = path.join(dataDir, 'big-cat.jpg');
  await writeFile(file, big);
  const page = await browser.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    expect(await upload(page, [file])).toEqual(['cat']);
  } finally {
    await page.close();
  }
});

it('"Try again" after an answer lost on the way back classifies the photo and keeps it once in the history', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signUp(page, `e2e-retry-${Date.now()}@example.test`, 'e2e password 123');
    // The first upload reaches the server, which classifies and stores it, but its answer never comes back: the
    // response is cut at the response stage, after the action ran.
    let lost = 0;
    await interceptActions(page, 'Response', ({ request, responseStatusCode }) => {
      const cut = request.method === 'POST' && responseStatusCode === 200 && lost === 0;
      if (cut) lost += 1;
      return cut ? 'fail' : 'continue';
    });
    await chooseFiles(page, [PHOTOS.cat]);
    await page.getByText('The upload did not go through. Check your connection and try again.').waitFor({ timeout: 30_000 });
    expect(lost).toBe(1);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('prediction-label').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('prediction-label').allTextContents()).resolves.toEqual(['cat']);
    await expect(page.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(0);
    // Sent twice with the card's upload key, stored once.
    await page.goto(`${baseUrl}/history`);
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
  } finally {
    await context.close();
  }
});

it('a page older than the last deploy says to reload it, instead of offering a retry that cannot work', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${baseUrl}/`);
    // The upload calls its action by an id this build does not have, as a tab opened before a deploy does.
    const cdp = await interceptActions(page, 'Request', ({ request }) => {
      if (request.method !== 'POST') return 'continue';
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'next-action'));
      return { headers: { ...headers, 'Next-Action': '00'.repeat(21) } };
    });
    await chooseFiles(page, [PHOTOS.cat]);
    await page.getByText('PetLens has been updated since this page was opened. Reload the page, then try again.').waitFor({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(0);
    // Reloaded (the build's own action ids again), it works.
    await cdp.send('Fetch.disable');
    await page.reload();
    expect(await upload(page, [PHOTOS.cat])).toEqual(['cat']);
  } finally {
    await page.close();
  }
});

it('a card removed before its turn is never sent; one removed while it is being sent says its result will still be saved', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const { release, uploadsSent } = await threePhotosFirstHeld(page, 'e2e-remove');
    const remove = (file: string) => page.getByRole('button', { name: `Remove ${path.basename(file)} from the list` }).click();
    // The dog waits its turn: removed, it is never sent. The cat is on its way: removed, the page says what follows.
    await remove(PHOTOS.dog);
    await remove(PHOTOS.cat);
    await page.getByRole('status').filter({ hasText: `${path.basename(PHOTOS.cat)} had already been sent, so its result will still be saved to your history` }).waitFor();
    await release();
    // The third photo is answered on its card, the only one left.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=prediction-label]').length === 1, null, { timeout: 30_000 });
    await expect(page.getByTestId('results').locator('li').count()).resolves.toBe(1);
    await page.waitForTimeout(500);
    expect(uploadsSent()).toBe(2);
    await page.goto(`${baseUrl}/history`);
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(2);
  } finally {
    await context.close();
  }
});

it('photos still waiting their turn are not sent once the user leaves the page', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const { release, uploadsSent } = await threePhotosFirstHeld(page, 'e2e-leave');
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await page.waitForURL(`${baseUrl}/history`);
    // The photo already on its way is answered and stored; the two behind it are not sent.
    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().headers()['next-action'] !== undefined);
    await release();
    await answered;
    // Without the fix the next photo is sent as soon as the first is answered: a second is ample to see it.
    await page.waitForTimeout(1_000);
    expect(uploadsSent()).toBe(1);
    await page.reload();
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
  } finally {
    await context.close();
  }
});

it('sign up → upload a cat → see "cat" → history shows it → correct the label → sign out; nobody else can see it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = `e2e-${Date.now()}@example.test`;
  let predictionId: string;
  // Every page the browser prefetches. A prediction's link, prefetched, would render its page on the server (the
  // session and the prediction looked up) for every result card or history item in view (six items: ten renders);
  // they are fetched when opened.
  const prefetched: string[] = [];
  page.on('request', (request) => {
    if (request.headers()['next-router-prefetch']) prefetched.push(new URL(request.url()).pathname);
  });
  try {
    await signUp(page, email, 'e2e password 123');
    expect(await upload(page, [PHOTOS.cat])).toEqual(['cat']);
    await page.getByTestId('feedback-confirm').waitFor();

    await page.getByRole('link', { name: 'History', exact: true }).click();
    await page.waitForURL(`${baseUrl}/history`);
    // The URL changes as the loading state shows; the list streams in after it.
    await page.getByTestId('history-list').waitFor();
    const items = page.getByTestId('history-item');
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().getByTestId('history-label').textContent()).resolves.toBe('Cat');
    const thumbnail = items.first().locator('img');
    await thumbnail.scrollIntoViewIfNeeded();
    await page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0, await thumbnail.elementHandle());
    await page.waitForTimeout(1_000);
    // The header's links are prefetched (so this listener does see prefetches); no prediction's page is.
    expect(prefetched).toContain('/account');
    expect(prefetched.filter((pathname) => /^\/history\/[0-9a-f-]{36}$/.test(pathname))).toEqual([]);

    await items.first().getByRole('link').click();
    await page.waitForURL(/\/history\/[0-9a-f-]{36}$/);
    predictionId = page.url().split('/').pop()!;
    await expect(page.getByTestId('prediction-label').textContent()).resolves.toBe('cat');
    // On a phone the page fits the screen: no sideways scrolling, and the 64-character SHA-256 wraps, whole, inside it.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect(fitsViewportWidth(page)).resolves.toBe(true);
    const hash = page.getByTestId('sha256');
    await expect(hash.evaluate((dd) => dd.getBoundingClientRect().right <= window.innerWidth && dd.scrollWidth <= dd.clientWidth)).resolves.toBe(true);
    await expect(hash.textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('feedback-dog').click();
    await page.getByText('Saved: corrected to Dog.').waitFor();
    // The pressed button kept keyboard focus through its pending state (a `disabled` button would have dropped it).
    await expect(page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).resolves.toBe('feedback-dog');
    await page.reload();
    await expect(page.getByTestId('feedback-dog').getAttribute('aria-pressed')).resolves.toBe('true');
    // The filter form (a plain GET form): "Corrected" keeps the entry, the predicted label "Dog" leaves nothing, Clear shows it again.
    await page.goto(`${baseUrl}/history?pageSize=12`);
    const filters = page.getByRole('search', { name: 'Filter history' });
    await expect(filters.getByRole('link', { name: 'Clear', exact: true }).count()).resolves.toBe(0);
    await filters.getByLabel('Feedback').selectOption('corrected');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/[?&]feedback=corrected/);
    expect(new URL(page.url()).searchParams.get('pageSize')).toBe('12');
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
    await filters.getByLabel('Predicted label').selectOption('dog');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/[?&]label=dog/);
    await page.getByText('Nothing matches these filters.').waitFor();
    // The empty list's own way out clears the same filters as the form's, keeping the page size.
    await expect(page.getByRole('link', { name: 'Clear filters' }).getAttribute('href')).resolves.toBe('/history?pageSize=12');
    await filters.getByRole('link', { name: 'Clear', exact: true }).click();
    await page.waitForURL(`${baseUrl}/history?pageSize=12`);
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
    // The form shows what is in force after the client-side navigation, so Apply cannot bring the old filters back.
    await expect(filters.getByLabel('Predicted label').inputValue()).resolves.toBe('all');
    await expect(filters.getByLabel('Feedback').inputValue()).resolves.toBe('any');

    const sessionCookies = await context.cookies();
    expect(sessionCookies.map((c) => c.name)).toContain('next-auth.session-token');
    await signOut(page);
    // A filtered history link, signed out: sign-in comes back to it, filters and all.
    const filtered = '/history?feedback=corrected&pageSize=12';
    await page.goto(`${baseUrl}${filtered}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('callbackUrl')).toBe(filtered);
    // Signing out ended the session on the server too: a copy of the cookie taken before is refused,
    // and its sign-in link comes back to the filtered list as well (the history layout's redirect, not the proxy's).
    const copy = await browser.newContext();
    try {
      await copy.addCookies(sessionCookies);
      const stolen = await copy.newPage();
      await stolen.goto(`${baseUrl}${filtered}`);
      expect(new URL(stolen.url()).pathname).toBe('/login');
      expect(new URL(stolen.url()).searchParams.get('callbackUrl')).toBe(filtered);
      expect((await copy.request.get(`${baseUrl}/history/${predictionId}/thumbnail`)).status()).toBe(401);
      // next-auth's own session endpoint answers it as a guest too, not with its email, and expires it; also below
      // the endpoint's path and as a cookie chunk (name.0), two more ways next-auth reads it.
      const sessionAnswer = await copy.request.get(`${baseUrl}/api/auth/session`);
      await expect(sessionAnswer.json()).resolves.toEqual({});
      expect((await copy.cookies()).map((c) => c.name)).not.toContain('next-auth.session-token');
      const token = sessionCookies.find((c) => c.name === 'next-auth.session-token')!.value;
      const chunked = await fetch(`${baseUrl}/api/auth/session/x`, { headers: { cookie: `next-auth.session-token.0=${token}` } });
      await expect(chunked.json()).resolves.toEqual({});
      expect(chunked.headers.get('set-cookie')).toMatch(/^next-auth\.session-token\.0=;/);
    } finally {
      await copy.close();
    }
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('e2e password 123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseUrl}${filtered}`);
    await page.getByTestId('history-list').waitFor();
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
    await expect(page.getByRole('search', { name: 'Filter history' }).getByLabel('Feedback').inputValue()).resolves.toBe('corrected');
  } finally {
    await context.close();
  }

  // A second account guesses the id: 404 for the page and the thumbnail.
  const other = await browser.newContext();
  try {
    const intruder = await other.newPage();
    await signUp(intruder, `e2e-other-${Date.now()}@example.test`, 'another password 456');
    const detail = await intruder.goto(`${baseUrl}/history/${predictionId}`);
    expect(detail?.status()).toBe(404);
    // An unknown address says so in the tab too (a page that calls notFound() keeps its own title: Next's rule).
    expect((await intruder.goto(`${baseUrl}/no-such-page`))?.status()).toBe(404);
    expect(await intruder.title()).toBe('Not found · PetLens');
    const image = await other.request.get(`${baseUrl}/history/${predictionId}/thumbnail`);
    expect(image.status()).toBe(404);
    await intruder.goto(`${baseUrl}/history`);
    await intruder.getByTestId('history-empty').waitFor();
  } finally {
    await other.close();
  }
});

it('keeps the keyboard focus and the place in the list through the pager, a delete and Clear', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  /** The focused element's text, or what it is if that is not an element in the page. */
  const focused = () => page.evaluate(() => (document.activeElement && document.activeElement !== document.body ? document.activeElement.textContent?.trim() : 'nothing'));
  try {
    await signUp(page, `e2e-focus-${Date.now()}@example.test`, 'e2e password 123');
    await upload(page, [PHOTOS.cat, PHOTOS.dog]);
    await page.goto(`${baseUrl}/history?pageSize=1`);
    const pager = page.getByRole('navigation', { name: 'Pages' });
    await pager.getByText('Page 1 of 2').waitFor();

    // "Older →" pressed on the next-to-last page: on the last page it is disabled, and still has the focus.
    await pager.getByRole('link', { name: 'Older →' }).focus();
    await page.keyboard.press('Enter');
    await pager.getByText('Page 2 of 2').waitFor();
    expect(new URL(page.url()).search).toBe('?pageSize=1&page=2');
    await expect(focused()).resolves.toBe('Older →');
    await expect(pager.getByRole('link', { name: 'Older →' }).getAttribute('aria-disabled')).resolves.toBe('true');
    // Disabled, it goes nowhere, not even to its "#".
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    expect(page.url()).toBe(`${baseUrl}/history?pageSize=1&page=2`);

    // The item on that page, deleted: its page goes back to the same list page, and so does the delete, whose news
    // takes the focus the Delete button had.
    const deletedLabel = await page.getByTestId('history-label').textContent();
    await page.getByTestId('history-item').getByRole('link').click();
    await page.waitForURL(/\/history\/[0-9a-f-]{36}\?pageSize=1&page=2$/);
    await expect(page.getByRole('link', { name: '← Back to history' }).getAttribute('href')).resolves.toBe('/history?pageSize=1&page=2');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('delete-prediction').focus();
    await page.keyboard.press('Enter');
    await page.getByText('The prediction and its thumbnail were deleted.').waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'The prediction and its thumbnail were deleted.');
    // The news is said once: the address loses it, and a reload shows the list without it.
    await page.waitForURL(`${baseUrl}/history?pageSize=1&page=2`);
    // One photo left, so one page: the one past the end shows it.
    await expect(page.getByTestId('history-item').count()).resolves.toBe(1);
    await expect(page.getByTestId('history-label').textContent()).resolves.not.toBe(deletedLabel);
    await page.reload();
    await page.getByTestId('history-item').waitFor();
    await expect(page.getByText('The prediction and its thumbnail were deleted.').count()).resolves.toBe(0);
    // An old address that still has it (a bookmark): told once, then the address is clean there too.
    await page.goto(`${baseUrl}/history?pageSize=1&deleted=1`);
    await page.getByText('The prediction and its thumbnail were deleted.').waitFor();
    await page.waitForURL(`${baseUrl}/history?pageSize=1`);

    // Clear, pressed from the keyboard, keeps the page size and hands the focus to the first filter.
    await page.goto(`${baseUrl}/history?pageSize=1&feedback=none`);
    const filters = page.getByRole('search', { name: 'Filter history' });
    await filters.getByRole('link', { name: 'Clear', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/history?pageSize=1`);
    await expect(filters.getByRole('link', { name: 'Clear', exact: true }).count()).resolves.toBe(0);
    // Focused by an effect once the new form is in: waited for, not read at once.
    await page.waitForFunction(() => document.activeElement?.id === 'filter-label');

    // Signed out, a prediction's page opened from that list: sign-in comes back to it, list and all.
    const detail = await page.getByTestId('history-item').getByRole('link').getAttribute('href');
    expect(detail).toMatch(/^\/history\/[0-9a-f-]{36}\?pageSize=1$/);
    await signOut(page);
    await page.goto(`${baseUrl}${detail}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('callbackUrl')).toBe(detail);
  } finally {
    await context.close();
  }
});

it('keeps the generated session secret in the data folder, never in the project', async () => {
  const secret = (await readFile(path.join(dataDir, 'nextauth-secret'), 'utf8')).trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
});
