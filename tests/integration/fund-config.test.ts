/**
 * Fund configuration that survives upgrades (issue 15): administrators' overrides stored over the
 * shipped profile, migrated when a setting's shape changed, read by everything that reads the
 * profile; the API's refusals, preview, history, audit and export/import. Runs as KOKO, a fund no
 * other test file uses, so its overrides touch nobody else's profile.
 */
import { and, eq, gte, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDue } from '../../db/repositories/collection';
import { auditLog, fundConfigOverrides, messageTemplateVersions } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { getFundProfile, type FundProfile } from '../../domain/fundProfile';
import { templateOf } from '../../domain/messageTemplates';
import { createFundConfigSource } from '../../services/fundConfig';
import { apiClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
let billing: string;

const put = (key: string, body: unknown, cookie = admin) => client.api(`/api/v1/fund-config/${key}`, { method: 'PUT', cookie, body: JSON.stringify(body) });
const preview = (key: string, body: unknown) => client.api(`/api/v1/fund-config/${key}/preview`, { method: 'POST', cookie: admin, body: JSON.stringify(body) });
const list = (cookie = admin) => client.api('/api/v1/fund-config', { cookie });
const setting = async (key: string) => ((await list()).body.items as { key: string }[]).find((i) => i.key === key) as any;

const cleanTemplates = () => stack.db.delete(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'));
const clean = async () => {
  await stack.db.delete(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
  await cleanTemplates();
};

beforeAll(async () => {
  stack = await startStack({ fund: 'koko' });
  client = apiClient(stack);
  await clean();
  await stack.ctx.config.reload();
  [admin, billing] = await Promise.all([stack.login('admin'), stack.login('billing')]);
});

afterAll(async () => {
  if (stack) await clean();
  await stack?.close();
});

describe('configuration that survives an upgrade', () => {
  it("reads last version's stored overrides through the config migration, and a new shipped default never replaces an administrator's value", async () => {
    const today = stack.ctx.today();
    // As the previous release stored them: collection in its version-1 shape (levels without
    // `from` and `channels`), and an administrator's expulsion rules.
    const adminExpulsion = { ...getFundProfile('koko').expulsion, hearingDeadline: '21d', appealWindowDays: 45 };
    await stack.db.insert(fundConfigOverrides).values([
      { fundId: 'koko', key: 'collection', version: 1, value: { levels: [{ waitDays: 20, template: 'payment-reminder', newDueDays: 10, feeCents: 500 }], hearingAfterDays: 7, minimumOpenCents: 100, maxHoldDays: 90 }, effectiveFrom: today, reason: 'stored by the previous release', setBy: 'admin' },
      { fundId: 'koko', key: 'expulsion', version: 1, value: adminExpulsion, effectiveFrom: today, reason: 'board decision', setBy: 'admin' },
    ]);
    // The new release ships other defaults for expulsion and intake.
    const shippedBefore = stack.ctx.config.shipped;
    const nextRelease: FundProfile = { ...shippedBefore, expulsion: { ...shippedBefore.expulsion, hearingDeadline: '30d', appealWindowDays: 60 }, intake: { ...shippedBefore.intake, reviewDue: '2d' } };
    const upgraded = await createFundConfigSource(nextRelease, stack.db, stack.ctx.today);
    const profile = upgraded.current();
    expect(profile.collection).toEqual({ levels: [{ waitDays: 20, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 10, feeCents: 500 }], hearingAfterDays: 7, minimumOpenCents: 100, maxHoldDays: 90 });
    expect(profile.expulsion).toEqual(adminExpulsion);
    // What the administrator never set follows the new release.
    expect(profile.intake.reviewDue).toBe('2d');
    expect(profile.collection).not.toEqual(nextRelease.collection);

    // The running process reads the same after a reload, in services and in activities alike.
    await stack.ctx.config.reload();
    expect(stack.ctx.profile.expulsion.hearingDeadline).toBe('21d');
    expect(stack.activityDeps.profile.collection.levels[0]!.waitDays).toBe(20);
    const view = await setting('collection');
    expect(view).toMatchObject({ source: 'register', version: 2, effective: { hearingAfterDays: 7 } });
    await clean();
    await stack.ctx.config.reload();
    expect(stack.ctx.profile.collection).toEqual(getFundProfile('koko').collection);
  });
});

describe('the administrators’ API', () => {
  it('refuses with the rule’s code and the field, and stores nothing', async () => {
    const today = stack.ctx.today();
    const shipped = getFundProfile('koko');
    const cases: [string, unknown, number, string, string?][] = [
      ['bankAccount', { value: { iban: 'FI3579910000070125', bic: shipped.bic }, effectiveFrom: today, reason: 'new bank' }, 400, 'config_iban_invalid', 'value.iban'],
      ['expulsion', { value: { ...shipped.expulsion, appealWindowDays: 14 }, effectiveFrom: today, reason: 'shorter' }, 400, 'config_appeal_window_below_law', 'value.appealWindowDays'],
      ['collection', { value: { ...shipped.collection, hearingAfterDays: 'soon' }, effectiveFrom: today, reason: 'typo' }, 400, 'config_value_invalid', 'value.hearingAfterDays'],
      ['businessId', { value: '0715369-2', effectiveFrom: today, reason: 'typo' }, 400, 'config_business_id_invalid'],
      ['billingApproval', { value: { fourEyes: false }, effectiveFrom: addDays(today, -1), reason: 'backdated' }, 400, 'config_effective_from_past'],
      ['noSuchSetting', { value: 1, effectiveFrom: today, reason: 'what' }, 404, 'config_key_unknown'],
    ];
    for (const [key, body, status, code, field] of cases) {
      const res = await put(key, body);
      expect(res.status, `${key} ${code}`).toBe(status);
      expect(res.body.code).toBe(code);
      if (field) expect(res.body.invalidParams.map((p: { name: string }) => p.name)).toContain(field);
    }
    expect((await put('billingApproval', { value: { fourEyes: false }, effectiveFrom: today, reason: 'not mine' }, billing)).status).toBe(403);
    expect(await stack.db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'))).toEqual([]);
  });

  it('previews a reminder change with the members it moves, stores it with history and audit, and everything reads it', async () => {
    const today = stack.ctx.today();
    // Only this test's audit rows: other KOKO tests (fund-config-live) save settings too.
    const startedAt = new Date();
    const shipped = getFundProfile('koko').collection;
    const changed = { ...shipped, levels: shipped.levels.map((l, i) => (i === 0 ? { ...l, waitDays: l.waitDays + 7 } : { ...l, waitDays: l.waitDays + 7 })) };
    const pre = await preview('collection', { value: changed, effectiveFrom: today });
    expect(pre.status).toBe(200);
    expect(pre.body.changes).toContainEqual({ path: 'levels.0.waitDays', before: shipped.levels[0]!.waitDays, after: shipped.levels[0]!.waitDays + 7 });
    const [before, after] = await Promise.all([countDue(stack.db, shipped, today), countDue(stack.db, changed, today)]);
    expect(pre.body.collectionDue).toEqual({ before: { members: before.members, invoices: before.invoices }, after: { members: after.members, invoices: after.invoices } });
    // A preview stores nothing.
    expect((await setting('collection')).source).toBe('profile');

    const saved = await put('collection', { value: changed, effectiveFrom: today, reason: 'Board decision 12.12.2026' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'register', effective: changed, history: [{ reason: 'Board decision 12.12.2026', setBy: expect.any(String) }] });
    expect(stack.ctx.profile.collection.levels[0]!.waitDays).toBe(shipped.levels[0]!.waitDays + 7);
    expect(stack.activityDeps.profile.collection).toEqual(changed);

    // A change from a later date is scheduled, not in force.
    const later = addDays(today, 30);
    const scheduled = await put('billingApproval', { value: { fourEyes: false }, effectiveFrom: later, reason: 'from next month' });
    expect(scheduled.body).toMatchObject({ source: 'profile', effective: { fourEyes: true }, scheduled: [{ effectiveFrom: later, value: { fourEyes: false } }] });
    expect(stack.ctx.profile.billingApproval.fourEyes).toBe(true);
    expect(stack.ctx.config.at(later).billingApproval.fourEyes).toBe(false);

    // Back to the shipped value: a new history row, the old ones kept.
    const reset = await put('collection', { value: null, effectiveFrom: today, reason: 'back to the default' });
    expect(reset.body).toMatchObject({ source: 'profile', effective: shipped });
    expect(reset.body.history).toHaveLength(2);

    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'fund-config'), like(auditLog.entityId, 'koko/%'), gte(auditLog.at, startedAt)));
    expect(audits.map((a) => a.action).sort()).toEqual(['fund-config.reset', 'fund-config.set', 'fund-config.set']);
    expect(audits.find((a) => a.entityId === 'koko/collection' && a.action === 'fund-config.set')?.details).toMatchObject({ before: shipped, after: changed, reason: 'Board decision 12.12.2026' });
  });

  it('exports one document and imports it into a register once', async () => {
    const doc = await client.api('/api/v1/fund-config/export', { cookie: admin });
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ format: 'jasenrekisteri.fund-config', fund: 'koko' });
    expect(doc.body.settings.map((s: { key: string }) => s.key).sort()).toEqual(['billingApproval', 'collection']);
    const again = await client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify(doc.body) });
    expect(again.body).toEqual({ imported: 0, skipped: 2 });

    // As into a fresh register: nothing stored, the document lands whole.
    await clean();
    await stack.ctx.config.reload();
    const fresh = await client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify(doc.body) });
    expect(fresh.body).toEqual({ imported: 1, skipped: 1 });
    expect(stack.ctx.config.at(addDays(stack.ctx.today(), 30)).billingApproval.fourEyes).toBe(false);

    // One bad setting refuses the whole document.
    await clean();
    await stack.ctx.config.reload();
    const bad = { ...doc.body, settings: [...doc.body.settings, { key: 'bankAccount', version: 1, value: { iban: 'FI00', bic: 'X' }, effectiveFrom: stack.ctx.today(), reason: 'x' }] };
    const refused = await client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify(bad) });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('config_iban_invalid');
    expect(await stack.db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'))).toEqual([]);
    const other = await client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify({ ...doc.body, fund: 'a-kassa' }) });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('config_import_other_fund');
  });

  it('carries message templates in the document (format 3), previews an import without storing, and still imports a version-1 document', async () => {
    await clean();
    await stack.ctx.config.reload();
    const today = stack.ctx.today();
    const later = addDays(today, 10);
    const importDoc = (body: unknown) => client.api('/api/v1/fund-config/import', { method: 'POST', cookie: admin, body: JSON.stringify(body) });
    const previewDoc = (body: unknown) => client.api('/api/v1/fund-config/import/preview', { method: 'POST', cookie: admin, body: JSON.stringify(body) });
    const saveTemplate = (language: string, body: unknown) => client.api(`/api/v1/message-templates/payment-reminder/${language}`, { method: 'PUT', cookie: admin, body: JSON.stringify(body) });
    const text = { subject: 'Muistutus jäsenmaksusta', body: 'Hei {{firstName}}, maksa {{amount}} viimeistään {{dueDate}}. Viite {{reference}}.' };
    const scheduled = { subject: 'Påminnelse', body: 'Hej {{firstName}}, betala {{amount}} senast {{dueDate}}.' };
    expect((await saveTemplate('fi', { template: text, effectiveFrom: today, reason: 'new wording' })).status).toBe(200);
    expect((await saveTemplate('sv', { template: scheduled, effectiveFrom: later, reason: 'from later' })).status).toBe(200);
    expect((await put('billingApproval', { value: { fourEyes: false }, effectiveFrom: today, reason: 'one approver' })).status).toBe(200);

    const doc = (await client.api('/api/v1/fund-config/export', { cookie: admin })).body;
    expect(doc.formatVersion).toBe(3);
    expect(doc.templates).toEqual([
      { kind: 'payment-reminder', language: 'fi', ...text, effectiveFrom: today, reason: 'new wording' },
      { kind: 'payment-reminder', language: 'sv', ...scheduled, effectiveFrom: later, reason: 'from later' },
    ]);

    // Into the same register: everything already there.
    const same = await previewDoc(doc);
    expect(same.body).toMatchObject({ formatVersion: 3, imported: 0, skipped: 3 });
    expect(await importDoc(doc).then((r) => r.body)).toEqual({ imported: 0, skipped: 3 });

    // Into a fresh register: the preview lists what would change and stores nothing; the import stores it whole.
    await clean();
    await stack.ctx.config.reload();
    const plan = await previewDoc(doc);
    expect(plan.status).toBe(200);
    expect(plan.body.imported).toBe(3);
    expect(plan.body.entries).toEqual([
      { target: 'billingApproval', effectiveFrom: today, reason: 'one approver', action: 'import', changes: [{ path: 'fourEyes', before: true, after: false }] },
      { target: 'template:payment-reminder/fi', effectiveFrom: today, reason: 'new wording', action: 'import', changes: [] },
      { target: 'template:payment-reminder/sv', effectiveFrom: later, reason: 'from later', action: 'import', changes: [] },
    ]);
    expect(await stack.db.select().from(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'))).toEqual([]);
    expect(plan.body.plan).toMatch(/^[0-9a-f]{64}$/);
    expect((await previewDoc(doc)).body.plan).toBe(plan.body.plan);

    // A setting saved between the preview and the confirmation: the confirmed plan is stale, nothing is stored.
    expect((await put('billingApproval', { value: { fourEyes: false }, effectiveFrom: today, reason: 'meanwhile' })).status).toBe(200);
    const stale = await client.api(`/api/v1/fund-config/import?plan=${plan.body.plan}`, { method: 'POST', cookie: admin, body: JSON.stringify(doc) });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('config_import_stale');
    expect(await stack.db.select().from(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'))).toEqual([]);
    const badPlan = await client.api('/api/v1/fund-config/import?plan=not-a-plan', { method: 'POST', cookie: admin, body: JSON.stringify(doc) });
    expect(badPlan.status).toBe(400);
    await clean();
    await stack.ctx.config.reload();

    // The plan confirmed as previewed imports.
    const confirmed = await client.api(`/api/v1/fund-config/import?plan=${plan.body.plan}`, { method: 'POST', cookie: admin, body: JSON.stringify(doc) });
    expect(confirmed.body).toEqual({ imported: 3, skipped: 0 });
    expect(templateOf(stack.ctx.profile, 'payment-reminder', 'fi')).toMatchObject(text);
    expect(templateOf(stack.ctx.profile, 'payment-reminder', 'sv').version).toBe('shipped');
    expect(templateOf(stack.ctx.config.at(later), 'payment-reminder', 'sv')).toMatchObject(scheduled);
    expect(stack.ctx.profile.billingApproval.fourEyes).toBe(false);
    const audit = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'fund-config.imported'), eq(auditLog.entityId, 'koko'))).orderBy(auditLog.at);
    expect(audit.at(-1)?.details).toMatchObject({ formatVersion: 3, templates: ['template:payment-reminder/fi', 'template:payment-reminder/sv'] });

    // A template with a placeholder its kind does not provide refuses the whole document, by name.
    await clean();
    await stack.ctx.config.reload();
    const bad = { ...doc, templates: [...doc.templates, { kind: 'payment-reminder', language: 'en', subject: 'Reminder', body: 'Dear {{lastName}}', effectiveFrom: today, reason: 'typo' }] };
    const refused = await importDoc(bad);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'template_placeholder_unknown', params: { placeholder: 'lastName' } });
    expect((await previewDoc(bad)).body.code).toBe('template_placeholder_unknown');
    expect(await stack.db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'))).toEqual([]);
    expect(await stack.db.select().from(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, 'koko'))).toEqual([]);

    // An older document (format 1, settings only, as the previous release exported) still imports; format 1 with templates is not one.
    const { templates: _templates, ...v1 } = { ...doc, formatVersion: 1 };
    expect(await importDoc(v1).then((r) => r.body)).toEqual({ imported: 1, skipped: 0 });
    expect(stack.ctx.profile.billingApproval.fourEyes).toBe(false);
    expect(templateOf(stack.ctx.profile, 'payment-reminder', 'fi').version).toBe('shipped');
    expect((await importDoc({ ...doc, formatVersion: 1 })).body.code).toBe('config_import_format');
    expect((await importDoc({ ...doc, formatVersion: 4 })).body.code).toBe('config_import_format');

    // A shape refusal names the field with a code and params the desk turns into a sentence.
    const small = await put('collection', { value: { ...getFundProfile('koko').collection, maxHoldDays: 0 }, effectiveFrom: today, reason: 'too short' });
    expect(small.status).toBe(400);
    expect(small.body.invalidParams).toContainEqual(expect.objectContaining({ name: 'value.maxHoldDays', code: 'config_value_too_small', params: expect.objectContaining({ min: 1 }) }));
    await clean();
    await stack.ctx.config.reload();
  });
});
