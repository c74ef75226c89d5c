/**
 * End to end, production build: the security headers on pages, API routes
 * and static assets; Next's server-action origin check; and every page of
 * the app (guest, user, admin; an upload with its blob: preview; the admin
 * charts) rendering in Chromium without a single Content-Security-Policy
 * violation.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startE2eServer, type E2eServer } from '../support/e2e-server';
import { SAMPLE_PHOTOS } from '../fixtures/images';

const CAT = SAMPLE_PHOTOS.cat;
const ADMIN = { email: 'security-admin@example.test', password: 'security admin password 42' };

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  if (!existsSync(CAT)) throw new Error(`${CAT} is missing: the e2e test needs ../shared/data`);
  server = await startE2eServer('security', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 60_000);

it('a session cookie that cannot be read is a guest, and costs the log one line a minute, not a stack trace per request', async () => {
  const before = (await readFile(server.logFile, 'utf8')).length;
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${server.baseUrl}/`, { headers: { cookie: `next-auth.session-token=forged-${i}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Sign in');
  }
  const log = (await readFile(server.logFile, 'utf8')).slice(before);
  expect(log).not.toContain('JWT_SESSION_ERROR');
  expect(log).not.toMatch(/^\s+at /m);
  expect(log.match(/a session cookie could not be read \(.+\): signed with another NEXTAUTH_SECRET, or not one of ours; treated as signed out/g)).toHaveLength(1);
}, 60_000);

function expectSecurityHeaders(headers: Headers, where: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect({ where, csp }).toEqual({ where, csp: expect.stringContaining("frame-ancestors 'none'") });
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-eval');
  expect({ where, nosniff: headers.get('x-content-type-options') }).toEqual({ where, nosniff: 'nosniff' });
  expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-powered-by')).toBeNull();
}

it('pages, API routes and static assets carry the security headers', async () => {
  const home = await fetch(`${server.baseUrl}/`);
  expect(home.status).toBe(200);
  expectSecurityHeaders(home.headers, '/');
  for (const url of ['/login', '/signup', '/api/v1/health', '/api/v1/openapi.json']) {
    const response = await fetch(`${server.baseUrl}${url}`, { redirect: 'manual' });
    expectSecurityHeaders(response.headers, url);
  }
  const asset = (await home.text()).match(/\/_next\/static\/[^"']+\.js/)?.[0];
  expect(asset).toBeDefined();
  const script = await fetch(`${server.baseUrl}${asset}`);
  expect(script.status).toBe(200);
  expectSecurityHeaders(script.headers, asset!);
});

it('a server action posted from another origin is refused before any action runs', async () => {
  const post = (origin: string) =>
    fetch(`${server.baseUrl}/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Next-Action': '7f'.repeat(21), 'Content-Type': 'text/plain;charset=UTF-8', Origin: origin, Accept: 'text/x-component' },
      body: '[]',
    });
  const sameOrigin = await post(server.baseUrl);
  const foreign = await post('https://evil.example');
  const foreignBody = await foreign.text();
  // Same origin: the (made-up) action is merely unknown (409). Another
  // origin: Next's CSRF check rejects the request before looking it up.
  expect(sameOrigin.status).toBe(409);
  expect(foreign.status).toBe(500);
  expect(foreignBody).not.toMatch(/not found/i);
  expect(foreignBody).not.toBe(await sameOrigin.text());
  expect(await readFile(server.logFile, 'utf8')).toMatch(/does not match `origin` header|Invalid Server Actions request/);
});

/**
 * Records CSP violations on every page the tab loads: each document's
 * securitypolicyviolation events (reported to the test as they happen) plus
 * Chromium's console reports.
 */
async function watchCsp(page: Page): Promise<() => string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console on ${page.url()}: ${message.text()}`);
  });
  await page.exposeFunction('__reportCspViolation', (line: string) => violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (line: string) => void }).__reportCspViolation;
      void report(`${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return () => [...violations];
}

