import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { actorKinds, auditActions, changedFields, changeReasonCodes, ledgerLineCodes, messageFailureCodes, migrationRunFailureCodes, runExceptionCodes, taxRunFailureCodes, webhookFailureCodes } from '../../../domain/vocabulary';
import { defaultCode } from '../../../services/errors';
import { en } from '../../../web/lib/i18n/en';
import { fi } from '../../../web/lib/i18n/fi';
import { problemText } from '../../../web/lib/i18n/codes';
import { sv } from '../../../web/lib/i18n/sv';
import { missingTranslations, scanCodes, scanProject } from '../../support/codeScan';

const dictionaries: Record<string, Record<string, string>> = { fi, sv, en };
const root = join(import.meta.dirname, '../../..');

/** Names each missing (key, language) and where the code came from, one per line. */
const report = (missing: ReturnType<typeof missingTranslations>) => missing.map((m) => `${m.key} [${m.lang}] (from ${m.from})`).join('\n');

describe('every code the API answers has a text in fi, sv and en', () => {
  const found = scanProject(root);

  it('finds the codes thrown and answered across the back end and the desk', () => {
    const codes = new Set(found.map((f) => f.code));
    // A sample from each way of answering: failure(), notFound(), refusal(), invalid(), problem().
    for (const code of ['member_not_found', 'task_not_current', 'payment_already_booked', 'due_date_passed', 'session_ended', 'too_many_submissions', 'credit_note_exceeds_open']) {
      expect(codes, code).toContain(code);
    }
    expect(codes.size).toBeGreaterThan(100);
  });

  it('problem codes', () => {
    const generic = [400, 401, 403, 404, 409, 413, 415, 422, 429, 503].map((s) => ({ key: `code.${defaultCode(s)}`, from: 'services/errors.ts defaultCode' }));
    const keys = [...generic, { key: 'code.error', from: 'web/lib/i18n/codes.ts' }, ...found.map((f) => ({ key: `code.${f.code}`, from: `${f.file}:${f.line}` }))];
    expect(report(missingTranslations(keys, dictionaries))).toBe('');
  });

  it('audit actions, change fields and reasons, ledger lines, billing-run exceptions, actors, and message, webhook, tax-run and migration-run failures', () => {
    const keys = [
      ...auditActions.map((a) => ({ key: `audit.${a}`, from: 'domain/vocabulary.ts auditActions' })),
      ...changedFields.map((f) => ({ key: `changedField.${f}`, from: 'domain/vocabulary.ts changedFields' })),
      ...changeReasonCodes.map((c) => ({ key: `changeReason.${c}`, from: 'domain/vocabulary.ts changeReasonCodes' })),
      ...ledgerLineCodes.map((c) => ({ key: `ledgerLine.${c}`, from: 'domain/vocabulary.ts ledgerLineCodes' })),
      ...runExceptionCodes.map((c) => ({ key: `runException.${c}`, from: 'domain/vocabulary.ts runExceptionCodes' })),
      ...actorKinds.map((k) => ({ key: `actor.${k}`, from: 'domain/vocabulary.ts actorKinds' })),
      ...messageFailureCodes.map((c) => ({ key: `messageFailure.${c}`, from: 'domain/vocabulary.ts messageFailureCodes' })),
      ...webhookFailureCodes.map((c) => ({ key: `outbox.failure.${c}`, from: 'domain/vocabulary.ts webhookFailureCodes' })),
      ...taxRunFailureCodes.map((c) => ({ key: `tax.failure.${c}`, from: 'domain/vocabulary.ts taxRunFailureCodes' })),
      ...migrationRunFailureCodes.map((c) => ({ key: `migration.failure.${c}`, from: 'domain/vocabulary.ts migrationRunFailureCodes' })),
      ...['user', 'client', 'public', 'system'].map((k) => ({ key: `actorKind.${k}`, from: 'db/repositories/audit.ts actorKind' })),
    ];
    expect(report(missingTranslations(keys, dictionaries))).toBe('');
  });
});

describe('the scanner and the check can fail', () => {
  const sample = [
    "if (!x) throw failure(409, 'made_up_conflict', 'Made up.', { params: { n: 1 } });",
    "throw notFound(`Thing ${id}`, 'made_up_not_found');",
    "if (busy) throw refusal('made_up_refusal', 'Busy.');",
    "throw invalid('field', 'is wrong; fix it', 'made_up_invalid', { a: 1 });",
    "return problem(c, 429, 'Too many', 'Wait; then retry.', {\n  code: 'made_up_problem',\n});",
    "throw overLimit('made_up_helper', 'Too much.', 500); url.searchParams.set('client_id', id);",
  ].join('\n');

  it('finds each way of answering a code, with its line', () => {
    expect(scanCodes(sample, 'sample.ts').map((f) => [f.code, f.line])).toEqual(
      expect.arrayContaining([
        ['made_up_conflict', 1],
        ['made_up_not_found', 2],
        ['made_up_refusal', 3],
        ['made_up_invalid', 4],
        ['made_up_problem', 6],
        ['made_up_helper', 8],
      ]),
    );
    expect(scanCodes(sample, 'sample.ts').map((f) => f.code)).not.toContain('client_id');
  });

  it('names the missing key and language', () => {
    const keys = scanCodes(sample, 'sample.ts').map((f) => ({ key: `code.${f.code}`, from: `${f.file}:${f.line}` }));
    const missing = missingTranslations(keys, { fi: { 'code.made_up_conflict': 'Keksitty.' }, sv: {}, en: { 'code.made_up_conflict': '' } });
    expect(missing).toContainEqual({ key: 'code.made_up_conflict', lang: 'sv', from: 'sample.ts:1' });
    expect(missing).toContainEqual({ key: 'code.made_up_conflict', lang: 'en', from: 'sample.ts:1' });
    expect(missing).not.toContainEqual(expect.objectContaining({ key: 'code.made_up_conflict', lang: 'fi' }));
    expect(report(missing)).toContain('code.made_up_problem [fi] (from sample.ts:6)');
  });
});

describe('problemText', () => {
  it('translates a code with its params, money from cents', () => {
    expect(problemText('fi', { code: 'payment_not_unmatched', params: { status: 'allocated' } })).toBe('Maksu ei ole enää kohdistamaton (tila: allocated).');
    expect(problemText('sv', { code: 'credit_note_exceeds_open', params: { limitCents: 800 } })).toContain('8,00');
    expect(problemText('en', { code: 'no_fee_for_year', params: { year: 2027 } })).toContain('2027');
  });
  it('falls back to the status, then a generic text; never the English detail', () => {
    expect(problemText('fi', { code: 'no_such_code', status: 404 })).toBe(fi['code.not_found']);
    expect(problemText('fi', { code: 'no_such_code' })).toBe(fi['code.error']);
    expect(problemText('sv', null)).toBe(sv['code.error']);
  });
});
