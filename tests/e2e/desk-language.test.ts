import { describe, expect, it } from 'vitest';
import { en } from '../../web/lib/i18n/en';
import { fi } from '../../web/lib/i18n/fi';
import { sv } from '../../web/lib/i18n/sv';
import { gotoReady, logIn, POLL, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();
const dictionaries: Record<string, Record<string, string>> = { fi, sv, en };

describe('the Finnish desk speaks Finnish when the API refuses', () => {
  it('shows a refusal by its code in the reader\'s language, never the API\'s English detail', async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'caseworker', '/search');

    // The API answers 400 search_query_too_short ("Type at least two characters to search.").
    await gotoReady(page, `${baseUrl}/search`);
    await page.fill('#search-page-q', 'a');
    await page.getByTestId('search-page-form').getByRole('button').click();
    const searchProblem = page.getByTestId('search-problem');
    await searchProblem.waitFor(POLL);
    expect(await textOf(searchProblem)).toBe(fi['code.search_query_too_short']);
    expect(await textOf(searchProblem)).not.toContain('Type at least');

    // A page the caseworker may not read: the 403 page says why, by the API's code, in Finnish.
    const run = `${baseUrl}/billing/00000000-0000-4000-8000-000000000000`;
    await page.goto(run);
    const detail = page.getByTestId('error-detail');
    await detail.waitFor(POLL);
    expect(await textOf(page.locator('h1'))).toBe('Virhe 403');
    // The edge refuses by the operation's roles before the service is asked (decision 010).
    expect(await detail.getAttribute('data-code')).toBe('forbidden');
    expect(await textOf(detail)).toBe(fi['code.forbidden']);
    expect(await page.locator('body').innerText()).not.toContain('Billing runs are for');

    // A member that does not exist: the 404 page names what was missing, in Finnish.
    await page.goto(`${baseUrl}/members/00000000-0000-4000-8000-000000000000`);
    await detail.waitFor(POLL);
    expect(await textOf(detail)).toBe(fi['code.member_not_found']);

    // The same refusal in Swedish once the reader switches language.
    await page.goto(`${run}?lang=sv`);
    await detail.waitFor(POLL);
    expect(await textOf(page.locator('h1'))).toBe('Fel 403');
    expect(await textOf(detail)).toBe(dictionaries.sv!['code.forbidden']);
    await page.goto(`${run}?lang=fi`);
    await context.close();
  });

  it('the public resignation link\'s refusal is in Finnish, never the API\'s English detail', async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    // A link whose signature does not check: the API refuses it (resignation_link_invalid).
    await gotoReady(page, `${baseUrl}/resign/confirm?token=${'x'.repeat(40)}`);
    const shown = () => page.locator('body').innerText();
    await expect.poll(shown, POLL).toContain(fi['resignConfirm.invalid']);
    expect(await shown()).not.toMatch(/not valid|invalid/i);
    await context.close();
  });
});
