import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Locator } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { populationSyncState, tasks } from '../../db/schema';
import { createDvvChangesClient } from '../../integrations/adapters/dvv';
import { FakeDvv } from '../../integrations/adapters/dvv/fakeDvv';
import { membershipDailySweep } from '../../workflows/membershipDailySweep';
import { populationRegisterSync } from '../../workflows/populationRegisterSync';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const fake = new FakeDvv();
const source = createDvvChangesClient({ baseUrl: 'http://fake-dvv.test', username: 'dvv-user', password: 'dvv-password', xRoadClient: 'FI/TEST/0000000-0/jr', fetch: fake.fetch });
const stack = useBrowserStack({ populationRegister: source });

/** A surname no other test member has. */
function uniqueSurname(prefix: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let tail = '';
  for (let i = 0; i < 6; i++) tail += letters[randomInt(letters.length)];
  return `${prefix}${tail}nen`;
}

/** An address as the page lays it out, one entry per line (textContent would run the lines together). */
async function linesOf(locator: Locator): Promise<string[]> {
  if ((await locator.count()) === 0) return [];
  return (await locator.first().innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The member's open task of this kind, once its workflow has opened it. */
async function openTaskOf(memberId: string, kind: string) {
  return vi.waitFor(
    async () => {
      const [row] = await stack.web.stack.db.select().from(tasks).where(and(eq(tasks.subjectId, memberId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
      if (!row) throw new Error(`no open ${kind} task for member ${memberId}`);
      return row;
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe('member tasks in the desk', () => {
  it('a caseworker opens an address conflict from the queue, adopts the register\'s address, and the overview shows it', async () => {
    const { baseUrl } = stack.web;
    const web = stack.web.stack;
    const bearer = await web.token('eservices');
    const caseworkerCookie = await web.login('caseworker');
    const { api, waitForStatus } = apiClient(web, { as: { token: bearer } });

    // A member who told the fund their own address ...
    const firstNames = 'Olli Osoite';
    const lastName = uniqueSurname('Ristiriita');
    const data = applicationData({ firstNames, lastName });
    const created = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
    expect(created.status, created.text).toBe(201);
    const { memberId } = await waitForStatus(created.body.id, ['approved'], { timeoutMs: 60_000 });
    const own = await api(`/api/v1/members/${memberId}/contact`, {
      method: 'PATCH',
      cookie: caseworkerCookie,
      body: JSON.stringify({ reason: 'Jäsenen ilmoitus', address: { street: 'Omakatu 1', postalCode: '00100', city: 'Helsinki' } }),
    });
    expect(own.status, own.text).toBe(200);

    // ... and the population register, which knows another one.
    const from = fake.add({
      henkilotunnus: data.identityCode,
      muutospv: new Date().toISOString(),
      tietoryhmat: [{ tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', muutosattribuutti: 'LISATTY', alkupv: { arvo: '2026-11-15', tarkkuus: 'PAIVA' }, katunumero: '9', postinumero: '20100', katunimi: { fi: 'Aurakatu' }, postitoimipaikka: { fi: 'TURKU' } }],
    });
    await web.db.delete(populationSyncState);
    await web.db.insert(populationSyncState).values({ id: 'dvv', token: from });
    const synced = await web.ctx.temporal.workflow.execute(populationRegisterSync, { taskQueue: web.ctx.taskQueues.register, workflowId: `test-population-sync-${newKey()}` });
    expect(synced.conflicts).toBe(1);
    const task = await openTaskOf(memberId, 'address-conflict');

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'caseworker');
      await gotoReady(page, `${baseUrl}/queue?kind=address-conflict`);
      const row = page.locator(`[data-testid="task-row"][data-task-id="${task.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await textOf(row.locator('.task-title'))).toBe('Osoite poikkeaa väestötiedoista');
      expect(await textOf(row.getByTestId('task-kind'))).toBe('Osoitteen ristiriita väestötietojen kanssa');
      await row.locator('[data-action="open"]').click();
      await page.waitForURL(`${baseUrl}/tasks/${task.id}`);

      // The member, and the two addresses side by side.
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe(`Osoiteristiriita: ${firstNames} ${lastName}`);
      expect(await textOf(page.getByTestId('review-member-name'))).toBe(`${firstNames} ${lastName}`);
      expect(await textOf(page.getByTestId('review-member-number'))).toMatch(/^\d+$/);
      expect(await page.getByTestId('member-link').getAttribute('href')).toBe(`/members/${memberId}`);
      expect(await linesOf(page.getByTestId('address-current-lines'))).toEqual(['Omakatu 1', '00100 Helsinki']);
      expect(await linesOf(page.getByTestId('address-register-lines'))).toEqual(['Aurakatu 9', '20100 TURKU']);
      expect(await textOf(page.getByRole('radiogroup', { name: /Kumpi osoite jää voimaan/ }))).toContain('Ota käyttöön väestötietojen osoite');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'task-address-conflict');

      // Claimed here, as on an application task.
      await gotoReady(page, `${baseUrl}/tasks/${task.id}`);
      await page.locator('[data-action="claim"]').click();
      await page.locator('[data-action="unclaim"]').waitFor({ timeout: 15_000 });

      // Keeping the member's address without a reason: the process refuses and the page says why, in Finnish (the refusal's code).
      await page.check('#decision-reject');
      await page.getByRole('button', { name: 'Tallenna päätös' }).click();
      await expect.poll(() => textOf(page.getByTestId('problem-alert')), POLL).toContain('Jäsenen oman osoitteen säilyttäminen vaatii perustelun.');
      expect(await page.isChecked('#decision-reject')).toBe(true);

      // Adopting the register's address.
      await page.check('#decision-approve');
      await page.getByRole('button', { name: 'Tallenna päätös' }).click();
      await expect.poll(() => textOf(page.getByTestId('decision-result')), POLL).toContain('Väestötietojen osoite otettiin käyttöön.');
      expect(await textOf(page.getByTestId('task-outcome'))).toBe('Väestötietojen osoite otettu käyttöön');
      expect(await page.getByTestId('review-decision').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByTestId('member-link').click();
      await page.waitForURL(`${baseUrl}/members/${memberId}`);
      await expect.poll(() => linesOf(page.getByTestId('member-address')), POLL).toEqual(['Aurakatu 9', '20100 TURKU']);
    } catch (error) {
      await screenshot(page, 'member-tasks-address-failure');
      throw error;
    } finally {
      await context.close();
    }
  });

  it('an eligibility review shows the entrepreneur\'s 18-month point and ends the membership when so decided', async () => {
    const { baseUrl } = stack.web;
    const web = stack.web.stack;
    const bearer = await web.token('eservices');
    const caseworkerCookie = await web.login('caseworker');
    const { api, waitForStatus, openTaskFor } = apiClient(web, { as: { token: bearer } });

    const firstNames = 'Yrjö Yrittäjä';
    const lastName = uniqueSurname('Tarkistus');
    const created = await api('/api/v1/applications', {
      method: 'POST',
      token: bearer,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ data: applicationData({ firstNames, lastName, employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }) }),
    });
    expect(created.status, created.text).toBe(201);
    const intake = await openTaskFor(created.body.id);
    await api(`/api/v1/tasks/${intake.id}/decision`, { method: 'POST', cookie: caseworkerCookie, body: JSON.stringify({ decision: 'approve' }) });
    const { memberId } = await waitForStatus(created.body.id, ['approved'], { timeoutMs: 60_000 });
    await web.ctx.temporal.workflow.execute(membershipDailySweep, { taskQueue: web.ctx.taskQueues.register, workflowId: `test-sweep-${newKey()}`, args: [{ today: web.ctx.today() }] });
    const task = await openTaskOf(memberId, 'eligibility-review');

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'caseworker');
      await gotoReady(page, `${baseUrl}/tasks/${task.id}`);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe(`Jäsenyysedellytyksen tarkistus: ${firstNames} ${lastName}`);
      expect(await textOf(page.getByTestId('entrepreneur-since'))).toBe('1.1.2024');
      expect(await textOf(page.getByTestId('entrepreneur-limit'))).toBe('30.6.2025');
      expect(await textOf(page.getByTestId('review-period'))).toContain('Toistaiseksi');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'task-eligibility-review');

      await page.check('#decision-reject');
      await page.fill('#reason', 'Päätoiminen yrittäjä yli 18 kuukautta');
      await page.getByRole('button', { name: 'Tallenna päätös' }).click();
      await expect.poll(() => textOf(page.getByTestId('decision-result')), POLL).toContain('Jäsenyys päätettiin.');
      expect(await textOf(page.getByTestId('task-outcome'))).toBe('Jäsenyys päätetty');
      expect(await textOf(page.getByTestId('review-period'))).toContain('Jäsenyysedellytys päättyi');
      expect(await seriousViolations(page)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'member-tasks-eligibility-failure');
      throw error;
    } finally {
      await context.close();
    }
  });
});
