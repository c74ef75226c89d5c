/** Browser helpers for the e2e files: sign up through the /signup form. */
import type { Page } from 'playwright-core';

/** Creates an account through /signup and waits until the page shows it signed in. */
export async function signUp(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
}
