/**
 * DVV's change interface (VTJ-muutosrajapinta, domain.md §6): its JSON mapped to typed
 * population changes, with no I/O. Field names follow the City of Espoo's eVaka client and its
 * mock data; what they do not show is marked [U] here and in README.md.
 *
 * A broken envelope (token, ajanTasalla, muutokset) throws TransformError: nothing in the batch
 * can be trusted, not even the token to continue from. A broken record or data group is returned
 * in `rejected` with the field named, and the rest of the batch is still applied: one bad record
 * must not stop the sync (DVV allows at most two weeks between pulls), and a rejected change is
 * kept whole for a caseworker instead of being dropped.
 */
import { helsinkiDate, isIsoDate } from '../../../domain/dates';
import { parseIdentityCode } from '../../../domain/identityCode';
import { TransformError } from '../errors';

const FORMAT = 'dvv-json';

// ---------------------------------------------------------------------------------------------
// The wire format, as DVV sends it.

/** `{arvo, tarkkuus}`: a date and its precision (PAIVA, KUUKAUSI, VUOSI). */
export interface DvvRawDate {
  arvo: string;
  tarkkuus?: string;
}

/** One data group (tietoryhmä) of a change; the attributes depend on `tietoryhma`. */
export interface DvvRawGroup {
  tietoryhma: string;
  /** LISATTY, MUUTETTU, POISTETTU or LISATIETO. */
  muutosattribuutti?: string;
  [attribute: string]: unknown;
}

/** One person's change as DVV sends it. */
export interface DvvRawChange {
  henkilotunnus: string;
  /** When DVV recorded the change, e.g. '2019-09-24T21:00:00.000Z' (midnight in Finland). */
  muutospv: string;
  tietoryhmat: DvvRawGroup[];
  ajanTasalla?: boolean;
}

/** The answer to POST /muutokset. */
export interface DvvRawChangesResponse {
  viimeisinKirjausavain: number;
  muutokset: DvvRawChange[];
  ajanTasalla: boolean;
}

// ---------------------------------------------------------------------------------------------
// The typed changes.

/** muutosattribuutti: LISATTY, MUUTETTU, POISTETTU, LISATIETO; 'unknown' for anything else. */
export type DvvChangeAction = 'added' | 'changed' | 'removed' | 'info' | 'unknown';

/** The address kinds the register keeps (db person_addresses.kind). */
export type AddressKind = 'permanent' | 'postal' | 'temporary-foreign' | 'permanent-foreign';

export type DatePrecision = 'day' | 'month' | 'year';

export interface PostalAddress {
  street: string;
  /** '' for a foreign address without a separate postal code. */
  postalCode: string;
  city: string;
  /** DVV's country code (valtiokoodi) for foreign addresses; absent for Finnish ones. */
  country?: string;
}

export interface ChangeBase {
  /** The calendar day in Finland on which DVV recorded the change. */
  changedOn: string;
  /** muutospv exactly as DVV sent it. */
  changedAt: string;
  /** The person, as the fund asked for them (a corrected code arrives under the old one). */
  identityCode: string;
  /** The data group (tietoryhmä) it came from, e.g. 'VAKINAINEN_KOTIMAINEN_OSOITE'. */
  group: string;
  /** What happened to the group; null when DVV did not say. */
  action: DvvChangeAction | null;
  /** Where in the batch: with the request token, a stable key that makes re-applying a no-op. */
  position: { record: number; group: number };
}

export interface NameChange extends ChangeBase {
  kind: 'name';
  firstNames: string;
  lastName: string;
  validFrom: string | null;
}

export interface AddressChange extends ChangeBase {
  kind: 'address';
  addressKind: AddressKind;
  /**
   * Null when DVV sent no address fields: they were withheld under a non-disclosure order
   * (`withheldFields`), or the group was removed. Never print or show a withheld address.
   */
  address: PostalAddress | null;
  /** turvakiellonAlaisetKentat: fields hidden under a non-disclosure order. */
  withheldFields: string[];
  validFrom: string | null;
  /** Set when this address stopped being valid (an old address, action 'changed'). */
  validTo: string | null;
}

export interface DeathChange extends ChangeBase {
  kind: 'death';
  /** False when DVV withdraws an earlier death entry. */
  dead: boolean;
  /** The earliest day the precision allows (month → its 1st, year → 1 January); null if unknown. */
  date: string | null;
  precision: DatePrecision | null;
}

