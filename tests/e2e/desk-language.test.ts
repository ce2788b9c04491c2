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
    await gotoReady(page, `${baseUrl}/search?q=a`);
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
    expect(await detail.getAttribute('data-code')).toBe('billing_role_required');
    expect(await textOf(detail)).toBe(fi['code.billing_role_required']);
    expect(await page.locator('body').innerText()).not.toContain('Billing runs are for');

    // A member that does not exist: the 404 page names what was missing, in Finnish.
    await page.goto(`${baseUrl}/members/00000000-0000-4000-8000-000000000000`);
    await detail.waitFor(POLL);
    expect(await textOf(detail)).toBe(fi['code.member_not_found']);

    // The same refusal in Swedish once the reader switches language.
    await page.goto(`${run}?lang=sv`);
    await detail.waitFor(POLL);
    expect(await textOf(page.locator('h1'))).toBe('Fel 403');
    expect(await textOf(detail)).toBe(dictionaries.sv!['code.billing_role_required']);
    await page.goto(`${run}?lang=fi`);
    await context.close();
  });

  it('the public resignation form says in Finnish why no membership matched', async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await gotoReady(page, `${baseUrl}/resign`);
    // A well-formed identity code that is no member's: the API answers 422 resignation_not_matched.
    await page.fill('#identityCode', '010185-942S');
    await page.fill('#lastName', 'Eiolemassa');
    await page.getByRole('button', { name: fi['resign.submit'] }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor(POLL);
    const text = await textOf(summary);
    expect(text).toContain(fi['resign.notMatched']);
    expect(text).toContain(fi['code.resignation_not_matched']);
    expect(text).not.toContain('We could not match');
    await context.close();
  });
});
