import { describe, expect, it } from 'vitest';
import { FakeBank } from '../../../integrations/adapters/bank/fakeBank';
import { FakeCaseManagement } from '../../../integrations/adapters/caseManagement/fakeCaseManagement';
import { FakeMessaging } from '../../../integrations/adapters/messaging/fakeMessaging';
import { FakeTax } from '../../../integrations/adapters/tax/fakeTax';
import { AdapterConfigError, chooseAdapters, describeAdapters, runMode } from '../../../temporal/adapters';

const dvv = { DVV_CHANGES_URL: 'https://ss.fund.example/r1/dvv', DVV_USERNAME: 'u', DVV_PASSWORD: 'p', DVV_XROAD_CLIENT: 'FI/COM/1234567-8/jr' };

describe('chooseAdapters', () => {
  it('chooses the fakes in development and says so in the banner', () => {
    const { adapters, choices } = chooseAdapters({}, 'development');
    expect(adapters.bank).toBeInstanceOf(FakeBank);
    expect(adapters.messaging).toBeInstanceOf(FakeMessaging);
    expect(adapters.caseManagement).toBeInstanceOf(FakeCaseManagement);
    // Every outside system is a fake, except the webhooks of events out: real HTTP, sending only to configured subscribers.
    expect(choices.filter((c) => c.adapter !== 'webhooks').every((c) => c.fake)).toBe(true);
    expect(choices.find((c) => c.adapter === 'webhooks')).toMatchObject({ choice: 'http', fake: false });
    expect(describeAdapters(choices)).toBe(
      'adapters: bank FAKE (BANK_ADAPTER), messaging FAKE (MESSAGING_ADAPTER), population register FAKE (POPULATION_REGISTER_ADAPTER), case management FAKE (CASE_MANAGEMENT_ADAPTER), tax filing FAKE (TAX_ADAPTER), union exchange FAKE (UNION_EXCHANGE_ADAPTER), finance FAKE (FINANCE_ADAPTER), BI extract FAKE (BI_ADAPTER), webhooks http (OUTBOX_SUBSCRIBERS)',
    );
    expect(adapters.tax).toBeInstanceOf(FakeTax);
  });

  it('uses DVV in development when its address is configured', () => {
    const { choices } = chooseAdapters(dvv, 'development');
    expect(choices.find((c) => c.adapter === 'populationRegister')).toMatchObject({ choice: 'dvv', fake: false });
  });

  it('refuses a production start without an adapter, naming the variable', () => {
    expect(() => chooseAdapters({}, 'production')).toThrow(/BANK_ADAPTER is not set/);
    expect(() => chooseAdapters({ BANK_ADAPTER: 'fake' }, 'production')).toThrow(/MESSAGING_ADAPTER is not set/);
    expect(() => chooseAdapters({ BANK_ADAPTER: 'fake', MESSAGING_ADAPTER: 'fake' }, 'production')).toThrow(/POPULATION_REGISTER_ADAPTER is not set/);
    const others = { BANK_ADAPTER: 'fake', MESSAGING_ADAPTER: 'fake', POPULATION_REGISTER_ADAPTER: 'fake' };
    expect(() => chooseAdapters(others, 'production')).toThrow(/CASE_MANAGEMENT_ADAPTER is not set/);
    expect(() => chooseAdapters({ ...others, CASE_MANAGEMENT_ADAPTER: 'fake' }, 'production')).toThrow(/TAX_ADAPTER is not set/);
    expect(() => chooseAdapters({ ...others, CASE_MANAGEMENT_ADAPTER: 'fake', TAX_ADAPTER: 'fake' }, 'production')).toThrow(/UNION_EXCHANGE_ADAPTER is not set/);
    const allButFinance = { ...others, CASE_MANAGEMENT_ADAPTER: 'fake', TAX_ADAPTER: 'fake', UNION_EXCHANGE_ADAPTER: 'fake' };
    expect(() => chooseAdapters(allButFinance, 'production')).toThrow(/FINANCE_ADAPTER is not set/);
    expect(() => chooseAdapters({ ...allButFinance, FINANCE_ADAPTER: 'fake' }, 'production')).toThrow(/BI_ADAPTER is not set/);
    // The BI's pseudonymisation keys are configuration: production names them, development has a fixed one.
    expect(() => chooseAdapters({ ...allButFinance, FINANCE_ADAPTER: 'fake', BI_ADAPTER: 'fake' }, 'production')).toThrow(/BI_CLIENTS is not set/);
    expect(() => chooseAdapters({ ...allButFinance, FINANCE_ADAPTER: 'fake', BI_ADAPTER: 'fake', BI_CLIENTS: 'bi=c2hvcnQ=' }, 'production')).toThrow(/at least 32 bytes/);
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(chooseAdapters({ ...allButFinance, FINANCE_ADAPTER: 'fake', BI_ADAPTER: 'fake', BI_CLIENTS: `bi=${key},actuary=${key}` }, 'production').adapters.bi.clients.map((c) => c.id)).toEqual(['bi', 'actuary']);
    // DVV's address alone does not count as a choice in production: the adapter is named.
    expect(() => chooseAdapters({ BANK_ADAPTER: 'fake', MESSAGING_ADAPTER: 'fake', ...dvv }, 'production')).toThrow(AdapterConfigError);
  });

  it('refuses DVV without its credentials, naming each', () => {
    const base = { BANK_ADAPTER: 'fake', MESSAGING_ADAPTER: 'fake', POPULATION_REGISTER_ADAPTER: 'dvv', CASE_MANAGEMENT_ADAPTER: 'fake', TAX_ADAPTER: 'fake', UNION_EXCHANGE_ADAPTER: 'fake', FINANCE_ADAPTER: 'fake', BI_ADAPTER: 'fake', BI_CLIENTS: `bi=${Buffer.alloc(32, 1).toString('base64')}` };
    expect(() => chooseAdapters(base, 'production')).toThrow(/DVV_CHANGES_URL is not set/);
    expect(() => chooseAdapters({ ...base, ...dvv, DVV_PASSWORD: ' ' }, 'production')).toThrow(/DVV_PASSWORD is not set/);
    const { choices } = chooseAdapters({ ...base, ...dvv }, 'production');
    expect(describeAdapters(choices)).toContain('population register dvv (POPULATION_REGISTER_ADAPTER)');
  });

  it('refuses an adapter this version does not have', () => {
    expect(() => chooseAdapters({ BANK_ADAPTER: 'ebics' }, 'development')).toThrow(/BANK_ADAPTER=ebics is not an adapter of this version \(one of: fake\)/);
  });

  it('is production only when NODE_ENV says so', () => {
    expect(runMode({ NODE_ENV: 'production' })).toBe('production');
    expect(runMode({ NODE_ENV: 'test' })).toBe('development');
    expect(runMode({})).toBe('development');
  });
});
