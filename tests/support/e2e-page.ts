/** Checks on a rendered page that more than one e2e file makes. */
import type { Page } from 'playwright-core';

/** Whether the page fits its viewport's width: nothing on it would make the user scroll sideways. */
export function fitsViewportWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/**
 * Waits for the field `#id` to be marked invalid and focused (focus is moved by an effect after the render), and
 * returns the message linked to it by aria-describedby.
 */
export async function refusedFieldMessage(page: Page, id: string): Promise<string | null | undefined> {
  const field = page.locator(`#${id}`);
  await page.locator(`#${id}[aria-invalid="true"]`).waitFor();
  await page.waitForFunction((fieldId) => document.activeElement?.id === fieldId, id);
  return field.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent);
}
