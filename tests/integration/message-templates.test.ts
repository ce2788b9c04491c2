/**
 * Message templates (issue 15; decision 023): an administrator's version is refused with the
 * unknown placeholder's name, stored with its date, reason and author, in force from its date, used
 * by the real sending path (an approved application's message records the version), previewed for
 * a real member (audited) and returned to the shipped template. Its rows carry this file's own
 * reason marker and are removed afterwards, so no other test file sees them.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, members, messages, messageTemplateVersions } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { templateOf } from '../../domain/messageTemplates';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
let billing: string;
let token: string;
const marker = `templates-test-${randomUUID().slice(0, 8)}`;

const base = '/api/v1/message-templates';
const put = (kind: string, lang: string, body: unknown) => client.api(`${base}/${kind}/${lang}`, { method: 'PUT', cookie: admin, body: JSON.stringify(body) });
const preview = (kind: string, lang: string, body: unknown, pdf = false) => client.api(`${base}/${kind}/${lang}/preview${pdf ? '/pdf' : ''}`, { method: 'POST', cookie: admin, body: JSON.stringify(body) });
const mine = () => stack.db.select().from(messageTemplateVersions).where(like(messageTemplateVersions.reason, `%${marker}%`));
const clean = () => stack.db.delete(messageTemplateVersions).where(like(messageTemplateVersions.reason, `%${marker}%`));

const approved = {
  subject: 'Tervetuloa jäseneksi – {{fundName}}',
  body: 'Hei {{firstName}},\n\nolet nyt jäsen {{startDate}} alkaen.\n\n{{fundName}}',
};

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  [admin, billing] = await Promise.all([stack.login('admin'), stack.login('billing')]);
  token = await stack.token('eservices');
}, 180_000);

afterAll(async () => {
  if (stack) {
    await clean();
    await stack.ctx.config.reload();
  }
  await stack?.close();
});

async function newMember() {
  const data = applicationData();
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status).toBe(201);
  const done = await client.waitForStatus(res.body.id, ['approved'], { as: { token } });
  const [member] = await stack.db.select().from(members).where(eq(members.id, done.memberId as string));
  return { memberId: member!.id, memberNumber: member!.memberNumber, data };
}

describe('message templates', () => {
  it('lists every kind in three languages for administrators only', async () => {
    expect((await client.api(base, { cookie: billing })).status).toBe(403);
    const list = await client.api(base, { cookie: admin });
    expect(list.status).toBe(200);
    const invoice = list.body.items.find((i: { kind: string }) => i.kind === 'invoice');
    expect(invoice.placeholders).toContain('barcode');
    expect(invoice.languages.map((l: { language: string }) => l.language)).toEqual(['fi', 'sv', 'en']);
    expect(list.body.items.find((i: { kind: string }) => i.kind === 'hearing-letter').caseLetter).toBe(true);
    const one = await client.api(`${base}/invoice/sv`, { cookie: admin });
    expect(one.body).toMatchObject({ kind: 'invoice', language: 'sv', shipped: { subject: expect.stringContaining('{{period}}') } });
    expect((await client.api(`${base}/no-such-kind/fi`, { cookie: admin })).body.code).toBe('template_kind_unknown');
  });

  it('refuses an unknown placeholder by name, a malformed one and a past date, and stores nothing', async () => {
    const today = stack.ctx.today();
    const unknown = await put('application-approved', 'fi', { template: { subject: approved.subject, body: `${approved.body} {{amount}}` }, effectiveFrom: today, reason: marker });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ code: 'template_placeholder_unknown', params: { placeholder: 'amount', kind: 'application-approved', field: 'body' } });
    expect(unknown.body.invalidParams[0]).toMatchObject({ name: 'body', code: 'template_placeholder_unknown' });
    const malformed = await put('application-approved', 'fi', { template: { subject: 'Hei {{first name}}', body: approved.body }, effectiveFrom: today, reason: marker });
    expect(malformed.body).toMatchObject({ code: 'template_placeholder_malformed', params: { field: 'subject' } });
    const past = await put('application-approved', 'fi', { template: approved, effectiveFrom: addDays(today, -1), reason: marker });
    expect(past.body).toMatchObject({ code: 'template_effective_from_past' });
    const asBilling = await client.api(`${base}/application-approved/fi`, { method: 'PUT', cookie: billing, body: JSON.stringify({ template: approved, effectiveFrom: today, reason: marker }) });
    expect(asBilling.status).toBe(403);
    // Previewing a draft with an unknown placeholder is refused the same way.
    const draft = await preview('application-approved', 'fi', { memberNumber: 1, channel: 'email', template: { subject: 'x', body: '{{iban}}' } });
    expect(draft.body).toMatchObject({ code: 'template_placeholder_unknown', params: { placeholder: 'iban' } });
    expect(await mine()).toEqual([]);
  });

  it('stores versions with dates, who and why; the sending path uses the one in force and records it', async () => {
    const today = stack.ctx.today();
    const tomorrow = addDays(today, 1);
    const saved = await put('application-approved', 'fi', { template: approved, effectiveFrom: today, reason: `Board decision ${marker}` });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'register', effective: approved, history: [{ effectiveFrom: today, setBy: expect.any(String), reason: `Board decision ${marker}` }] });
    const versionId = String(saved.body.history[0].id);
    expect(saved.body.version).toBe(versionId);
    // Another language from tomorrow: scheduled, today's English is still the shipped one.
    const en = await put('application-approved', 'en', { template: { subject: 'Welcome – {{fundName}}', body: 'Dear {{firstName}}, from {{startDate}}.' }, effectiveFrom: tomorrow, reason: marker });
    expect(en.body).toMatchObject({ source: 'profile', version: 'shipped', scheduled: [{ effectiveFrom: tomorrow }] });
    expect(templateOf(stack.ctx.config.at(tomorrow), 'application-approved', 'en').version).toBe(String(en.body.scheduled[0].id));

    // A real application goes through intake; its approval message is rendered from the stored version.
    const { memberId, memberNumber, data } = await newMember();
    const messageOf = async (kind: string) => (await stack.db.select().from(messages).where(and(eq(messages.memberId, memberId), eq(messages.kind, kind))))[0];
    await expect.poll(async () => (await messageOf('application-approved'))?.templateVersion, { timeout: 15_000, interval: 100 }).toBe(versionId);
    const message = (await messageOf('application-approved'))!;
    expect(message.subject).toBe(`Tervetuloa jäseneksi – ${stack.ctx.profile.name.fi}`);
    expect(message.body).toContain('Hei Testi,');

    // The preview for that member: their name, the draft's text; audited as a read of the member.
    const text = await preview('application-approved', 'fi', { memberNumber, channel: 'sms', template: { subject: 'x', body: 'Hei {{firstName}}!' } });
    expect(text.status).toBe(200);
    expect(text.body).toMatchObject({ version: 'draft', body: 'Hei Testi!', unused: ['fundName', 'startDate'], characters: 10, channel: 'sms' });
    const inForce = await preview('application-approved', 'fi', { memberNumber, channel: 'email' });
    expect(inForce.body).toMatchObject({ version: versionId, subject: message.subject });
    const pdf = await preview('hearing-letter', 'sv', { memberNumber, channel: 'letter' }, true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.template-preview')));
    expect(reads.map((r) => (r.details as { kind: string }).kind).sort()).toEqual(['application-approved', 'application-approved', 'hearing-letter']);
    const nobody = await preview('application-approved', 'fi', { memberNumber: 999_999_999_999, channel: 'email' });
    expect(nobody.body).toMatchObject({ code: 'template_preview_member_not_found' });

    // A kind nobody edited records the shipped template.
    const resigned = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    expect(resigned.status).toBe(201);
    await expect.poll(async () => (await messageOf('resignation-confirmed'))?.templateVersion, { timeout: 15_000, interval: 100 }).toBe('shipped');

    // Back to the shipped template from today: history keeps every version, newest first; audited.
    const reset = await put('application-approved', 'fi', { template: null, effectiveFrom: today, reason: `Back ${marker}` });
    expect(reset.body).toMatchObject({ source: 'profile', version: 'shipped', history: [{ subject: null, body: null }, { subject: approved.subject }] });
    const audits = await stack.db.select().from(auditLog).where(eq(auditLog.entityType, 'message-template'));
    const ours = audits.filter((a) => String((a.details as { reason?: string }).reason).includes(marker));
    expect(ours.map((a) => a.action).sort()).toEqual(['message-template.reset', 'message-template.saved', 'message-template.saved']);
    expect(ours.find((a) => a.action === 'message-template.reset')?.details).toMatchObject({ before: { version: versionId }, after: null });
  });
});
