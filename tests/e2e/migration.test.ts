/**
 * The administrators' migration page (issue 14, decision 020): upload a batch's files, run the test
 * and read its report, download the rejected records, approve, load for real while the progress
 * shows, and accept each difference with a reason until the batch is done; axe clean; a caseworker
 * is told the page is not theirs. Its legacy ids (prefix W) and member numbers are its own.
 */
import { randomUUID } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrationBatches, migrationKeys } from '../../db/schema';
import type { MigrationEntity } from '../../domain/migration/records';
import { exportCsv, exportJsonLines, generateLegacyExport } from '../support/legacyExport';
import * as repo from '../../db/repositories/migration';
import { gotoReady, logIn, POLL, reloadUntil, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

describe('the migration page', () => {
  it('takes a batch from upload through test, approval and the real load to done; a caseworker is refused', async () => {
    const { baseUrl } = stack.web;
    const db = stack.web.stack.db;
    const batchId = `desk-${randomUUID().slice(0, 8)}`;
    const { files } = generateLegacyExport({ members: 10, seed: 17, faults: true, faultEvery: 5, prefix: 'W', memberNumberBase: 8_600_000, invoicesPerMember: 1, collectionState: true, transferredPeriods: true, messages: true });
    const entities = Object.keys(files) as MigrationEntity[];

    const context = await stack.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, baseUrl, 'admin', '/admin/migration');
    await page.getByTestId('migration-upload-form').waitFor(POLL);
    expect(await seriousViolations(page)).toEqual([]);

    // A name the format does not allow: the desk's refusal, in Finnish; nothing stored.
    await page.fill('#migration-batch-id', 'ei kelpaa!');
    await page.evaluate(() => document.getElementById('migration-batch-id')?.removeAttribute('pattern'));
    await page.getByTestId('migration-upload-form').locator('button[type="submit"]').click();
    await page.locator('[data-testid="problem-alert"][data-code="migration_batch_id_invalid"]').waitFor(POLL);
    expect(await db.select().from(migrationBatches).where(eq(migrationBatches.id, 'ei kelpaa!'))).toEqual([]);

    // Upload: persons as JSON Lines, the others as CSV, one file input per entity.
    await page.fill('#migration-batch-id', batchId);
    for (const entity of entities) {
      const jsonl = entity === 'persons';
      await page.setInputFiles(`#migration-file-${entity}`, {
        name: `${entity}.${jsonl ? 'jsonl' : 'csv'}`,
        mimeType: jsonl ? 'application/x-ndjson' : 'text/csv',
        buffer: Buffer.from(jsonl ? exportJsonLines(files[entity]) : exportCsv(entity, files[entity])),
      });
    }
    await page.getByTestId('migration-upload-form').locator('button[type="submit"]').click();
    await page.waitForURL(`${baseUrl}/admin/migration/${batchId}`, POLL);
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, POLL);
    expect(await page.locator('[data-testid="migration-files"] tbody tr').count()).toBe(entities.length);
    expect(await textOf(page.getByTestId('migration-batch-status'))).toBe('Ladattu');
    // Approval and the real load wait for a passed test.
    expect(await page.getByTestId('migration-approve').isDisabled()).toBe(true);
    expect(await page.getByTestId('migration-run-real').isDisabled()).toBe(true);
    expect(await page.getByTestId('migration-runs').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // The test: the page follows the run by itself until it passes.
    await page.getByTestId('migration-run-test').click();
    await page.locator('[data-testid="migration-run"][data-status="passed"]').waitFor({ timeout: 60_000 });
    const report = page.getByTestId('migration-report');
    await report.waitFor(POLL);
    const rejectedPersons = Number((await textOf(report.locator('[data-testid="migration-outcomes"] tr[data-entity="persons"] td').nth(3))).replace(/\s/g, ''));
    expect(rejectedPersons).toBeGreaterThan(0);
    expect(await keyCount()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-migration-tested');

    // The rejected persons download as CSV in the source's columns, with reasons.
    const download = page.waitForEvent('download');
    await report.locator('tr[data-entity="persons"] [data-testid="migration-rejected-link"]').click();
    const csv = await (await download).createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(csv.split(/\r?\n/)[0]).toMatch(/^legacy_id[,;]identity_code/);
    expect(csv.trim().split(/\r?\n/).slice(1).map((l) => l.replace(/^"/, '')[0])).toEqual(Array.from({ length: rejectedPersons }, () => 'W'));

    // Approve, then load for real: the run shows, then its differences wait for reasons.
    await page.getByTestId('migration-approve').click();
    await expect.poll(async () => textOf(page.getByTestId('migration-batch-status')), POLL).toBe('Hyväksytty siirrettäväksi');
    await page.getByTestId('migration-run-real').click();
    await page.locator('[data-testid="migration-run"][data-run^="real-"]').waitFor(POLL);
    await page.locator('[data-testid="migration-run"][data-run^="real-"][data-status="differences"]').waitFor({ timeout: 60_000 });
    // The real run names the test whose validated records it loaded (decision 073).
    expect(await textOf(page.locator('[data-testid="migration-run"][data-run^="real-"] [data-testid="migration-validated-in"]'))).toMatch(/^Latasi testiajon test-[0-9a-f]{12} tarkistamat tietueet$/);
    expect(await keyCount()).toBeGreaterThan(10);
    const differences = page.locator('[data-testid="migration-differences"] li');
    await differences.first().waitFor(POLL);
    const count = await differences.count();
    expect(count).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-migration-differences');

    for (let i = 0; i < count; i++) {
      const open = page.locator('[data-testid="migration-differences"] li:has(form)').first();
      await open.locator('input[name="reason"]').fill('Hylätyt tietueet korjataan ja lähetetään erässä 2');
      await open.locator('button[type="submit"]').click();
      await expect.poll(() => page.getByTestId('migration-accepted').count(), POLL).toBe(i + 1);
    }
    await reloadUntil(page, async () => (await textOf(page.getByTestId('migration-batch-status'))) === 'Valmis', 'the batch to be done');
    expect(await textOf(page.getByTestId('migration-accepted').first())).toContain('Hylätyt tietueet korjataan');
    const [stored] = await db.select().from(migrationBatches).where(eq(migrationBatches.id, batchId));
    expect(stored!.status).toBe('done');
    await context.close();

    const other = await stack.browser.newContext();
    const cw = await other.newPage();
    await logIn(cw, baseUrl, 'caseworker', '/admin/migration');
    await cw.locator('.alert--info').waitFor(POLL);
    expect(await cw.getByTestId('migration-upload-form').count()).toBe(0);
    expect(await seriousViolations(cw)).toEqual([]);
    await other.close();

    async function keyCount(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(migrationKeys).where(like(migrationKeys.legacyId, 'W%'));
      return row!.n;
    }
  }, 240_000);

  it('names a failed run\'s failure in the reader\'s language, its own words for the administrator (decision 071)', async () => {
    const { baseUrl } = stack.web;
    const db = stack.web.stack.db;
    const batchId = `desk-failed-${randomUUID().slice(0, 8)}`;
    const hash = 'c'.repeat(64);
    await repo.saveBatch(db, { id: batchId, createdBy: 'admin', contentHash: hash, files: [] });
    const raw = 'The batch files changed after this run was started.';
    await repo.insertRunOnce(db, { id: `migration/${batchId}/test-${hash.slice(0, 12)}`, batchId, mode: 'test', contentHash: hash, status: 'failed', startedBy: 'admin', error: raw, errorCode: 'migration-files-changed' });

    const context = await stack.browser.newContext();
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'admin', `/admin/migration/${batchId}`);
      for (const [lang, text] of [['fi', 'Erän tiedostot muuttuivat ajon aikana. Aja testi uudelleen.'], ['sv', 'Omgångens filer ändrades under körningen. Kör testet igen.'], ['en', 'The batch’s files changed during the run. Run the test again.']] as const) {
        await gotoReady(page, `${baseUrl}/admin/migration/${batchId}?lang=${lang}`);
        const run = page.getByTestId('migration-run');
        expect(await textOf(run.getByTestId('failure-text'))).toBe(text);
        expect(await run.getByTestId('failure-raw').locator('code').textContent()).toBe(raw);
      }
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