export interface NonDisclosureChange extends ChangeBase {
  kind: 'non-disclosure';
  active: boolean;
  until: string | null;
}

export interface IdentityCodeCorrection extends ChangeBase {
  kind: 'identity-code-correction';
  /** The code in force now. */
  activeCode: string;
  /** Codes the person has had before; keep them findable. */
  previousCodes: string[];
  /** muutettuHenkilotunnus: the code this group is about. */
  modifiedCode: string | null;
  /** voimassaolo: whether `modifiedCode` is the active one. */
  validity: 'active' | 'passive' | null;
}

export interface MunicipalityChange extends ChangeBase {
  kind: 'municipality';
  /** Three-digit municipality code, e.g. '091' (Helsinki). */
  municipalityCode: string;
  movedIn: string | null;
}

export interface LanguageChange extends ChangeBase {
  kind: 'language';
  /** Lowercase, e.g. 'fi', 'sv'. */
  languageCode: string;
  /** AIDINKIELI: mother tongue; ASIOINTIKIELI: the language the person deals with authorities in. */
  role: 'mother-tongue' | 'service';
}

/** A group the register does not interpret (yet): kept whole so nothing is lost. */
export interface OtherChange extends ChangeBase {
  kind: 'other';
  raw: Record<string, unknown>;
}

export type PopulationChange =
  | NameChange
  | AddressChange
  | DeathChange
  | NonDisclosureChange
  | IdentityCodeCorrection
  | MunicipalityChange
  | LanguageChange
  | OtherChange;

/** A record or data group that could not be read; `field` names the offending attribute. */
export interface RejectedDvvChange {
  identityCode: string | null;
  group: string | null;
  /** `group` is null when the whole record was unreadable. */
  position: { record: number; group: number | null };
  field: string;
  error: string;
  raw: unknown;
}

export interface DvvChangesBatch {
  /** viimeisinKirjausavain: send it with the next request, and persist it after the batch. */
  nextToken: number;
  /** ajanTasalla: no more changes after this batch for now. */
  upToDate: boolean;
  changes: PopulationChange[];
  rejected: RejectedDvvChange[];
}

// ---------------------------------------------------------------------------------------------
// Parsing.

/** The answer to GET /kirjausavain/{date}: `{"viimeisinKirjausavain": N}`. */
export function parseTokenResponse(json: unknown): number {
  return token(object(json, '(response)'), 'viimeisinKirjausavain');
}

/** The answer to POST /muutokset. Throws TransformError only for a broken envelope. */
export function parseChangesResponse(json: unknown): DvvChangesBatch {
  const body = object(json, '(response)');
  const nextToken = token(body, 'viimeisinKirjausavain');
  const upToDate = body.ajanTasalla;
  if (typeof upToDate !== 'boolean') fail('ajanTasalla', `must be true or false, got ${show(upToDate)}`);
  const records = body.muutokset;
  if (!Array.isArray(records)) fail('muutokset', `must be a list, got ${show(records)}`);

  const changes: PopulationChange[] = [];
  const rejected: RejectedDvvChange[] = [];
  records.forEach((raw: unknown, i: number) => parseRecord(raw, i, changes, rejected));
  return { nextToken, upToDate, changes, rejected };
}

function parseRecord(raw: unknown, record: number, changes: PopulationChange[], rejected: RejectedDvvChange[]): void {
  const path = `muutokset[${record}]`;
  let identityCode: string | null = null;
  let groups: unknown[];
  let changedOn: string;
  let changedAt: string;
  try {
    const r = object(raw, path);
    // Kept even when invalid, so the rejection still says whose record it was.
    identityCode = typeof r.henkilotunnus === 'string' ? r.henkilotunnus : null;
    identityCodeAt(r, 'henkilotunnus', path);
    changedAt = string(r, 'muutospv', path);
    changedOn = finnishDay(changedAt, `${path}.muutospv`);
    if (!Array.isArray(r.tietoryhmat)) fail(`${path}.tietoryhmat`, `must be a list, got ${show(r.tietoryhmat)}`);
    groups = r.tietoryhmat;
  } catch (error) {
    rejected.push(rejection(error, { identityCode, group: null, position: { record, group: null }, raw }));
    return;
  }

  groups.forEach((g, i) => {
    const groupPath = `${path}.tietoryhmat[${i}]`;
    const groupName = isObject(g) && typeof g.tietoryhma === 'string' ? g.tietoryhma : null;
    try {
      const o = object(g, groupPath);
      const name = string(o, 'tietoryhma', groupPath);
      const base: ChangeBase = {
        changedOn,
        changedAt,
        identityCode: identityCode as string,
        group: name,
        action: action(o.muutosattribuutti, `${groupPath}.muutosattribuutti`),
        position: { record, group: i },
      };
      changes.push(parseGroup(o, base, groupPath));
    } catch (error) {
      rejected.push(rejection(error, { identityCode, group: groupName, position: { record, group: i }, raw: g }));
    }
  });
}

