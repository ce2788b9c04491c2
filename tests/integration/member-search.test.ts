/**
 * The desk's member search, each kind one statement that also writes the search's audit row
 * (decision 054): the hits are the ones the separate statements it replaced give (those stay in
 * db/repositories/memberSearch.ts), in the same order, and every search writes exactly one
 * `member.search` row with its kind and number of results, nothing of the query itself.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as search from '../../db/repositories/memberSearch';
import * as personsRepo from '../../db/repositories/persons';
import { auditLog, members, membershipPeriods, personIdentityCodes } from '../../db/schema';
import { generateTestIdentityCode } from '../../domain/identityCode';
import { searchMembers } from '../../services/members';
import { maskIdentityCode, type Principal } from '../../services/principal';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.close());

/** A user of its own per search, so its audit rows are told apart from other tests'. */
const user = (roles: string[]) => ({ kind: 'user', id: `search-test-${randomUUID()}`, name: 'Haku', roles }) satisfies Principal;

const letters = 'abcdefghijklmnopqrstuvwxyz';
const randomLetters = (n: number) => Array.from({ length: n }, () => letters[randomInt(letters.length)]).join('');

async function seedMember(o: { lastName: string; firstNames: string; identityCode?: string; memberNumber?: number }) {
  const identityCode = o.identityCode ?? uniqueIdentityCode();
  const personId = await personsRepo.createPerson(
    stack.db,
    { identityCode, firstNames: o.firstNames, lastName: o.lastName, birthDate: '1980-01-01', language: 'fi' },
    { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
  );
  const [member] = await stack.db
    .insert(members)
    .values({ personId, channel: 'direct', eligibilityBasis: 'employee', ...(o.memberNumber ? { memberNumber: o.memberNumber } : {}) })
    .returning();
  return { memberId: member!.id, memberNumber: member!.memberNumber, personId, identityCode };
}

async function auditRows(actor: string) {
  return stack.db.select().from(auditLog).where(and(eq(auditLog.actor, actor), eq(auditLog.action, 'member.search')));
}

/** The search as a caseworker, with its audit rows. */
async function searchAs(p: ReturnType<typeof user>, q: string, limit?: number) {
  const answer = await searchMembers(stack.ctx, p, q, limit);
  return { answer, audit: await auditRows(p.id) };
}

describe('member search in one statement with its audit row (decision 054)', () => {
  const stem = `hakuz${randomLetters(6)}`;
  const surname = `${stem[0]!.toUpperCase()}${stem.slice(1)}nen`;
  const firstNames = ['Aino', 'aapo', 'Bertta', 'Eero', 'Ella', 'Äijö', 'Ööpa', 'Zeta', 'Matti', 'Matti Juhani', 'Mikko', 'Noora', 'Olli', 'Pekka', 'Riikka', 'Sanna', 'Tiina', 'Ulla', 'Veikko', 'Ville', 'Yrjö', 'Åke', 'Kalle', 'Liisa'];
  const seeded: Awaited<ReturnType<typeof seedMember>>[] = [];

  beforeAll(async () => {
    // Surnames starting with the stem (two spellings, so case and order both count), and one with the stem inside.
    for (const [i, first] of firstNames.entries()) seeded.push(await seedMember({ lastName: i % 3 === 0 ? surname.toUpperCase() : surname, firstNames: first }));
    seeded.push(await seedMember({ lastName: `Ala-${stem}`, firstNames: 'Matti' }));
    await stack.db.insert(membershipPeriods).values({ memberId: seeded[0]!.memberId, startDate: '2021-01-01', endDate: null });
  }, 60_000);

  it('a surname prefix that fills the page: the fast path alone, in name order, one audit row', async () => {
    const p = user(['caseworker']);
    const reference = await search.searchByName(stack.db, [stem.slice(0, 8)], 20);
    const { answer, audit } = await searchAs(p, stem.slice(0, 8).toUpperCase());
    expect(reference).toHaveLength(20);
    expect(answer.kind).toBe('name');
    expect(answer.items.map((i) => i.id)).toEqual(reference.map((r) => r.memberId));
    expect(audit.map((a) => a.details)).toEqual([{ kind: 'name', results: 20 }]);
    expect(audit[0]).toMatchObject({ actorKind: 'user', entityType: 'member', entityId: '*' });
    // The hit carries its periods: the member with an open period is a member today.
    expect(answer.items.find((i) => i.id === seeded[0]!.memberId)?.status).toBe('active');
    expect(answer.items.find((i) => i.id === seeded[1]!.memberId)?.status).not.toBe('active');
  });

  it('fewer than a page: the fast path, then the trigram fallback (the stem inside a name), one audit row counting both', async () => {
    const p = user(['caseworker']);
    const reference = await search.searchByName(stack.db, [stem, 'matti'], 20);
    const { answer, audit } = await searchAs(p, `${stem} Matti`);
    expect(answer.items.map((i) => i.id)).toEqual(reference.map((r) => r.memberId));
    // Both Matti Hakuz…nen (the fast path) and Matti Ala-hakuz… (only the fallback finds it).
    expect(answer.items.map((i) => i.name)).toEqual(expect.arrayContaining([`Ala-${stem} Matti`]));
    expect(answer.items.some((i) => i.name.toLowerCase() === `${surname.toLowerCase()} matti`)).toBe(true);
    expect(audit.map((a) => a.details)).toEqual([{ kind: 'name', results: answer.items.length }]);
  });

  it('a page size the fast path fills exactly ends there; one more item goes on to the fallback', async () => {
    const p = user(['caseworker']);
    const exact = await searchAs(p, stem, firstNames.length);
    expect(exact.answer.items.map((i) => i.id)).toEqual((await search.searchByName(stack.db, [stem], firstNames.length)).map((r) => r.memberId));
    expect(exact.audit.map((a) => a.details)).toEqual([{ kind: 'name', results: firstNames.length }]);
    const q = user(['caseworker']);
    const more = await searchAs(q, stem, firstNames.length + 5);
    expect(more.answer.items.map((i) => i.id)).toEqual((await search.searchByName(stack.db, [stem], firstNames.length + 5)).map((r) => r.memberId));
    expect(more.answer.items.map((i) => i.name)).toContain(`Ala-${stem} Matti`);
    expect(more.audit.map((a) => a.details)).toEqual([{ kind: 'name', results: firstNames.length + 1 }]);
  });

  it('namesakes (the same names, in any case) answer in the order of the statements it replaced (decision 058)', async () => {
    const twin = `hakutwin${randomLetters(6)}`;
    for (const [last, first] of [[twin, 'Matti'], [twin.toUpperCase(), 'MATTI'], [twin, 'Matti'], [twin, 'matti'], [twin.toUpperCase(), 'Matti']] as const) await seedMember({ lastName: last, firstNames: first });
    for (const [q, words] of [[twin, [twin]], [`${twin} matti`, [twin, 'matti']]] as const) {
      const p = user(['caseworker']);
      const { answer } = await searchAs(p, q);
      expect(answer.items).toHaveLength(5);
      expect(answer.items.map((i) => i.id)).toEqual((await search.searchByName(stack.db, [...words], 20)).map((r) => r.memberId));
    }
  });

  it('nothing found still writes one audit row, with no results', async () => {
    const p = user(['caseworker']);
    const { answer, audit } = await searchAs(p, `${stem}qqq`);
    expect(answer.items).toEqual([]);
    expect(audit.map((a) => a.details)).toEqual([{ kind: 'name', results: 0 }]);
  });

  it('an identity code, current or earlier, finds its member; the code is masked for a role that does not need it', async () => {
    const m = seeded[1]!;
    const earlier = uniqueIdentityCode();
    await stack.db.insert(personIdentityCodes).values({ personId: m.personId, identityCode: earlier, active: false, source: 'dvv', recordedBy: 'test' });
    const caseworker = user(['caseworker']);
    const byCurrent = await searchAs(caseworker, m.identityCode.toLowerCase());
    expect(byCurrent.answer.kind).toBe('identity-code');
    expect(byCurrent.answer.items.map((i) => [i.id, i.identityCode])).toEqual([[m.memberId, m.identityCode]]);
    expect(byCurrent.audit.map((a) => a.details)).toEqual([{ kind: 'identity-code', results: 1 }]);
    // The audit row holds the kind only, never the code.
    expect(JSON.stringify(byCurrent.audit)).not.toContain(m.identityCode);
    const billing = user(['billing']);
    const byEarlier = await searchAs(billing, earlier);
    expect(byEarlier.answer.items.map((i) => [i.id, i.identityCode])).toEqual([[m.memberId, maskIdentityCode(m.identityCode)]]);
    expect(byEarlier.audit.map((a) => a.details)).toEqual([{ kind: 'identity-code', results: 1 }]);
  });

  it('a member number finds its member; an unknown one finds nothing, audited both', async () => {
    // Seven digits are a member number only (six are also a birth date); above what the sequence gives in tests.
    let number = 0;
    do number = 9_000_000 + randomInt(999_999);
    while ((await stack.db.select({ id: members.id }).from(members).where(eq(members.memberNumber, number))).length > 0);
    const m = await seedMember({ lastName: 'Numeroinen', firstNames: 'Niilo', memberNumber: number });
    const p = user(['supervisor']);
    const found = await searchAs(p, String(m.memberNumber));
    expect(found.answer.kind).toBe('number');
    expect(found.answer.items.map((i) => [i.id, i.memberNumber])).toEqual([[m.memberId, m.memberNumber]]);
    const q = user(['supervisor']);
    const none = await searchAs(q, '999999999999');
    expect(none.answer.items).toEqual([]);
    expect([...found.audit, ...none.audit].map((a) => a.details)).toEqual([
      { kind: 'number', results: 1 },
      { kind: 'number', results: 0 },
    ]);
  });

  it('six digits: the member with that number first, then birth dates in code order, each member once', async () => {
    // A six-digit member number that is also a birth date (30 MM YY: above the numbers the sequence gives in tests).
    let number = 0;
    let birth = '';
    for (;;) {
      const month = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12][randomInt(11)]!;
      const year = 1940 + randomInt(60);
      number = Number(`30${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}`);
      birth = `${year}-${String(month).padStart(2, '0')}-30`;
      const taken = await stack.db.select({ id: members.id }).from(members).where(eq(members.memberNumber, number));
      if (taken.length === 0) break;
    }
    const numbered = await seedMember({ lastName: 'Numeroinen', firstNames: 'Nelli', memberNumber: number });
    const born: Awaited<ReturnType<typeof seedMember>>[] = [];
    for (let i = 0; i < 3; i++) {
      let code = '';
      do code = generateTestIdentityCode(birth, 900 + randomInt(100));
      while ((await stack.db.select({ id: personIdentityCodes.id }).from(personIdentityCodes).where(eq(personIdentityCodes.identityCode, code))).length > 0 || born.some((b) => b.identityCode === code));
      born.push(await seedMember({ lastName: 'Syntynyt', firstNames: `Sini ${i}`, identityCode: code }));
    }
    const q = String(number).padStart(6, '0');
    const p = user(['caseworker']);
    const byNumber = await search.searchByMemberNumbers(stack.db, [number], 20);
    const byBirth = await search.searchByIdentityCodePrefix(stack.db, q, 20);
    const reference = [...byNumber, ...byBirth.filter((h) => !byNumber.some((n) => n.memberId === h.memberId))].slice(0, 20);
    const { answer, audit } = await searchAs(p, q);
    expect(answer.kind).toBe('identity-code-prefix');
    expect(answer.items[0]!.id).toBe(numbered.memberId);
    expect(answer.items.map((i) => i.id)).toEqual(reference.map((r) => r.memberId));
    expect(answer.items.map((i) => i.id)).toEqual(expect.arrayContaining(born.map((b) => b.memberId)));
    expect(new Set(answer.items.map((i) => i.id)).size).toBe(answer.items.length);
    const codes = answer.items.slice(1).map((i) => i.identityCode);
    expect(codes).toEqual([...codes].sort());
    expect(audit.map((a) => a.details)).toEqual([{ kind: 'identity-code-prefix', results: answer.items.length }]);

    // A longer prefix (with the century sign) is a birth date only; a page of one stops after one.
    const prefix = born[0]!.identityCode.slice(0, 8);
    const r = user(['caseworker']);
    const longer = await searchAs(r, prefix, 1);
    const [firstInOrder] = await search.searchByIdentityCodePrefix(stack.db, prefix, 1);
    expect(longer.answer.items.map((i) => i.id)).toEqual([firstInOrder!.memberId]);
    expect(longer.audit.map((a) => a.details)).toEqual([{ kind: 'identity-code-prefix', results: 1 }]);
  });

  it('a role that may not read members is refused before anything is read or audited', async () => {
    const p = user(['auditor']);
    await expect(searchMembers(stack.ctx, p, stem)).rejects.toMatchObject({ status: 403 });
    expect(await auditRows(p.id)).toEqual([]);
  });
});
