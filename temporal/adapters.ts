/**
 * The one place that chooses the register's outbound systems (bank, messaging, population
 * register, case management, tax filing, union exchange, finance, BI) from configuration. Development (`npm start`, tests) chooses the fakes explicitly and
 * the start banner says so; a production start (`NODE_ENV=production`) refuses to start unless
 * every adapter is configured, naming the variable that is missing. No other module falls back to
 * a fake.
 */
import type { BankAdapter } from '../integrations/adapters/bank';
import type { CaseManagementAdapter } from '../integrations/adapters/caseManagement';
import { FakeCaseManagement } from '../integrations/adapters/caseManagement/fakeCaseManagement';
import { FakeBank } from '../integrations/adapters/bank/fakeBank';
import { createDvvChangesClient, type PopulationRegisterChanges } from '../integrations/adapters/dvv';
import { FakeDvv } from '../integrations/adapters/dvv/fakeDvv';
import type { MessagingAdapter } from '../integrations/adapters/messaging';
import { FakeMessaging } from '../integrations/adapters/messaging/fakeMessaging';
import type { TaxFilingAdapter } from '../integrations/adapters/tax';
import { FakeTax } from '../integrations/adapters/tax/fakeTax';
import { createHttpWebhookSender, type WebhookSender } from '../integrations/adapters/webhook';
import { parseBiClients, type BiAdapter } from '../integrations/adapters/bi';
import { parseBiFormats } from '../domain/bi';
import { FakeBiSink } from '../integrations/adapters/bi/fakeBi';
import type { FinanceAdapter } from '../integrations/adapters/finance';
import { FakeFinance } from '../integrations/adapters/finance/fakeFinance';
import type { UnionExchangeAdapter } from '../integrations/adapters/unionExchange';
import { FakeUnionExchange } from '../integrations/adapters/unionExchange/fakeUnionExchange';

export interface Adapters {
  bank: BankAdapter;
  messaging: MessagingAdapter;
  populationRegister: PopulationRegisterChanges;
  caseManagement: CaseManagementAdapter;
  /** The Tax Administration's filing channel (the annual report of fees paid). */
  tax: TaxFilingAdapter;
  /** Events out: the signed webhook POSTs to subscribed systems (always real HTTP; who is subscribed is OUTBOX_SUBSCRIBERS). */
  webhooks: WebhookSender;
  /** The channel the unions' member lists go through. */
  unionExchange: UnionExchangeAdapter;
  /** The finance system's channel for the daily journal file. */
  finance: FinanceAdapter;
  /** The BI's file store for the nightly extract, with the BI clients and their pseudonymisation keys. */
  bi: BiAdapter;
}

/**
 * The adapters that can be asked whether their system answers (`ready()`), by name, for the
 * worker's /readyz (temporal/health.ts). The others are left out rather than reported up unasked.
 */
export function adapterProbes(adapters: Adapters): Record<string, () => Promise<void>> {
  const probes: Record<string, () => Promise<void>> = {};
  for (const [name, adapter] of Object.entries(adapters) as [string, { ready?: () => Promise<void> }][]) {
    if (typeof adapter?.ready === 'function') probes[name] = () => adapter.ready!();
  }
  return probes;
}

/** What was chosen, for the start banner: one line per adapter, no secrets. */
export interface AdapterChoice {
  adapter: keyof Adapters;
  variable: string;
  choice: string;
  fake: boolean;
}

export class AdapterConfigError extends Error {
  override name = 'AdapterConfigError';
}

export type RunMode = 'development' | 'production';

/** Production when NODE_ENV=production; everything else is development (fakes allowed, and said). */
export function runMode(env: NodeJS.ProcessEnv = process.env): RunMode {
  return env.NODE_ENV === 'production' ? 'production' : 'development';
}

/** The adapters each kind of system can have in this version. `fake` is never chosen silently in production. */
const available = {
  bank: ['fake'],
  messaging: ['fake'],
  populationRegister: ['dvv', 'fake'],
  caseManagement: ['fake'],
  tax: ['fake'],
  webhooks: ['http'],
  unionExchange: ['fake'],
  finance: ['fake'],
  bi: ['fake'],
} as const satisfies Record<keyof Adapters, readonly string[]>;

const variables: Record<keyof Adapters, string> = {
  bank: 'BANK_ADAPTER',
  messaging: 'MESSAGING_ADAPTER',
  populationRegister: 'POPULATION_REGISTER_ADAPTER',
  caseManagement: 'CASE_MANAGEMENT_ADAPTER',
  tax: 'TAX_ADAPTER',
  webhooks: 'OUTBOX_SUBSCRIBERS',
  unionExchange: 'UNION_EXCHANGE_ADAPTER',
  finance: 'FINANCE_ADAPTER',
  bi: 'BI_ADAPTER',
};

/**
 * The development BI client: a fixed key, public on purpose, so `npm start` runs the extract.
 * Production names its clients and keys in BI_CLIENTS.
 */
const developmentBiClients = `bi-dev=${Buffer.alloc(32, 'development-bi-key').toString('base64')}`;

