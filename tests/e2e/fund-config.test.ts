/**
 * The administrators' page of fund settings (decision 021, issue 15): a change previewed, saved and
 * seen in the history, a refused value's translated reason, a return to the shipped value; axe clean;
 * a caseworker is told the page is not theirs. Runs as KOKO, like tests/integration/fund-config.test.ts,
 * and removes its overrides before and after, so no other test sees them.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundConfigOverrides } from '../../db/schema';
import { getFundProfile } from '../../domain/fundProfile';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack({ fund: 'koko' });
const overrides = () => stack.web.stack.db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
const clean = async () => {
  await stack.web.stack.db.delete(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
  await stack.web.stack.ctx.config.reload();
};

beforeAll(clean);
afterAll(async () => {
  if (stack.web) await clean();
});

describe('the fund settings page', () => {
  it('lets an administrator preview and save a change, see it in the history, read a refusal in Finnish and return to the shipped value; a caseworker is refused', async () => {
    const shipped = getFundProfile('koko').expulsion;
    const longer = shipped.appealWindowDays + 15;
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'admin', '/admin/fund-config');
    const setting = page.locator('[data-testid="fund-config-setting"][data-key="expulsion"]');
    await setting.waitFor(POLL);
    expect(await page.locator('[data-testid="fund-config-setting"]').count()).toBeGreaterThan(1);
    await setting.getByTestId('fund-config-no-history').waitFor(POLL);
    expect(await setting.getByTestId('fund-config-source').textContent()).toContain('Toimitettu arvo');
    expect(await seriousViolations(page)).toEqual([]);

    // Preview: the changed field, before and after; nothing stored.
    const value = setting.locator('textarea[name="value"]');
    await value.fill(JSON.stringify({ ...shipped, appealWindowDays: longer }, null, 2));
    await setting.locator('textarea[name="reason"]').fill('Hallituksen päätös 4.12.2026');
    await setting.getByTestId('fund-config-preview-button').click();
    const change = setting.getByTestId('fund-config-preview-change');
    await change.waitFor(POLL);
    expect(await textOf(change)).toBe(`appealWindowDays: ${shipped.appealWindowDays} → ${longer}`);
    expect(await overrides()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-fund-config-preview');

    // Save: in force today, in the history with who and why.
    await setting.getByTestId('fund-config-save').click();
    await page.getByTestId('fund-config-saved').waitFor(POLL);
    await setting.getByTestId('fund-config-history-row').first().waitFor(POLL);
    expect(await textOf(setting.getByTestId('fund-config-history-reason'))).toBe('Hallituksen päätös 4.12.2026');
    expect(await textOf(setting.getByTestId('fund-config-history-row'))).toContain('admin');
    expect(await setting.getByTestId('fund-config-source').textContent()).toContain('Kassan oma arvo');
    expect(JSON.parse((await setting.getByTestId('fund-config-effective').textContent()) ?? '{}')).toMatchObject({ appealWindowDays: longer });
    const stored = await overrides();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ key: 'expulsion', reason: 'Hallituksen päätös 4.12.2026', value: { appealWindowDays: longer } });
    expect(await seriousViolations(page)).toEqual([]);

    // A value the law does not allow: the API's rule, in the reader's language; nothing stored.
    await value.fill(JSON.stringify({ ...shipped, appealWindowDays: 10 }));
    await setting.locator('textarea[name="reason"]').fill('Liian lyhyt');
    await setting.getByTestId('fund-config-save').click();
    const refusal = setting.locator('[data-testid="problem-alert"][data-code="config_appeal_window_below_law"]');
    await refusal.waitFor(POLL);
    expect(await textOf(refusal)).toContain('Valitusaika ei voi olla lain antamaa 30 päivää lyhyempi.');
    expect(await value.inputValue()).toContain('"appealWindowDays":10');
    expect(await overrides()).toHaveLength(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-fund-config-refused');

    // Not JSON at all: the desk's own refusal, translated the same way.
    await value.fill('{ appealWindowDays: 45');
    await setting.getByTestId('fund-config-preview-button').click();
    await setting.locator('[data-testid="problem-alert"][data-code="config_json_invalid"]').waitFor(POLL);

    // Back to the shipped value, which the history shows as such.
    await setting.locator('textarea[name="reason"]').fill('Palautus testin jälkeen');
    await setting.getByTestId('fund-config-reset').click();
    await page.getByTestId('fund-config-saved').waitFor(POLL);
    await expect.poll(() => setting.getByTestId('fund-config-history-row').count(), POLL).toBe(2);
    expect(await setting.getByTestId('fund-config-source').textContent()).toContain('Toimitettu arvo');
    expect(JSON.parse((await setting.getByTestId('fund-config-effective').textContent()) ?? '{}')).toEqual(shipped);
    await context.close();

    const other = await stack.browser.newContext();
    const cw = await other.newPage();
    await logIn(cw, baseUrl, 'caseworker', '/admin/fund-config');
    await cw.locator('.alert--info').waitFor(POLL);
    expect(await cw.locator('[data-testid="fund-config-setting"]').count()).toBe(0);
    expect(await seriousViolations(cw)).toEqual([]);
    await other.close();
  }, 180_000);
});
