import { describe, expect, it } from 'vitest';
import {
  DvvAuthError,
  DvvRequestError,
  DvvUnavailableError,
  createDvvChangesClient,
  pullUntilUpToDate,
  type PopulationChangesBatch,
  type PopulationRegisterChanges,
} from '../../../integrations/adapters/dvv';
import { FakeDvv } from '../../../integrations/adapters/dvv/fakeDvv';
import type { DvvRawChange } from '../../../integrations/transforms/dvv/changes';

const A = '010579-9999';
const B = '010180-999A';
const C = '010179-9992';

function nameChange(code: string, day: string, firstName: string): DvvRawChange {
  return {
    henkilotunnus: code,
    muutospv: `${day}T00:00:00+02:00`,
    tietoryhmat: [{ tietoryhma: 'HENKILON_NIMI', muutosattribuutti: 'MUUTETTU', etunimi: firstName, sukunimi: 'Testi' }],
  };
}

function clientFor(fake: FakeDvv, overrides: { password?: string; xRoadClient?: string; baseUrl?: string } = {}) {
  return createDvvChangesClient({
    baseUrl: overrides.baseUrl ?? 'http://dvv.test/api/v1/',
    username: 'dvv-user',
    password: overrides.password ?? 'dvv-password',
    xRoadClient: overrides.xRoadClient ?? 'FI/COM/1234567-8/jasenrekisteri',
    fetch: fake.fetch,
  });
}

/** A fetch that answers every request the same way, recording what it was sent. */
function stubFetch(status: number, body: string, seen: Request[] = []): typeof fetch {
  return async (input, init) => {
    seen.push(new Request(input, init));
    return new Response(body, { status });
  };
}

