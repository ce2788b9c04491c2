/**
 * The administrators' page of fund settings (decisions 021, 029, issue 15): a change made in the
 * typed form previewed, saved and seen in the history, a refused value's translated reason beside its
 * field, a reminder level added as a row, the raw JSON kept as a fallback, a return to the shipped
 * value, the configuration exported and an edited document imported after its preview; axe clean;
 * a caseworker is told the page is not theirs. Runs as KOKO, like tests/integration/fund-config.test.ts,
 * and removes its overrides before and after, so no other test sees them.
 */
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundConfigOverrides, messageTemplateVersions } from '../../db/schema';
import { getFundProfile } from '../../domain/fundProfile';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack({ fund: 'koko' });
const overrides = () => stack.web.stack.db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
const clean = async () => {
  await stack.web.stack.db.delete(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
  await stack.web.stack.db.delete(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'));
  await stack.web.stack.ctx.config.reload();
};

beforeAll(clean);
afterAll(async () => {
  if (stack.web) await clean();
});

describe('the fund settings page', () => {
  it('lets an administrator change a setting in its typed form with a preview, see it in the history, read a refusal beside its field, add a reminder level, fall back to JSON and return to the shipped value; a caseworker is refused', async () => {
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
    // Typed inputs drawn from the setting's shape: a number, a duration, a choice, a yes/no.
    const appeal = setting.getByLabel('Valitusaika (päivää)');
    expect(await appeal.inputValue()).toBe(String(shipped.appealWindowDays));
    expect(await appeal.getAttribute('type')).toBe('number');
    expect(await setting.locator('select[name="value.effectiveDate"]').inputValue()).toBe(shipped.effectiveDate);
    expect(await setting.locator('input[name="value.fourEyes"]').isChecked()).toBe(shipped.fourEyes);
    expect(`${await setting.locator('input[name="value.hearingDeadline"]').inputValue()}${await setting.locator('select[name="value.hearingDeadline:unit"]').inputValue()}`).toBe(shipped.hearingDeadline);
    expect(await seriousViolations(page)).toEqual([]);

    // Preview: the changed field, before and after; nothing stored.
    const form = setting.getByTestId('fund-config-form');
    await appeal.fill(String(longer));
    await form.locator('textarea[name="reason"]').fill('Hallituksen päätös 4.12.2026');
    await setting.getByTestId('fund-config-preview-button').click();
    const change = setting.getByTestId('fund-config-preview-change');
    await change.waitFor(POLL);
    expect(await textOf(change)).toBe(`appealWindowDays: ${shipped.appealWindowDays} → ${longer}`);
    expect(await appeal.inputValue()).toBe(String(longer));
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
    expect(stored[0]).toMatchObject({ key: 'expulsion', reason: 'Hallituksen päätös 4.12.2026', value: { ...shipped, appealWindowDays: longer } });

    // A value the law does not allow: the API's rule, in the reader's language, beside the field; nothing stored.
    await appeal.fill('10');
    await form.locator('textarea[name="reason"]').fill('Liian lyhyt');
    await setting.getByTestId('fund-config-save').click();
    await setting.locator('[data-testid="problem-alert"][data-code="config_appeal_window_below_law"]').waitFor(POLL);
    const fieldError = setting.locator('#f-value-appealWindowDays-error');
    expect(await textOf(fieldError)).toBe('Valitusaika ei voi olla lain antamaa 30 päivää lyhyempi.');
    expect(await appeal.getAttribute('aria-invalid')).toBe('true');
    expect(await appeal.inputValue()).toBe('10');
    expect(await overrides()).toHaveLength(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-fund-config-refused');

    // A reminder level added as a row: its wait must be longer than the level before's, said beside it.
    const collection = page.locator('[data-testid="fund-config-setting"][data-key="collection"]');
    const levels = getFundProfile('koko').collection.levels;
    await collection.getByTestId('setting-row-add').click();
    const n = levels.length;
    await collection.locator(`input[name="value.levels.${n}.waitDays"]`).fill('1');
    await collection.locator('textarea[name="reason"]').first().fill('Kolmas muistutus');
    await collection.getByTestId('fund-config-preview-button').click();
    await collection.locator(`#f-value-levels-${n}-waitDays-error`).waitFor(POLL);
    expect(await textOf(collection.locator(`#f-value-levels-${n}-waitDays-error`))).toContain(`Muistutustason ${n + 1}`);
    await collection.locator(`input[name="value.levels.${n}.waitDays"]`).fill(String(levels.at(-1)!.waitDays + 30));
    await collection.getByTestId('fund-config-preview-button').click();
    await expect.poll(async () => (await collection.getByTestId('fund-config-preview-change').allTextContents()).join('\n'), POLL).toContain(`levels.${n}`);
    expect(await collection.getByTestId('setting-row').count()).toBe(n + 1);
    await collection.getByTestId('setting-row-remove').last().click();
    expect(await collection.getByTestId('setting-row').count()).toBe(n);
    expect(await seriousViolations(page)).toEqual([]);

    // The raw JSON is still there as a fallback; not JSON at all is the desk's own refusal.
    await setting.getByTestId('fund-config-json').locator('summary').click();
    await setting.locator('textarea[name="value"]').fill('{ appealWindowDays: 45');
    await setting.getByTestId('fund-config-json-preview').click();
    await setting.locator('[data-testid="problem-alert"][data-code="config_json_invalid"]').waitFor(POLL);

    // Back to the shipped value, which the history shows as such.
    await form.locator('textarea[name="reason"]').fill('Palautus testin jälkeen');
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
  }, 360_000);

  it('exports the configuration as a file and imports an edited one after showing what it would store', async () => {
    await clean();
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, baseUrl, 'admin', '/admin/fund-config');
    const transfer = page.getByTestId('fund-config-transfer');
    await transfer.waitFor(POLL);

    const [download] = await Promise.all([page.waitForEvent('download'), transfer.getByTestId('fund-config-export').click()]);
    const doc = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(doc).toMatchObject({ format: 'jasenrekisteri.fund-config', formatVersion: 3, fund: 'koko', settings: [], templates: [] });

    // Not a document: the desk says so in the reader's language.
    const file = transfer.locator('input[type="file"]');
    await file.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await transfer.getByTestId('fund-config-import-check').click();
    await transfer.locator('[data-testid="problem-alert"][data-code="config_import_json_invalid"]').waitFor(POLL);

    // The document as edited in the test register: one setting and one template.
    const today = stack.web.stack.ctx.today();
    const edited = {
      ...doc,
      settings: [{ key: 'billingApproval', version: 1, value: { fourEyes: false }, effectiveFrom: today, reason: 'Testistä tuotantoon' }],
      templates: [{ kind: 'payment-reminder', language: 'fi', subject: 'Muistutus', body: 'Hei {{firstName}}, maksathan {{amount}}.', effectiveFrom: today, reason: 'Uusi sanamuoto' }],
    };
    await file.setInputFiles({ name: 'fund-config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
    await transfer.getByTestId('fund-config-import-check').click();
    await transfer.getByTestId('fund-config-import-preview').waitFor(POLL);
    expect(await transfer.getByTestId('fund-config-import-entry').count()).toBe(2);
    expect(await textOf(transfer.getByTestId('fund-config-import-entry').first())).toContain('fourEyes: true → false');
    expect(await overrides()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-fund-config-import-preview');

    // Someone saves the template between the preview and the confirmation: the confirmation is
    // refused in the reader's language and nothing is stored; a new preview shows the new state.
    const meanwhile = { fundId: 'koko', kind: 'payment-reminder', language: 'fi' as const, subject: 'Välissä', body: 'Hei {{firstName}}.', effectiveFrom: today, reason: 'meanwhile', setBy: 'e2e' };
    await stack.web.stack.db.insert(messageTemplateVersions).values(meanwhile);
    await transfer.getByTestId('fund-config-import-confirm').click();
    await transfer.locator('[data-testid="problem-alert"][data-code="config_import_stale"]').waitFor(POLL);
    expect(await overrides()).toEqual([]);
    await stack.web.stack.db.delete(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'));
    await file.setInputFiles({ name: 'fund-config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
    await transfer.getByTestId('fund-config-import-check').click();
    await transfer.getByTestId('fund-config-import-preview').waitFor(POLL);

    await transfer.getByTestId('fund-config-import-confirm').click();
    await transfer.getByTestId('fund-config-imported').waitFor(POLL);
    expect(await textOf(transfer.getByTestId('fund-config-imported'))).toContain('2');
    expect(await overrides()).toEqual([expect.objectContaining({ key: 'billingApproval', value: { fourEyes: false } })]);
    const templates = await stack.web.stack.db.select().from(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'));
    expect(templates).toEqual([expect.objectContaining({ kind: 'payment-reminder', language: 'fi', subject: 'Muistutus' })]);
    expect(await page.locator('[data-testid="fund-config-setting"][data-key="billingApproval"] input[name="value.fourEyes"]').isChecked()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
    await clean();
  }, 300_000);
});