function pick(adapter: keyof Adapters, env: NodeJS.ProcessEnv, mode: RunMode, developmentDefault: string): string {
  const variable = variables[adapter];
  const raw = env[variable]?.trim();
  const options: readonly string[] = available[adapter];
  if (!raw) {
    if (mode === 'production') {
      throw new AdapterConfigError(`${variable} is not set: a production start needs every adapter configured (one of: ${options.join(', ')}).`);
    }
    return developmentDefault;
  }
  if (!options.includes(raw)) throw new AdapterConfigError(`${variable}=${raw} is not an adapter of this version (one of: ${options.join(', ')}).`);
  return raw;
}

function required(env: NodeJS.ProcessEnv, name: string, because: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AdapterConfigError(`${name} is not set (${because}).`);
  return value;
}

/**
 * Chooses every adapter from the environment. In development an unset variable means the fake
 * (the population register: DVV when DVV_CHANGES_URL is set); in production it is an error.
 */
export function chooseAdapters(env: NodeJS.ProcessEnv = process.env, mode: RunMode = runMode(env)): { adapters: Adapters; choices: AdapterChoice[] } {
  const choices: AdapterChoice[] = [];
  const note = (adapter: keyof Adapters, choice: string) => choices.push({ adapter, variable: variables[adapter], choice, fake: choice === 'fake' });

  const bankChoice = pick('bank', env, mode, 'fake');
  note('bank', bankChoice);
  const bank: BankAdapter = new FakeBank();

  const messagingChoice = pick('messaging', env, mode, 'fake');
  note('messaging', messagingChoice);
  const messaging: MessagingAdapter = new FakeMessaging();

  const populationChoice = pick('populationRegister', env, mode, env.DVV_CHANGES_URL ? 'dvv' : 'fake');
  note('populationRegister', populationChoice);
  const populationRegister =
    populationChoice === 'dvv'
      ? createDvvChangesClient({
          baseUrl: required(env, 'DVV_CHANGES_URL', `${variables.populationRegister}=dvv`),
          username: required(env, 'DVV_USERNAME', `${variables.populationRegister}=dvv`),
          password: required(env, 'DVV_PASSWORD', `${variables.populationRegister}=dvv`),
          xRoadClient: required(env, 'DVV_XROAD_CLIENT', `${variables.populationRegister}=dvv`),
        })
      : createDvvChangesClient({
          baseUrl: 'http://fake-dvv.invalid',
          username: 'dvv-user',
          password: 'dvv-password',
          xRoadClient: 'FI/DEV/0000000-0/jasenrekisteri',
          fetch: new FakeDvv().fetch,
        });

  const caseManagementChoice = pick('caseManagement', env, mode, 'fake');
  note('caseManagement', caseManagementChoice);
  const caseManagement: CaseManagementAdapter = new FakeCaseManagement();


  const taxChoice = pick('tax', env, mode, 'fake');
  note('tax', taxChoice);
  const tax: TaxFilingAdapter = new FakeTax();

  const unionExchangeChoice = pick('unionExchange', env, mode, 'fake');
  note('unionExchange', unionExchangeChoice);
  const unionExchange: UnionExchangeAdapter = new FakeUnionExchange();

  const financeChoice = pick('finance', env, mode, 'fake');
  note('finance', financeChoice);
  const finance: FinanceAdapter = new FakeFinance();

  const biChoice = pick('bi', env, mode, 'fake');
  note('bi', biChoice);
  const biClientsRaw = mode === 'production' ? required(env, 'BI_CLIENTS', 'the BI clients and their pseudonymisation keys') : (env.BI_CLIENTS?.trim() || developmentBiClients);
  let biClients;
  let biFormats;
  try {
    biClients = parseBiClients(biClientsRaw);
    biFormats = parseBiFormats(env.BI_EXTRACT_FORMATS);
  } catch (e) {
    throw new AdapterConfigError((e as Error).message);
  }
  const bi: BiAdapter = { sink: new FakeBiSink(), clients: biClients, formats: biFormats };

  // No fake: the sender is plain HTTP in every mode, and with no subscribers configured it sends nothing.
  note('webhooks', 'http');
  const webhooks = createHttpWebhookSender();

  return { adapters: { bank, messaging, populationRegister, caseManagement, tax, unionExchange, finance, bi, webhooks }, choices };
}

/** One banner line, e.g. "adapters: bank fake (BANK_ADAPTER), messaging fake (…), population register dvv". */
export function describeAdapters(choices: readonly AdapterChoice[]): string {
  const names: Record<keyof Adapters, string> = { bank: 'bank', messaging: 'messaging', populationRegister: 'population register', caseManagement: 'case management', tax: 'tax filing', unionExchange: 'union exchange', finance: 'finance', bi: 'BI extract', webhooks: 'webhooks' };
  const parts = choices.map((c) => `${names[c.adapter]} ${c.fake ? 'FAKE' : c.choice} (${c.variable})`);
  return `adapters: ${parts.join(', ')}`;
}