describe('FakeDvv in-process, through the client', () => {
  it('answers the first token of a day, or the head when nothing was recorded since', async () => {
    const fake = new FakeDvv({ basePath: '/api/v1', firstToken: 500 });
    fake.add(nameChange(A, '2025-03-01', 'Eka'));
    fake.add(nameChange(A, '2025-03-03', 'Toka'));
    fake.add(nameChange(B, '2025-03-03', 'Kolmas'), { recordedOn: '2025-03-05' });
    const client = clientFor(fake);
    expect(await client.firstToken('2025-02-01')).toBe(500);
    expect(await client.firstToken('2025-03-02')).toBe(501);
    expect(await client.firstToken('2025-03-04')).toBe(502);
    expect(await client.firstToken('2025-03-06')).toBe(503);
    expect(fake.headToken).toBe(503);
  });

  it('returns only the asked-for people, at most batchSize a call, until up to date', async () => {
    const fake = new FakeDvv({ basePath: '/api/v1', batchSize: 2, firstToken: 1 });
    fake.add(nameChange(A, '2025-03-01', 'A1')); // 1
    fake.add(nameChange(C, '2025-03-01', 'C1')); // 2
    fake.add(nameChange(B, '2025-03-01', 'B1')); // 3
    fake.add(nameChange(A, '2025-03-02', 'A2')); // 4
    fake.add(nameChange(C, '2025-03-02', 'C2')); // 5
    fake.add(nameChange(B, '2025-03-03', 'B2')); // 6
    const client = clientFor(fake);

    const first = await client.changesSince(1, [A, B]);
    expect(first).toMatchObject({ nextToken: 4, upToDate: false });
    expect(first.changes.map((c) => (c.kind === 'name' ? c.firstNames : c.kind))).toEqual(['A1', 'B1']);
    const second = await client.changesSince(first.nextToken, [A, B]);
    expect(second).toMatchObject({ nextToken: 7, upToDate: true });
    expect(second.changes.map((c) => (c.kind === 'name' ? c.firstNames : c.kind))).toEqual(['A2', 'B2']);
    expect(second.raw).toMatchObject({ viimeisinKirjausavain: 7, ajanTasalla: true });
    // Nothing new: the same token back, up to date.
    expect(await client.changesSince(7, [A, B])).toMatchObject({ nextToken: 7, upToDate: true, changes: [] });
  });

  it('says up to date when a full batch ends exactly at the end of the log', async () => {
    const fake = new FakeDvv({ batchSize: 2, firstToken: 10 });
    fake.add(nameChange(A, '2025-03-01', 'A1'));
    fake.add(nameChange(A, '2025-03-02', 'A2'));
    const client = clientFor(fake, { baseUrl: 'http://dvv.test' });
    expect(await client.changesSince(10, [A])).toMatchObject({ nextToken: 12, upToDate: true });
  });

  it('keeps its history when a test edits the object it added', async () => {
    const fake = new FakeDvv({ firstToken: 1 });
    const change = nameChange(A, '2025-03-01', 'Alkuperäinen');
    fake.add(change);
    change.tietoryhmat[0]!.etunimi = 'Muutettu';
    const batch = await clientFor(fake, { baseUrl: 'http://dvv.test' }).changesSince(1, [A]);
    expect(batch.changes[0]).toMatchObject({ firstNames: 'Alkuperäinen' });
  });

  it('refuses wrong credentials with the auth error and a missing X-Road-Client as a request error', async () => {
    const fake = new FakeDvv({ basePath: '/api/v1' });
    await expect(clientFor(fake, { password: 'wrong' }).firstToken('2025-03-01')).rejects.toBeInstanceOf(DvvAuthError);
    await expect(clientFor(fake, { xRoadClient: '' }).firstToken('2025-03-01')).rejects.toBeInstanceOf(DvvRequestError);
    expect(fake.requests.map((r) => r.status)).toEqual([401, 400]);
  });

  it('answers 503 on every Nth request, which the client reports as retryable', async () => {
    const fake = new FakeDvv({ basePath: '/api/v1', failEvery: 3 });
    const client = clientFor(fake);
    await client.firstToken('2025-03-01');
    await client.firstToken('2025-03-01');
    const error = await client.firstToken('2025-03-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DvvUnavailableError);
    expect(error).toMatchObject({ retryable: true, status: 503 });
    await expect(client.firstToken('2025-03-01')).resolves.toBeTypeOf('number');
  });

  it('waits latencyMs on every request', async () => {
    const fake = new FakeDvv({ latencyMs: 50 });
    const started = performance.now();
    await clientFor(fake, { baseUrl: 'http://dvv.test' }).firstToken('2025-03-01');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('createDvvChangesClient', () => {
  it('speaks the protocol: URLs, method, headers and body', async () => {
    const seen: Request[] = [];
    const client = createDvvChangesClient({
      baseUrl: 'https://ss.example/r1/VTJmutpa/api/v1//',
      username: 'tunnus',
      password: 'salasana',
      xRoadClient: 'FI/COM/1234567-8/jasenrekisteri',
      fetch: stubFetch(200, '{"viimeisinKirjausavain": 7, "muutokset": [], "ajanTasalla": true}', seen),
    });
    expect(await client.firstToken('2025-03-01')).toBe(7);
    await client.changesSince(7, [A, B]);
    const [get, post] = seen;
    expect(get?.method).toBe('GET');
    expect(get?.url).toBe('https://ss.example/r1/VTJmutpa/api/v1/kirjausavain/2025-03-01');
    expect(post?.method).toBe('POST');
    expect(post?.url).toBe('https://ss.example/r1/VTJmutpa/api/v1/muutokset');
    for (const request of [get, post]) {
      expect(request?.headers.get('MUTP-Tunnus')).toBe('tunnus');
      expect(request?.headers.get('MUTP-Salasana')).toBe('salasana');
      expect(request?.headers.get('X-Road-Client')).toBe('FI/COM/1234567-8/jasenrekisteri');
      expect(request?.headers.get('Accept')).toBe('application/json');
    }
    expect(post?.headers.get('Content-Type')).toBe('application/json');
    expect(await post?.json()).toEqual({ viimeisinKirjausavain: 7, hetulista: [A, B] });
  });

  it.each([
    [401, DvvAuthError, false],
    [403, DvvAuthError, false],
    [500, DvvUnavailableError, true],
    [502, DvvUnavailableError, true],
    [503, DvvUnavailableError, true],
    [429, DvvUnavailableError, true],
    [400, DvvRequestError, false],
    [404, DvvRequestError, false],
  ])('maps HTTP %i to %o (retryable: %s)', async (status, type, retryable) => {
    const client = createDvvChangesClient({ baseUrl: 'http://dvv.test', username: 'u', password: 'p', xRoadClient: 'x', fetch: stubFetch(status, '{"virhe":"x"}') });
    const error = await client.changesSince(1, [A]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, retryable });
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });

  it('treats a network failure or a timeout as retryable', async () => {
    const down = createDvvChangesClient({
      baseUrl: 'http://dvv.test',
      username: 'u',
      password: 'p',
      xRoadClient: 'x',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(down.firstToken('2025-03-01')).rejects.toMatchObject({ name: 'DvvUnavailableError', retryable: true, status: null });

    // A fetch that hangs until the client's timeout aborts it.
    const stalled = createDvvChangesClient({
      baseUrl: 'http://dvv.test',
      username: 'u',
      password: 'p',
      xRoadClient: 'x',
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error))),
    });
    await expect(stalled.firstToken('2025-03-01')).rejects.toBeInstanceOf(DvvUnavailableError);
  });

  it('refuses a non-JSON answer and bad arguments without calling DVV', async () => {
    const seen: Request[] = [];
    const client = createDvvChangesClient({ baseUrl: 'http://dvv.test', username: 'u', password: 'p', xRoadClient: 'x', fetch: stubFetch(200, '<html>', seen) });
    await expect(client.firstToken('2025-03-01')).rejects.toThrow(/not JSON/);
    await expect(client.firstToken('1.3.2025')).rejects.toBeInstanceOf(DvvRequestError);
    await expect(client.changesSince(-1, [A])).rejects.toBeInstanceOf(DvvRequestError);
    expect(seen).toHaveLength(1);
  });

  it('lets a broken envelope through as the transform error naming the field', async () => {
    const client = createDvvChangesClient({ baseUrl: 'http://dvv.test', username: 'u', password: 'p', xRoadClient: 'x', fetch: stubFetch(200, '{"viimeisinKirjausavain": 7, "muutokset": []}') });
    await expect(client.changesSince(1, [A])).rejects.toMatchObject({ name: 'TransformError', element: 'ajanTasalla' });
  });
});

describe('pullUntilUpToDate', () => {
  it('applies batch after batch until up to date, handing each over before the next call', async () => {
    const fake = new FakeDvv({ batchSize: 1, firstToken: 1 });
    for (const [i, code] of [A, B, A].entries()) fake.add(nameChange(code, '2025-03-01', `N${i}`));
    const tokens: number[] = [];
    const result = await pullUntilUpToDate(clientFor(fake, { baseUrl: 'http://dvv.test' }), {
      token: 1,
      identityCodes: [A, B],
      onBatch: async (batch) => {
        tokens.push(batch.nextToken);
      },
    });
    expect(result).toEqual({ token: 4, batches: 3, upToDate: true });
    expect(tokens).toEqual([2, 3, 4]);
  });

  it('stops when the token goes backwards, before applying that batch', async () => {
    const source: PopulationRegisterChanges = {
      firstToken: async () => 0,
      changesSince: async (token) => ({ nextToken: token - 1, upToDate: false, changes: [], rejected: [], raw: null }),
    };
    const applied: PopulationChangesBatch[] = [];
    await expect(pullUntilUpToDate(source, { token: 10, identityCodes: [A], onBatch: async (b) => void applied.push(b) })).rejects.toThrow(/earlier than/);
    expect(applied).toEqual([]);
  });

  it('gives up after maxBatches without claiming to be up to date', async () => {
    const source: PopulationRegisterChanges = {
      firstToken: async () => 0,
      changesSince: async (token) => ({ nextToken: token + 1, upToDate: false, changes: [], rejected: [], raw: null }),
    };
    expect(await pullUntilUpToDate(source, { token: 0, identityCodes: [A], onBatch: async () => {}, maxBatches: 5 })).toEqual({ token: 5, batches: 5, upToDate: false });
  });
});
