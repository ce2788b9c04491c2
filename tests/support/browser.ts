import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import type { StackOptions } from './stack';
import { startWebStack } from './webServer';

export const POLL = { timeout: 15_000 };

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** The web stack and a browser for one test file, started before its tests and stopped after. */
export function useBrowserStack(opts: StackOptions = {}) {
  const handles = {} as { web: Awaited<ReturnType<typeof startWebStack>>; browser: Browser };
  beforeAll(async () => {
    handles.web = await startWebStack(opts);
    handles.browser = await launchChromium();
  });
  afterAll(async () => {
    await handles.browser?.close();
    await handles.web?.close();
  });
  return handles;
}

/** The element's text, whitespace-normalised; '' while it is not there yet. */
export async function textOf(locator: Locator): Promise<string> {
  if ((await locator.count()) === 0) return '';
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Serious and critical axe violations, described well enough to fix from the test output alone. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Signs a dev IdP user in (password = user name) by opening `path` in the desk, which sends them
 * through the IdP's login form and back; returns once the page has hydrated.
 */
export async function logIn(page: Page, baseUrl: string, user: string, path = '/queue'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('#username', { timeout: 30_000 });
  await page.fill('#username', user);
  await page.fill('#password', user);
  await page.locator('form:has(#password) button[type="submit"]').click();
  await page.waitForURL(`${baseUrl}${path}`, { timeout: 30_000 });
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, POLL);
}

/** Reloads until `check` holds: a process (a bank file's, a resignation's) runs on its own time. */
export async function reloadUntil(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (await check()) return;
      await page.reload();
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    },
    { timeout: timeoutMs, interval: 500 },
  );
}

/**
 * A picture of the page, only when asked for: SCREENSHOTS=<folder> (e.g. to look at the desk after a
 * change). Tests never write to fixed paths on their own.
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage }).catch(() => {});
}

/** Opens a page and waits until the desk has hydrated, so typed input is not reset by it. */
export async function gotoReady(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, POLL);
}
