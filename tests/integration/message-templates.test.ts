/**
 * Message templates (issue 15; decision 023): an administrator's version is refused with the
 * unknown placeholder's name, stored with its date, reason and author, in force from its date, used
 * by the real sending path (an approved application's message records the version), previewed for
 * a real member (audited) and returned to the shipped template. Its rows carry this file's own
 * reason marker and are removed afterwards, so no other test file sees them. A channel's own text
 * (decision 039): an SMS text without a subject is used on SMS only, recorded with its version,
 * previewed, exported in format 3 and imported.
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

async function newMember(overrides: Parameters<typeof applicationData>[0] = {}) {
  const data = applicationData(overrides);
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

  it("keeps a channel's own text: used on that channel only, recorded with its version, previewed, exported and imported", async () => {
    const today = stack.ctx.today();
    const onChannel = (channel: string, init: { method?: string; body?: unknown } = {}) =>
      client.api(`${base}/application-approved/fi?channel=${channel}`, { method: init.method ?? 'GET', cookie: admin, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    const sms = { subject: '', body: 'Hei {{firstName}}, olet jäsen {{startDate}} alkaen. {{fundName}}' };

    // An SMS may have no subject but at most 918 characters; the common text needs its subject.
    const long = await onChannel('sms', { method: 'PUT', body: { template: { subject: '', body: 'x'.repeat(919) }, effectiveFrom: today, reason: marker } });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('template_text_too_long');
    expect((await put('application-approved', 'fi', { template: { subject: '', body: 'Hei' }, effectiveFrom: today, reason: marker })).body.code).toBe('template_text_empty');
    expect((await onChannel('fax')).status).toBe(400);
    expect(await mine().then((rows) => rows.filter((r) => r.channel !== null))).toEqual([]);

    const saved = await onChannel('sms', { method: 'PUT', body: { template: sms, effectiveFrom: today, reason: `SMS ${marker}` } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ channel: 'sms', source: 'register', effective: sms, ownChannels: ['sms'], history: [{ effectiveFrom: today }] });
    const smsVersion = String(saved.body.history[0].id);
    const common = await client.api(`${base}/application-approved/fi`, { cookie: admin });
    expect(common.body).toMatchObject({ channel: null, ownChannels: ['sms'] });
    expect(common.body.history.map((h: { id: number }) => String(h.id))).not.toContain(smsVersion);
    const list = await client.api(base, { cookie: admin });
    const fi = list.body.items.find((k: { kind: string }) => k.kind === 'application-approved').languages.find((l: { language: string }) => l.language === 'fi');
    expect(fi.channels).toEqual(['sms']);

    // A member with a phone only gets the SMS text; one with an e-mail address the common text.
    const sentTo = async (memberId: string) => {
      const rowOf = async () => (await stack.db.select().from(messages).where(and(eq(messages.memberId, memberId), eq(messages.kind, 'application-approved'))))[0];
      await expect.poll(async () => (await rowOf())?.status, { timeout: 15_000, interval: 100 }).toBe('sent');
      return (await rowOf())!;
    };
    const phoneOnly = await newMember({ email: undefined });
    const bySms = await sentTo(phoneOnly.memberId);
    expect(bySms).toMatchObject({ channel: 'sms', subject: '', templateVersion: smsVersion });
    expect(bySms.body).toMatch(/^Hei Testi, olet jäsen \d{1,2}\.\d{1,2}\.\d{4} alkaen\. /);
    expect(stack.messaging.delivered.get(bySms.messageKey)).toMatchObject({ channel: 'sms', body: bySms.body });
    const byEmail = await sentTo((await newMember()).memberId);
    expect(byEmail.channel).toBe('email');
    expect(byEmail.templateVersion).toBe(templateOf(stack.ctx.profile, 'application-approved', 'fi').version);
    expect(byEmail.body).not.toContain('olet jäsen');
    expect(stack.messaging.delivered.get(byEmail.messageKey)?.subject).toBe(byEmail.subject);

    // The preview on the channel renders its own text.
    const shown = await preview('application-approved', 'fi', { memberNumber: phoneOnly.memberNumber, channel: 'sms' });
    expect(shown.body).toMatchObject({ version: smsVersion, subject: '', body: bySms.body });

    // Exported in format 3 with its channel; back to the common text, then imported again.
    const doc = (await client.api('/api/v1/fund-config/export', { cookie: admin })).body;
    expect(doc.formatVersion).toBe(3);
    const entry = doc.templates.find((t: { kind: string; channel?: string }) => t.kind === 'application-approved' && t.channel === 'sms');
    expect(entry).toEqual({ kind: 'application-approved', language: 'fi', channel: 'sms', ...sms, effectiveFrom: today, reason: `SMS ${marker}` });
    const back = await onChannel('sms', { method: 'PUT', body: { template: null, effectiveFrom: today, reason: `back ${marker}` } });
    expect(back.body).toMatchObject({ channel: 'sms', ownChannels: [], source: common.body.source });
    const only = { ...doc, settings: [], templates: [entry] };
    const plan = await client.api('/api/v1/fund-config/import/preview', { method: 'POST', cookie: admin, body: JSON.stringify(only) });
    expect(plan.body.entries).toEqual([expect.objectContaining({ target: 'template:application-approved/fi/sms', action: 'import' })]);
    const v2 = await client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify({ ...only, formatVersion: 2 }) });
    expect(v2.body.code).toBe('config_import_format');
    const imported = await client.api(`/api/v1/fund-config/import?plan=${plan.body.plan}`, { method: 'POST', cookie: admin, body: JSON.stringify(only) });
    expect(imported.body).toEqual({ imported: 1, skipped: 0 });
    expect((await onChannel('sms')).body).toMatchObject({ ownChannels: ['sms'], effective: sms });
  });
});

