/**
 * The administrators' page of events out (decision 018): subscribers with their counts, a dead
 * letter sent again from the page, the replay form; axe clean; others are told it is not theirs.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createOutboxDeliveryActivities } from '../../activities/outboxDelivery';
import * as membersRepo from '../../db/repositories/members';
import { createPerson } from '../../db/repositories/persons';
import { members } from '../../db/schema';
import type { OutboxSettings } from '../../domain/events';
import { createHttpWebhookSender } from '../../integrations/adapters/webhook';
import { uniqueIdentityCode } from '../support/applications';
import { logIn, POLL, screenshot, seriousViolations, useBrowserStack } from '../support/browser';

// A receiver that refuses everything: one attempt makes a dead letter.
const receiver = createServer((_req, res) => void res.writeHead(503).end());
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const union = '8' + String(Math.floor(Math.random() * 90) + 10);
const outbox: OutboxSettings = {
  subscribers: [{ id: 'desk-test', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, types: ['membership.*'], secret: 'desk-test-secret-0123456789abcdef0123', unionCode: union }],
  maxAttempts: 1,
  retryBaseMs: 10,
  retryMaxMs: 10,
  timeoutMs: 2000,
  pollEveryMs: 100,
  retainDeliveredMs: 30 * 86_400_000,
};
const stack = useBrowserStack({ outbox });

describe('the outbox page', () => {
  it('shows the subscribers and the dead letters to an administrator, who sends one again; others are refused', async () => {
    const s = stack.web.stack;
    const memberId = await s.db.transaction(async (tx) => {
      const personId = await createPerson(
        tx,
        { identityCode: uniqueIdentityCode(), firstNames: 'Testi', lastName: 'Kuollut', birthDate: '1980-01-01', language: 'fi', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
        { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
      );
      const [m] = await tx.insert(members).values({ personId, channel: 'union', unionCode: union }).returning();
      return m!.id;
    });
    await membersRepo.openPeriodOnce(s.db, memberId, '2024-01-01', randomUUID());
    const acts = createOutboxDeliveryActivities({ db: s.db, outbox, webhooks: createHttpWebhookSender() });
    await acts.deliverOutbox({ budgetMs: 2000 });

    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'admin', '/admin/outbox');
    await page.locator('[data-testid="outbox-subscriber"][data-subscriber="desk-test"]').waitFor(POLL);
    const letter = page.locator('[data-testid="outbox-dead-letter"]').filter({ hasText: 'membership.joined' }).first();
    await letter.waitFor(POLL);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-outbox');
    await letter.getByRole('button').click();
    await page.locator('[data-testid="outbox-retried"]').waitFor(POLL);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const other = await stack.browser.newContext();
    const cw = await other.newPage();
    await logIn(cw, baseUrl, 'caseworker', '/admin/outbox');
    await cw.locator('.alert--info').waitFor(POLL);
    expect(await cw.locator('[data-testid="outbox-dead-letters"]').count()).toBe(0);
    expect(await seriousViolations(cw)).toEqual([]);
    await other.close();
    receiver.close();
  }, 120_000);
});
