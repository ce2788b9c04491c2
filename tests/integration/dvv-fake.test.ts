import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DvvAuthError, DvvUnavailableError, createDvvChangesClient, pullUntilUpToDate, type PopulationChange } from '../../integrations/adapters/dvv';
import { FakeDvv, type RunningFakeDvv } from '../../integrations/adapters/dvv/fakeDvv';
import { generateTestIdentityCode } from '../../domain/identityCode';
import type { DvvRawChange } from '../../integrations/transforms/dvv/changes';

// The DVV client against the fake over real HTTP (port 0): the protocol as it goes over the wire.
// It needs none of the stack the integration project's global setup starts.

const members = Array.from({ length: 5 }, (_, i) => generateTestIdentityCode(`1980-01-0${i + 1}`, 900 + i));
const stranger = generateTestIdentityCode('1975-06-15', 950);

const credentials = { username: 'kassa-mutp', password: 'oikea-salasana', xRoadClient: 'FI/COM/1234567-8/jasenrekisteri' };

function addressChange(code: string, day: string, street: string): DvvRawChange {
  return {
    henkilotunnus: code,
    muutospv: `${day}T22:00:00.000Z`,
    tietoryhmat: [
      {
        tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE',
        muutosattribuutti: 'LISATTY',
        alkupv: { arvo: day, tarkkuus: 'PAIVA' },
        katunimi: { fi: street, sv: street },
        katunumero: '1',
        postinumero: '00100',
        postitoimipaikka: { fi: 'HELSINKI', sv: 'HELSINGFORS' },
      },
    ],
  };
}

describe('DVV change client against the fake DVV over HTTP', () => {
  const fake = new FakeDvv({ ...credentials, basePath: '/api/v1', batchSize: 3, firstToken: 1_000 });
  let server: RunningFakeDvv;
  const client = () => createDvvChangesClient({ baseUrl: server.url, ...credentials });

  beforeAll(async () => {
    server = await fake.listen(0);
    // Two days of changes: 12 for members and 4 for someone the fund does not ask about.
    for (let i = 0; i < 16; i++) {
      const code = i % 4 === 3 ? stranger : members[i % members.length]!;
      fake.add(addressChange(code, i < 8 ? '2025-03-01' : '2025-03-02', `Katu ${i}`), { recordedOn: i < 8 ? '2025-03-01' : '2025-03-02' });
    }
    fake.add({
      henkilotunnus: members[0]!,
      muutospv: '2025-03-02T22:00:00.000Z',
      tietoryhmat: [{ tietoryhma: 'KUOLINPAIVA', muutosattribuutti: 'LISATTY', kuollut: true, kuolinpv: { arvo: '2025-03-01', tarkkuus: 'PAIVA' } }],
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('listens on a free port and serves the first token of a day', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(await client().firstToken('2025-03-01')).toBe(1_000);
    expect(await client().firstToken('2025-03-02')).toBe(1_008);
    expect(await client().firstToken('2025-04-01')).toBe(fake.headToken);
  });

  it('pulls in batches until up to date, with the token never going backwards', async () => {
    const start = await client().firstToken('2025-03-01');
    const tokens = [start];
    const batches: { size: number; upToDate: boolean }[] = [];
    const changes: PopulationChange[] = [];
    const result = await pullUntilUpToDate(client(), {
      token: start,
      identityCodes: members,
      onBatch: async (batch) => {
        tokens.push(batch.nextToken);
        batches.push({ size: batch.changes.length, upToDate: batch.upToDate });
        changes.push(...batch.changes);
        expect(batch.rejected).toEqual([]);
      },
    });

    expect(result).toEqual({ token: fake.headToken, batches: 5, upToDate: true });
    expect(batches).toEqual([
      { size: 3, upToDate: false },
      { size: 3, upToDate: false },
      { size: 3, upToDate: false },
      { size: 3, upToDate: false },
      { size: 1, upToDate: true },
    ]);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);

    // Only the asked-for people, in log order, typed.
    expect(changes.every((c) => members.includes(c.identityCode))).toBe(true);
    expect(changes.filter((c) => c.kind === 'address')).toHaveLength(12);
    expect(changes[0]).toMatchObject({ kind: 'address', changedOn: '2025-03-02', address: { street: 'Katu 0 1', postalCode: '00100', city: 'HELSINKI' } });
    expect(changes.at(-1)).toMatchObject({ kind: 'death', identityCode: members[0], date: '2025-03-01', precision: 'day' });

    // Caught up: asking again from the returned token gives nothing new.
    expect(await client().changesSince(result.token, members)).toMatchObject({ nextToken: result.token, upToDate: true, changes: [] });
  });

  it('picks up a change added after catching up', async () => {
    const token = fake.headToken;
    fake.add(addressChange(members[2]!, '2025-03-03', 'Uusi katu'));
    const batch = await client().changesSince(token, members);
    expect(batch).toMatchObject({ nextToken: token + 1, upToDate: true });
    expect(batch.changes).toEqual([expect.objectContaining({ identityCode: members[2], kind: 'address', changedOn: '2025-03-04' })]);
  });

  it('surfaces a transient 503 as the retryable error, and the retry succeeds', async () => {
    fake.failEvery = 2;
    try {
      // Every second request fails, so of two in a row exactly one does.
      const c = client();
      const errors: unknown[] = [];
      for (let i = 0; i < 2; i++) await c.firstToken('2025-03-01').catch((e: unknown) => errors.push(e));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(DvvUnavailableError);
      expect(errors[0]).toMatchObject({ retryable: true, status: 503 });
    } finally {
      fake.failEvery = 0;
    }
    await expect(client().firstToken('2025-03-01')).resolves.toBe(1_000);
  });

  it('refuses a wrong password with the auth error, which is not retryable', async () => {
    const wrong = createDvvChangesClient({ baseUrl: server.url, ...credentials, password: 'väärä' });
    const error = await wrong.changesSince(1_000, members).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DvvAuthError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toMatch(/MUTP-Salasana/);
  });

  it('is slow when told to be', async () => {
    fake.latencyMs = 100;
    try {
      const started = performance.now();
      await client().firstToken('2025-03-01');
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      const impatient = createDvvChangesClient({ baseUrl: server.url, ...credentials, timeoutMs: 20 });
      await expect(impatient.firstToken('2025-03-01')).rejects.toBeInstanceOf(DvvUnavailableError);
    } finally {
      fake.latencyMs = 0;
    }
  });
});