const ADDRESS_GROUPS: Readonly<Record<string, { kind: AddressKind; foreign: boolean }>> = {
  VAKINAINEN_KOTIMAINEN_OSOITE: { kind: 'permanent', foreign: false },
  KOTIMAINEN_POSTIOSOITE: { kind: 'postal', foreign: false },
  VAKINAINEN_ULKOMAINEN_OSOITE: { kind: 'permanent-foreign', foreign: true },
  TILAPAINEN_ULKOMAINEN_OSOITE: { kind: 'temporary-foreign', foreign: true },
  // [U] A foreign postal address is still where the member's mail goes.
  ULKOMAINEN_POSTIOSOITE: { kind: 'postal', foreign: true },
};

/** One data group to a typed change; throws TransformError naming the field. */
export function parseGroup(o: Record<string, unknown>, base: ChangeBase, path: string): PopulationChange {
  const address = ADDRESS_GROUPS[base.group];
  if (address) return parseAddress(o, base, path, address.kind, address.foreign);

  switch (base.group) {
    case 'HENKILON_NIMI':
      return {
        ...base,
        kind: 'name',
        firstNames: string(o, 'etunimi', path),
        lastName: string(o, 'sukunimi', path),
        validFrom: optionalDate(o, 'alkupv', path)?.date ?? null,
      };
    case 'KUOLINPAIVA': {
      const dead = o.kuollut;
      if (dead !== undefined && dead !== null && typeof dead !== 'boolean') fail(`${path}.kuollut`, `must be true or false, got ${show(dead)}`);
      const date = optionalDate(o, 'kuolinpv', path);
      if (typeof dead !== 'boolean' && date === null) fail(`${path}.kuollut`, 'neither kuollut nor kuolinpv is given');
      return { ...base, kind: 'death', dead: typeof dead === 'boolean' ? dead : true, date: date?.date ?? null, precision: date?.precision ?? null };
    }
    case 'TURVAKIELTO': {
      const active = o.turvakieltoAktiivinen;
      if (typeof active !== 'boolean') fail(`${path}.turvakieltoAktiivinen`, `must be true or false, got ${show(active)}`);
      return { ...base, kind: 'non-disclosure', active, until: optionalDate(o, 'turvaLoppuPv', path)?.date ?? null };
    }
    case 'HENKILOTUNNUS_KORJAUS': {
      const previous = o.edellisetHenkilotunnukset ?? [];
      if (!Array.isArray(previous)) fail(`${path}.edellisetHenkilotunnukset`, `must be a list, got ${show(previous)}`);
      const previousCodes = previous.map((c: unknown, i: number) => looseIdentityCode(c, `${path}.edellisetHenkilotunnukset[${i}]`));
      const modified = o.muutettuHenkilotunnus;
      const validity = o.voimassaolo;
      if (validity !== undefined && validity !== 'AKTIIVI' && validity !== 'PASSIIVI') {
        fail(`${path}.voimassaolo`, `must be AKTIIVI or PASSIIVI, got ${show(validity)}`);
      }
      return {
        ...base,
        kind: 'identity-code-correction',
        activeCode: identityCodeAt(o, 'aktiivinenHenkilotunnus', path),
        previousCodes,
        modifiedCode: modified === undefined || modified === null ? null : looseIdentityCode(modified, `${path}.muutettuHenkilotunnus`),
        validity: validity === 'AKTIIVI' ? 'active' : validity === 'PASSIIVI' ? 'passive' : null,
      };
    }
    case 'KOTIKUNTA': {
      const code = string(o, 'kuntakoodi', path);
      if (!/^\d{3}$/.test(code)) fail(`${path}.kuntakoodi`, `must be three digits, got ${show(code)}`);
      // eVaka's mock data spells the date both ways; accept either.
      const movedIn = optionalDate(o, 'kuntaanMuuttopv', path) ?? optionalDate(o, 'kuntaanMuuttoPv', path);
      return { ...base, kind: 'municipality', municipalityCode: code, movedIn: movedIn?.date ?? null };
    }
    case 'AIDINKIELI':
    case 'ASIOINTIKIELI': {
      const code = string(o, 'kielikoodi', path);
      if (!/^[A-Za-z]{2,3}$/.test(code)) fail(`${path}.kielikoodi`, `must be a two- or three-letter language code, got ${show(code)}`);
      return { ...base, kind: 'language', languageCode: code.toLowerCase(), role: base.group === 'AIDINKIELI' ? 'mother-tongue' : 'service' };
    }
    default:
      // Unknown or not interpreted (NIMENMUUTOS*, custody, guardianship, …): kept whole.
      return { ...base, kind: 'other', raw: { ...o } };
  }
}

