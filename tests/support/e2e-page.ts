/** Checks on a rendered page that more than one e2e file makes. */
import type { Page } from 'playwright-core';

/** Whether the page fits its viewport's width: nothing on it would make the user scroll sideways. */
export function fitsViewportWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}