async function visit(page: Page, url: string, ready: string): Promise<void> {
  const response = await page.goto(`${server.baseUrl}${url}`);
  expect({ url, status: response?.status() }).toEqual({ url, status: 200 });
  await page.locator(ready).first().waitFor({ timeout: 20_000 });
  // Let hydration and any lazy chunks finish.
  await page.waitForLoadState('networkidle');
}

it('every page renders and works in Chromium without a CSP violation', async () => {
  const guest = await browser.newPage();
  const guestViolations = await watchCsp(guest);
  try {
    await visit(guest, '/', '[data-testid=dropzone][data-ready=true]');
    // An upload: the preview is a blob: URL, the result comes back from the action.
    await guest.getByTestId('file-input').setInputFiles([CAT]);
    await guest.getByTestId('prediction-label').first().waitFor({ timeout: 30_000 });
    expect((await guest.getByTestId('prediction-label').first().textContent())?.trim()).toMatch(/cat/i);
    expect(await guest.locator('img[src^="blob:"]').count()).toBeGreaterThan(0);
    await visit(guest, '/signup', 'form');
    await visit(guest, '/login', 'form');
    expect(guestViolations()).toEqual([]);
  } finally {
    await guest.close();
  }

  const admin = await browser.newPage();
  const adminViolations = await watchCsp(admin);
  try {
    await visit(admin, '/login', 'form');
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
    await visit(admin, '/', '[data-testid=dropzone][data-ready=true]');
    await admin.getByTestId('file-input').setInputFiles([CAT]);
    await admin.getByTestId('prediction-label').first().waitFor({ timeout: 30_000 });
    await visit(admin, '/history', 'main');
    await visit(admin, '/account', 'main');
    await visit(admin, '/admin', 'main');
    await visit(admin, '/admin/review', 'main');
    expect(adminViolations()).toEqual([]);
  } finally {
    await admin.close();
  }
});

it('the app cannot be framed by another page', async () => {
  const page = await browser.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/frame-ancestors|Refused to display/i.test(message.text())) refused.push(message.text());
  });
  try {
    await page.setContent(`<iframe id="f" src="${server.baseUrl}/"></iframe>`);
    // Wait for Chromium to say it refused the frame (not a fixed sleep: a slow
    // load must not pass as a refusal).
    for (const deadline = Date.now() + 20_000; refused.length === 0 && Date.now() < deadline; ) await page.waitForTimeout(100);
    expect(refused.join('\n')).toMatch(/frame-ancestors/);
    const framed = page.frames().find((frame) => frame.url().startsWith(server.baseUrl));
    const content = framed ? await framed.evaluate(() => document.querySelector('[data-testid=dropzone]') !== null).catch(() => false) : false;
    expect(content).toBe(false);
  } finally {
    await page.close();
  }
});

// Last in this file: it uses up this address's anonymous API allowance.
it('a client cannot choose its own address: a forged X-Forwarded-For does not escape the per-address limits', async () => {
  const anonymousCall = (forgedAddress: string) =>
    fetch(`${server.baseUrl}/api/v1/predict`, {
      method: 'POST',
      // Counted before the body is read; an empty body is answered 400 without running the model.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forgedAddress, 'x-real-ip': forgedAddress },
      body: '{}',
    });
  const statuses: number[] = [];
  // API_ANON_RATE_LIMIT is 60 a minute per address: each call claims a new one.
  for (let i = 0; i < 61 && !statuses.includes(429); i++) statuses.push((await anonymousCall(`203.0.113.${i}, 198.51.100.${i}`)).status);
  expect(statuses.at(-1)).toBe(429);
  expect(new Set(statuses.slice(0, -1))).toEqual(new Set([400]));
  // Still the same client whatever it claims next.
  const again = await anonymousCall('192.0.2.77');
  expect(again.status).toBe(429);
  await expect(again.json()).resolves.toMatchObject({ error: { code: 'rate_limited' } });
});
