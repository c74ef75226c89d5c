/**
 * End to end, accessibility: axe-core (the rules of WCAG 2.x A and AA and axe's best practices) run in Debian's
 * Chromium over every page a guest, a user and an admin see, with real content on them (answered upload cards, a
 * history, API tokens, the admin's figures and charts), at desktop and phone width, in light and dark mode. Any
 * violation fails the test, listed by page, rule and element.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn, signUp } from '../support/e2e-auth';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';
import { SAMPLE_PHOTOS } from '../fixtures/images';

const ADMIN = { email: 'e2e-a11y-admin@example.test', password: 'e2e admin password 789' };
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const SCHEMES = ['light', 'dark'] as const;

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

let server: E2eServer;
let baseUrl: string;
let browser: Browser;
let signedIn: { user: StorageState; admin: StorageState };
let predictionId: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startE2eServer(
    'a11y',
    { SIGN_IN_RATE_LIMIT: '0', SIGN_UP_RATE_LIMIT: '0', UPLOAD_RATE_LIMIT: '0', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    400_000,
  );
  ({ baseUrl } = server);

  // A user with a history (one answer corrected, for the admin's figures) and an API token.
  const user = await browser.newContext();
  const page = await user.newPage();
  await signUp(page, baseUrl, `e2e-a11y-${Date.now()}@example.test`, 'e2e user password 123');
  await page.locator('[data-testid=dropzone][data-ready=true]').waitFor();
  await page.getByTestId('file-input').setInputFiles([SAMPLE_PHOTOS.cat, SAMPLE_PHOTOS.dog, SAMPLE_PHOTOS.neither]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=prediction-label]').length === 3, null, { timeout: 60_000 });
  await page.getByTestId('feedback-dog').first().click();
  await page.getByText('Saved: corrected to Dog.').waitFor();
  await page.goto(`${baseUrl}/account`);
  await page.getByLabel('Token name').fill('my laptop');
  await page.getByTestId('create-token').click();
  await page.getByText(/^pl_/).first().waitFor();
  await page.goto(`${baseUrl}/history`);
  predictionId = new URL(await page.getByTestId('history-item').first().getByRole('link').evaluate((a) => (a as HTMLAnchorElement).href)).pathname.split('/')[2]!;
  const admin = await browser.newContext();
  await signIn(await admin.newPage(), baseUrl, ADMIN.email, ADMIN.password);
  signedIn = { user: await user.storageState(), admin: await admin.storageState() };
  await user.close();
  await admin.close();
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

interface Violation {
  rule: string;
  impact: string | null;
  elements: string[];
}

/** axe-core over the page as it is now: its violations, each with the elements (their HTML, shortened) that fail it. */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async () => {
    const { violations: found } = await (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { html: string }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return found.map((v) => ({ rule: v.id, impact: v.impact, elements: v.nodes.map((n) => n.html.slice(0, 160)) }));
  });
}

/** Uploads the cat on the page shown and waits for its card's answer. */
async function withAnsweredCard(page: Page): Promise<void> {
  await page.locator('[data-testid=dropzone][data-ready=true]').waitFor();
  await page.getByTestId('file-input').setInputFiles([SAMPLE_PHOTOS.cat]);
  await page.getByTestId('prediction-label').waitFor({ timeout: 30_000 });
}

const PAGES: { name: string; who: 'guest' | 'user' | 'admin'; path: () => string; prepare?: (page: Page) => Promise<void> }[] = [
  { name: 'home', who: 'guest', path: () => '/' },
  { name: 'home with an answer', who: 'guest', path: () => '/', prepare: withAnsweredCard },
  { name: 'sign-in', who: 'guest', path: () => '/login' },
  { name: 'sign-up', who: 'guest', path: () => '/signup' },
  { name: 'home signed in, with an answer', who: 'user', path: () => '/', prepare: withAnsweredCard },
  { name: 'history', who: 'user', path: () => '/history' },
  { name: 'a prediction', who: 'user', path: () => `/history/${predictionId}` },
  { name: 'account', who: 'user', path: () => '/account' },
  { name: 'admin dashboard', who: 'admin', path: () => '/admin' },
  { name: 'review queue', who: 'admin', path: () => '/admin/review' },
  { name: 'admin data', who: 'admin', path: () => '/admin/data' },
];

for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  for (const colorScheme of SCHEMES) {
    it(`every page passes axe-core at ${viewportName} width in ${colorScheme} mode`, async () => {
      const contexts = {
        guest: await browser.newContext({ viewport, colorScheme }),
        user: await browser.newContext({ viewport, colorScheme, storageState: signedIn.user }),
        admin: await browser.newContext({ viewport, colorScheme, storageState: signedIn.admin }),
      };
      try {
        const found: (Violation & { page: string })[] = [];
        for (const { name, who, path, prepare } of PAGES) {
          const page = await contexts[who].newPage();
          await page.goto(`${baseUrl}${path()}`);
          await page.waitForLoadState('networkidle');
          await prepare?.(page);
          found.push(...(await violations(page)).map((v) => ({ page: name, ...v })));
          await page.close();
        }
        expect(found).toEqual([]);
      } finally {
        await Promise.all(Object.values(contexts).map((context) => context.close()));
      }
    }, 180_000);
  }
}
