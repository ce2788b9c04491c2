import { describe, expect, it } from 'vitest';
import { uniqueIdentityCode } from '../support/applications';
import { gotoReady, POLL, screenshot, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

/**
 * The join form shows the API's rules next to each field (issue 10.7): an invalid e-mail, phone
 * and postal code, a name over the limit ("at most 100 characters", not the field's usual hint),
 * no contact details at all, and a start date before the day of receipt.
 */
describe('the join form explains each refused field', () => {
  it('names the rule next to each field, in Finnish', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const error = (id: string) => textOf(page.locator(`#${id}-error`));
    try {
      await gotoReady(page, `${stack.web.baseUrl}/join`);
      await page.fill('#identityCode', uniqueIdentityCode());
      await page.fill('#firstNames', 'A'.repeat(101));
      await page.fill('#lastName', 'Testinen');
      await page.fill('#email', 'not-an-email');
      await page.fill('#phone', 'abc');
      await page.fill('#street', 'Testikatu 5');
      await page.fill('#postalCode', '0010000');
      await page.fill('#city', 'Helsinki');
      await page.check('#employmentStatus-employed');
      await page.fill('#employer', 'Esimerkki Oy');
      await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
      await page.locator('.error-summary[role="alert"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => error('firstNames'), POLL).toContain('Enintään 100 merkkiä.');
      expect(await error('email')).toContain('nimi@esimerkki.fi');
      expect(await error('phone')).toContain('040 123 4567');
      expect(await error('postalCode')).toContain('00100');
      await screenshot(page, 'join-rules');

      // Every contact detail left out: the form asks for one of them.
      await page.fill('#firstNames', 'Testi');
      await page.fill('#email', '');
      await page.fill('#phone', '');
      for (const id of ['street', 'postalCode', 'city']) await page.fill(`#${id}`, '');
      await page.fill('#requestedStartDate', '2019-01-01');
      await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
      await expect.poll(() => error('email'), POLL).toContain('Anna vähintään yksi yhteystieto');

      // With a way of contact, the start date years in the past is refused.
      await page.fill('#email', 'testi@example.fi');
      await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
      await expect.poll(() => error('requestedStartDate'), POLL).toContain('aikaisintaan hakemuksen saapumispäivänä');
    } catch (e) {
      await screenshot(page, 'join-rules-failure');
      throw e;
    } finally {
      await context.close();
    }
  });
});
