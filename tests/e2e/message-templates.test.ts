/**
 * The administrators' message templates page (decision 023, issue 15): a template edited, an
 * unknown placeholder refused by name in the reader's language, a preview for a real member (text,
 * and the letter as PDF), the version saved and seen in the history, an SMS text of its own saved
 * without a subject and returned to the common text; axe clean. The versions this
 * file stores carry its own reason marker and are removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { members, messageTemplateVersions } from '../../db/schema';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();
const marker = `e2e-${randomUUID().slice(0, 8)}`;
const mine = () => stack.web.stack.db.select().from(messageTemplateVersions).where(like(messageTemplateVersions.reason, `%${marker}%`));

afterAll(async () => {
  if (!stack.web) return;
  await stack.web.stack.db.delete(messageTemplateVersions).where(like(messageTemplateVersions.reason, `%${marker}%`));
  await stack.web.stack.ctx.config.reload();
});

/** A member made the way e-services make them; their member number. */
async function createMember(): Promise<number> {
  const bearer = await stack.web.stack.token('eservices');
  const { api, waitForStatus } = apiClient(stack.web.stack, { as: { token: bearer } });
  const res = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData({ firstNames: 'Pirjo Esikatselu', lastName: 'Pohjanen' }) }) });
  expect(res.status, res.text).toBe(201);
  const approved = await waitForStatus(res.body.id, ['approved'], { timeoutMs: 60_000 });
  const [member] = await stack.web.stack.db.select().from(members).where(eq(members.id, approved.memberId as string));
  return member!.memberNumber;
}

describe('the message templates page', () => {
  it('edits a template: an unknown placeholder refused by name, a preview for a member, the version saved in the history', async () => {
    const memberNumber = await createMember();
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'admin', '/admin');
    await page.locator('a[href="/admin/templates"]').click();
    const row = page.locator('[data-testid="templates-row"][data-kind="age-limit-notice"]');
    await row.waitFor(POLL);
    expect(await page.getByTestId('templates-row').count()).toBeGreaterThan(10);
    expect(await seriousViolations(page)).toEqual([]);

    await row.locator('[data-testid="templates-edit"][data-language="fi"]').click();
    const editor = page.locator('[data-testid="templates-editor"][data-kind="age-limit-notice"][data-language="fi"]');
    await editor.waitFor(POLL);
    expect(await textOf(editor.getByTestId('templates-placeholders'))).toContain('{{endDate}}');
    expect(await seriousViolations(page)).toEqual([]);

    // A placeholder this message does not provide: refused by name, in Finnish; nothing stored.
    const body = editor.locator('textarea[name="body"]');
    await body.fill('Hei {{firstName}},\n\nmaksa {{amount}} pian.\n\n{{fundName}}');
    await editor.locator('textarea[name="reason"]').fill(`Uusi sävy ${marker}`);
    await editor.getByTestId('templates-save').click();
    const refusal = editor.locator('[data-testid="problem-alert"][data-code="template_placeholder_unknown"]');
    await refusal.waitFor(POLL);
    expect(await textOf(refusal)).toContain('Kenttä ”amount” ei ole käytettävissä tässä viestissä.');
    expect(await body.inputValue()).toContain('{{amount}}');
    expect(await mine()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-templates-refused');

    // A preview for a real member: their name in the text; nothing stored.
    await body.fill('Hei {{firstName}},\n\njäsenyytesi päättyy {{endDate}} yläikärajan vuoksi.\n\n{{fundName}}');
    await editor.locator('input[name="memberNumber"]').fill(String(memberNumber));
    await editor.getByTestId('templates-preview-button').click();
    const preview = editor.getByTestId('templates-preview');
    await preview.waitFor(POLL);
    expect(await textOf(editor.getByTestId('templates-preview-body'))).toContain('Hei Pirjo,');
    expect(await mine()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-templates-preview');

    // The same draft as the printed letter: the form posted to the desk's PDF route.
    const pdf = await page.evaluate(async () => {
      const form = document.querySelector<HTMLFormElement>('[data-testid="templates-form"]')!;
      const res = await fetch('/admin/templates/preview.pdf', { method: 'POST', body: new FormData(form) });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    });
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });

    // Saved from today: in force, and in the history with who and why.
    await editor.getByTestId('templates-save').click();
    await page.getByTestId('templates-saved').waitFor(POLL);
    await editor.getByTestId('templates-history-row').first().waitFor(POLL);
    expect(await textOf(editor.getByTestId('templates-history-row'))).toContain(`Uusi sävy ${marker}`);
    expect(await textOf(editor.getByTestId('templates-editor-source'))).toContain('kassan oma pohja');
    const stored = await mine();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'age-limit-notice', language: 'fi', body: 'Hei {{firstName}},\n\njäsenyytesi päättyy {{endDate}} yläikärajan vuoksi.\n\n{{fundName}}' });
    expect(await textOf(row.locator('td').first())).toContain('oma pohja');
    expect(await seriousViolations(page)).toEqual([]);

    // The SMS's own text (decision 039): none yet, so the channel uses the common one; saved
    // without a subject it is the channel's own, listed beside the language; then back to common.
    await editor.getByTestId('templates-channel-sms').click();
    const sms = page.locator('[data-testid="templates-editor"][data-kind="age-limit-notice"][data-language="fi"][data-channel="sms"]');
    await sms.waitFor(POLL);
    expect(await textOf(sms.getByTestId('templates-editor-source'))).toContain('ei ole omaa tekstiä');
    expect(await sms.locator('textarea[name="body"]').inputValue()).toContain('yläikärajan vuoksi');
    await sms.locator('input[name="subject"]').fill('');
    await sms.locator('textarea[name="body"]').fill('{{fundName}}: jäsenyytesi päättyy {{endDate}}.');
    await sms.locator('textarea[name="reason"]').fill(`Lyhyt tekstiviesti ${marker}`);
    await sms.getByTestId('templates-save').click();
    await expect.poll(() => textOf(sms.getByTestId('templates-editor-source')), POLL).toContain('oma teksti');
    expect(await textOf(row.locator('td').first().getByTestId('templates-own-channels'))).toContain('Tekstiviesti');
    expect((await mine()).filter((r) => r.channel === 'sms')).toEqual([expect.objectContaining({ subject: '', body: '{{fundName}}: jäsenyytesi päättyy {{endDate}}.' })]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-templates-sms');
    await sms.locator('textarea[name="reason"]').fill(`Takaisin ${marker}`);
    await sms.getByTestId('templates-reset').click();
    await expect.poll(() => textOf(sms.getByTestId('templates-editor-source')), POLL).toContain('ei ole omaa tekstiä');
    await context.close();
  }, 240_000);
});