function parseAddress(o: Record<string, unknown>, base: ChangeBase, path: string, addressKind: AddressKind, foreign: boolean): AddressChange {
  const withheld = o.turvakiellonAlaisetKentat ?? [];
  if (!Array.isArray(withheld) || withheld.some((f) => typeof f !== 'string')) {
    fail(`${path}.turvakiellonAlaisetKentat`, `must be a list of field names, got ${show(withheld)}`);
  }
  const fields = foreign ? ['lahiosoite', 'paikkakunta', 'valtiokoodi'] : ['katunimi', 'postiosoite', 'postinumero', 'postitoimipaikka'];
  const hasAddress = fields.some((f) => o[f] !== undefined && o[f] !== null);
  return {
    ...base,
    kind: 'address',
    addressKind,
    address: hasAddress ? (foreign ? foreignAddress(o, path) : domesticAddress(o, path)) : null,
    withheldFields: withheld as string[],
    validFrom: optionalDate(o, 'alkupv', path)?.date ?? null,
    validTo: optionalDate(o, 'loppupv', path)?.date ?? null,
  };
}

/** 'Uusitie 17 A 2': street name, number, staircase letter, flat number (leading zeros off) and division letter. */
function domesticAddress(o: Record<string, unknown>, path: string): PostalAddress {
  // [U] A postal address may carry its street as `postiosoite` instead of `katunimi`.
  const streetName = o.katunimi !== undefined && o.katunimi !== null ? localized(o, 'katunimi', path) : localized(o, 'postiosoite', path);
  const flat = optionalString(o, 'huoneistonumero', path)?.replace(/^0+(?=\d)/, '');
  const street = [
    streetName,
    optionalString(o, 'katunumero', path),
    optionalString(o, 'huoneistokirjain', path),
    flat === undefined ? undefined : flat + (optionalString(o, 'jakokirjain', path) ?? ''),
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const postalCode = string(o, 'postinumero', path);
  if (!/^\d{5}$/.test(postalCode)) fail(`${path}.postinumero`, `must be five digits, got ${show(postalCode)}`);
  return { street, postalCode, city: localized(o, 'postitoimipaikka', path) };
}

function foreignAddress(o: Record<string, unknown>, path: string): PostalAddress {
  return {
    street: localized(o, 'lahiosoite', path),
    postalCode: optionalString(o, 'postinumero', path) ?? '',
    city: o.paikkakunta === undefined || o.paikkakunta === null ? '' : localized(o, 'paikkakunta', path),
    country: string(o, 'valtiokoodi', path),
  };
}

// ---------------------------------------------------------------------------------------------
// Field readers: each names the field it failed on.

function fail(field: string, detail: string): never {
  throw new TransformError(detail, { format: FORMAT, line: null, element: field });
}

function rejection(error: unknown, at: Omit<RejectedDvvChange, 'field' | 'error'>): RejectedDvvChange {
  if (!(error instanceof TransformError)) throw error;
  return { ...at, field: error.element ?? '(record)', error: error.detail };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) fail(path, `must be an object, got ${show(v)}`);
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function join(path: string, key: string): string {
  return path === '' || path === '(response)' ? key : `${path}.${key}`;
}

function string(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') fail(join(path, key), `must be a non-empty text, got ${show(v)}`);
  return v.trim();
}

function optionalString(o: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') fail(join(path, key), `must be a text, got ${show(v)}`);
  return v.trim();
}

/** `{fi, sv}` names (street, post office): Finnish first, Swedish when there is no Finnish. */
function localized(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (isObject(v)) {
    for (const lang of ['fi', 'sv']) {
      const text = v[lang];
      if (typeof text === 'string' && text.trim() !== '') return text.trim();
    }
  }
  return fail(join(path, key), `must be a text or {fi, sv} with a name, got ${show(v)}`);
}

function token(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail(key, `must be a whole number ≥ 0, got ${show(v)}`);
  return n;
}

function identityCodeAt(o: Record<string, unknown>, key: string, path: string): string {
  const code = string(o, key, path);
  const parsed = parseIdentityCode(code);
  if (!parsed.ok) fail(join(path, key), parsed.error);
  return code;
}

// Earlier codes are history: DVV may have replaced them precisely because they were wrong, so
// only their shape is checked, not the check character.
function looseIdentityCode(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$/.test(v)) fail(field, `must be an identity code, got ${show(v)}`);
  return v;
}

