/** Browser helpers for the e2e files: sign up and sign in through the forms, and the session for plain HTTP. */
import type { BrowserContext, Page } from 'playwright-core';

/** Creates an account through /signup and waits until the page shows it signed in. */
export async function signUp(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
}

/** Signs in through /login (coming back to `callbackUrl`) and waits until the page shows it signed in. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, callbackUrl = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
}

/** Signs out through the header's button and waits until the page shows a guest's. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
}

/** The context's cookies as a Cookie header: its session, for requests made with fetch. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