function action(v: unknown, field: string): DvvChangeAction | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(field, `must be a text, got ${show(v)}`);
  const known: Record<string, DvvChangeAction> = { LISATTY: 'added', MUUTETTU: 'changed', POISTETTU: 'removed', LISATIETO: 'info' };
  return known[v] ?? 'unknown';
}

const PRECISION: Readonly<Record<string, DatePrecision>> = { PAIVA: 'day', KUUKAUSI: 'month', VUOSI: 'year' };

/**
 * A DVV date `{arvo, tarkkuus}` (a bare 'YYYY-MM-DD' string is also accepted). [U] A date known
 * only to the month or year may come as 'YYYY-MM', 'YYYY', or with '00' for the unknown parts;
 * it becomes the first day of that month or year, with the precision alongside.
 */
function optionalDate(o: Record<string, unknown>, key: string, path: string): { date: string; precision: DatePrecision } | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  const field = join(path, key);
  const value = typeof v === 'string' ? v : isObject(v) ? v.arvo : undefined;
  if (typeof value !== 'string') fail(isObject(v) ? `${field}.arvo` : field, `must be a date, got ${show(isObject(v) ? v.arvo : v)}`);
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const year = m?.[1];
  if (!m || year === undefined) fail(isObject(v) ? `${field}.arvo` : field, `must be a date YYYY-MM-DD, got ${show(value)}`);
  const month = m[2] !== undefined && m[2] !== '00' ? m[2] : undefined;
  const day = month !== undefined && m[3] !== undefined && m[3] !== '00' ? m[3] : undefined;
  const shown: DatePrecision = day !== undefined ? 'day' : month !== undefined ? 'month' : 'year';

  let precision = shown;
  if (isObject(v) && v.tarkkuus !== undefined && v.tarkkuus !== null) {
    const stated = typeof v.tarkkuus === 'string' ? PRECISION[v.tarkkuus] : undefined;
    if (stated === undefined) fail(`${field}.tarkkuus`, `must be PAIVA, KUUKAUSI or VUOSI, got ${show(v.tarkkuus)}`);
    if (rank(stated) < rank(shown)) fail(`${field}.tarkkuus`, `says ${show(v.tarkkuus)} but the date ${show(value)} is less precise`);
    precision = stated;
  }
  const date = `${year}-${precision === 'year' ? '01' : month}-${precision === 'day' ? day : '01'}`;
  if (!isIsoDate(date)) fail(isObject(v) ? `${field}.arvo` : field, `is not a calendar date: ${show(value)}`);
  return { date, precision };
}

function rank(p: DatePrecision): number {
  return p === 'day' ? 0 : p === 'month' ? 1 : 2;
}

/** The Finnish calendar day of a muutospv value; throws TransformError if it is not one. */
export function dvvChangeDay(muutospv: string): string {
  return finnishDay(muutospv, 'muutospv');
}

/**
 * The Finnish calendar day of muutospv. DVV stamps changes at midnight Finnish time, which in UTC
 * is the previous evening ('2019-09-24T21:00:00.000Z' is 25 September), so the UTC date would be
 * a day early. A bare date is taken as given.
 */
function finnishDay(value: string, field: string): string {
  if (isIsoDate(value)) return value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    fail(field, `must be a timestamp with a zone, e.g. 2019-09-24T21:00:00.000Z, got ${show(value)}`);
  }
  return helsinkiDate(value);
}
