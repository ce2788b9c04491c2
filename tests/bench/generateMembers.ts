import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export interface GenerateMembersOptions {
  /** Row number of the first generated person (default 0); use distinct ranges to add more people. */
  firstRow?: number;
  /** The "today" of the data set (default 2026-11-25): nothing starts or ends after it. */
  today?: string;
  log?: (line: string) => void;
}

// Common Finnish first names of people born 1958–2007, by sex: odd individual numbers are men,
// even ones women, as in the identity code itself. One to three names each.
const maleFirstNames = [
  'Juha', 'Timo', 'Matti', 'Kari', 'Mikko', 'Antti', 'Jari', 'Jukka', 'Mika', 'Markku',
  'Pekka', 'Petri', 'Hannu', 'Heikki', 'Janne', 'Sami', 'Ari', 'Jani', 'Ville', 'Marko',
  'Tuomas', 'Juho', 'Lauri', 'Jussi', 'Teemu', 'Tommi', 'Pasi', 'Jarmo', 'Harri', 'Risto',
  'Olli', 'Eero', 'Joonas', 'Aleksi', 'Niko', 'Jesse', 'Joni', 'Veli', 'Ilkka', 'Seppo',
  'Tapani', 'Johannes', 'Kalevi', 'Juhani', 'Olavi', 'Ilmari', 'Mikael', 'Petteri', 'Antero', 'Henrik',
];
const femaleFirstNames = [
  'Tiina', 'Sari', 'Anna', 'Maria', 'Päivi', 'Minna', 'Marja', 'Kirsi', 'Pirjo', 'Satu',
  'Riitta', 'Johanna', 'Anne', 'Leena', 'Tuula', 'Outi', 'Heli', 'Elina', 'Laura', 'Sanna',
  'Hanna', 'Katja', 'Jenni', 'Susanna', 'Jaana', 'Merja', 'Eeva', 'Emilia', 'Sofia', 'Aino',
  'Kaisa', 'Noora', 'Henna', 'Niina', 'Mari', 'Anu', 'Suvi', 'Essi', 'Veera', 'Julia',
  'Helena', 'Kristiina', 'Katariina', 'Annikki', 'Hannele', 'Marjatta', 'Inkeri', 'Orvokki', 'Annika', 'Elisabet',
];

// The 100 most common Finnish surnames, roughly most common first. 35 % of people get one of them,
// skewed so that Korhonen is about four times as common as the hundredth name; Korhonen then
// holds ~1 % of the register (2,800 people), about twice its real share, so broad name searches
// here are if anything harder than in production.
const commonLastNames = [
  'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen',
  'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen', 'Salonen', 'Turunen',
  'Salo', 'Laitinen', 'Tuominen', 'Rantanen', 'Karjalainen', 'Jokinen', 'Mattila', 'Savolainen', 'Lahtinen', 'Ahonen',
  'Leinonen', 'Hiltunen', 'Hakala', 'Hirvonen', 'Miettinen', 'Koivisto', 'Räsänen', 'Laaksonen', 'Lindholm', 'Kallio',
  'Anttila', 'Aaltonen', 'Leppänen', 'Ojala', 'Väisänen', 'Vainio', 'Ketola', 'Laakso', 'Seppälä', 'Moilanen',
  'Eskelinen', 'Kärkkäinen', 'Pitkänen', 'Hakkarainen', 'Pelkonen', 'Mustonen', 'Nurmi', 'Nyman', 'Honkanen', 'Aalto',
  'Rissanen', 'Huttunen', 'Toivonen', 'Lindqvist', 'Sirola', 'Peltonen', 'Jääskeläinen', 'Kettunen', 'Tikkanen', 'Manninen',
  'Karvonen', 'Koponen', 'Johansson', 'Nurminen', 'Lampinen', 'Seppänen', 'Halonen', 'Rautiainen', 'Ikonen', 'Kauppinen',
  'Holmström', 'Valtonen', 'Harju', 'Korpela', 'Pesonen', 'Kokkonen', 'Ahola', 'Lindroos', 'Heino', 'Vesterinen',
  'Partanen', 'Kolehmainen', 'Tanskanen', 'Vartiainen', 'Hyvönen', 'Korpi', 'Sundström', 'Oksanen', 'Lindström', 'Peltola',
];

// The long tail: most Finns carry one of tens of thousands of rarer names, typically a nature
// word followed by a place word (Koivumäki, Kivioja, Lahtinen). Stem × ending gives ~900 of them.
const surnameStems = [
  'Koivu', 'Mänty', 'Kuusi', 'Leppä', 'Haapa', 'Pihlaja', 'Tammi', 'Vaahtera', 'Honka', 'Paju',
  'Kivi', 'Kallio', 'Harju', 'Vuori', 'Mäki', 'Kangas', 'Nummi', 'Suo', 'Metsä', 'Pelto',
  'Järvi', 'Lampi', 'Lahti', 'Ranta', 'Salmi', 'Joki', 'Puro', 'Koski', 'Virta', 'Saari',
  'Niemi', 'Laakso', 'Notko', 'Rinne', 'Kumpu', 'Alho', 'Hirvi', 'Karhu', 'Kettu', 'Susi',
  'Kurki', 'Joutsen', 'Kotka', 'Haukka', 'Lintu', 'Lumi', 'Halla', 'Tuuli', 'Pilvi', 'Kuu',
  'Ilves', 'Orava', 'Majava', 'Saukko', 'Hanhi', 'Sorsa', 'Tikka', 'Pyy', 'Teeri', 'Kulta',
  'Rauta', 'Vaski', 'Hopea', 'Talvi', 'Kesä',
];
const surnameEndings = ['nen', 'mäki', 'niemi', 'salo', 'lahti', 'järvi', 'aho', 'oja', 'koski', 'saari', 'vaara', 'ranta', 'kangas', 'luoma'];

const streets = [
  'Mannerheimintie', 'Hämeenkatu', 'Aleksanterinkatu', 'Kauppakatu', 'Koulukatu', 'Rantatie', 'Kirkkokatu', 'Puistokatu',
  'Asemakatu', 'Myllytie', 'Koivukuja', 'Kuusitie', 'Peltotie', 'Mäkitie', 'Rinnepolku', 'Satamakatu', 'Teollisuuskatu',
  'Pajatie', 'Tehtaankatu', 'Metsätie', 'Järvitie', 'Lähteentie', 'Urheilutie', 'Sairaalakatu', 'Opintie',
];
/** [postal code prefix, city]; the last two digits of the code are drawn. */
const cities: [string, string][] = [
  ['001', 'Helsinki'], ['002', 'Espoo'], ['015', 'Vantaa'], ['331', 'Tampere'], ['201', 'Turku'], ['900', 'Oulu'],
  ['400', 'Jyväskylä'], ['151', 'Lahti'], ['701', 'Kuopio'], ['281', 'Pori'], ['530', 'Lappeenranta'], ['651', 'Vaasa'],
  ['801', 'Joensuu'], ['131', 'Hämeenlinna'], ['481', 'Kotka'], ['501', 'Mikkeli'], ['601', 'Seinäjoki'], ['961', 'Rovaniemi'],
  ['041', 'Järvenpää'], ['055', 'Hyvinkää'], ['067', 'Porvoo'], ['111', 'Riihimäki'], ['049', 'Tuusula'], ['241', 'Salo'],
];

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** A deterministic uniform number in [0, 1) for row `i` and stream `salt`. */
const uniform = (salt: number) => `((hashint8extended(i, ${salt}) & 2147483647)::float8 / 2147483648.0)`;
const u = (salt: number) => sql.raw(uniform(salt));
/** An element of a text-array expression, picked uniformly (skew > 1 favours the start). */
const pick = (array: string, salt: number, skew = 1) =>
  sql.raw(`(${array})[1 + floor(cardinality(${array}) * power(${uniform(salt)}, ${skew}))::int]`);

/**
 * Fills the register with `count` synthetic members using set-based SQL only (no per-row round
 * trips): persons with valid, unique identity codes (individual numbers 900–999, the temporary
 * range, so never a real person's code), name/identity-code/address histories, members numbered
 * from the sequence, membership periods and some change-log rows. Deterministic: the same
 * `firstRow` and `count` give the same people (ids, names, codes, dates).
 */
export async function generateMembers(db: Database, count = 270_000, opts: GenerateMembersOptions = {}) {
  const first = opts.firstRow ?? 0;
  const today = opts.today ?? '2026-11-25';
  const log = opts.log ?? ((line: string) => console.log(line));
  // Birth dates 1958-01-01 … 2007-12-31 (18,262 days) × individual numbers 900–999: 1,826,200
  // codes. Row i takes slot (i × 1,000,003) mod 1,826,200 — a bijection, since the multiplier is a
  // prime not dividing the modulus — so codes are unique and spread evenly over dates and numbers.
  // An earlier (corrected) code takes the slot of row 1,000,000 + i, so it collides with no current code.
  const days = 18_262;
  const slots = days * 100;
  if (first < 0 || first + count > 826_200) throw new Error('generateMembers: rows must stay within 0…826,199');
  const started = performance.now();
  const step = async (label: string, query: ReturnType<typeof sql>) => {
    const t = performance.now();
    await db.execute(query);
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const code = (slotExpr: string) => {
    const birth = `(date '1958-01-01' + ((${slotExpr}) % ${days})::int)`;
    const digits = `(to_char(${birth}, 'DDMMYY') || (900 + (${slotExpr}) / ${days})::text)`;
    return `(to_char(${birth}, 'DDMMYY') || case when ${birth} < date '2000-01-01' then '-' else 'A' end || (900 + (${slotExpr}) / ${days})::text
      || substr('0123456789ABCDEFHJKLMNPRSTUVWXY', (${digits}::bigint % 31 + 1)::int, 1))`;
  };
  const male = `(array[${maleFirstNames.map(sqlText).join(',')}]::text[])`;
  const female = `(array[${femaleFirstNames.map(sqlText).join(',')}]::text[])`;
  const common = `(array[${commonLastNames.map(sqlText).join(',')}]::text[])`;
  const stems = `(array[${surnameStems.map(sqlText).join(',')}]::text[])`;
  const endings = `(array[${surnameEndings.map(sqlText).join(',')}]::text[])`;
  const streetArray = `(array[${streets.map(sqlText).join(',')}]::text[])`;
  const cityArray = `(array[${cities.map(([, c]) => sqlText(c)).join(',')}]::text[])`;
  const postalArray = `(array[${cities.map(([p]) => sqlText(p)).join(',')}]::text[])`;

  log(`generating ${count.toLocaleString('en')} members (rows ${first}…${first + count - 1})`);
  // The working set: one row per person with everything later inserts derive from. UNLOGGED and
  // dropped at the end; a plain table (not TEMP) so each step may run on any pooled connection.
  await db.execute(sql`drop table if exists bench_gen, bench_periods`);
  await step(
    'working set',
    sql`create unlogged table bench_gen as
      with s as (
        select i, (i::bigint * 1000003) % ${sql.raw(String(slots))} as slot from generate_series(${first}::bigint, ${first + count - 1}::bigint) as i
      ), b as (
        select i, slot, date '1958-01-01' + (slot % ${sql.raw(String(days))})::int as birth_date, 900 + slot / ${sql.raw(String(days))} as individual from s
      ), n as (
        select b.*,
          ${sql.raw(code('slot'))} as identity_code,
          ${sql.raw(code(`((1000000 + i) * 1000003) % ${slots}`))} as earlier_code,
          case when individual % 2 = 1 then ${sql.raw(male)} else ${sql.raw(female)} end as given,
          case when ${u(1)} < 0.35 then ${pick(common, 2, 1.3)} else ${pick(stems, 3)} || ${pick(endings, 4)} end as last_name,
          case when ${u(5)} < 0.35 then ${pick(common, 6, 1.3)} else ${pick(stems, 7)} || ${pick(endings, 8)} end as earlier_last_name,
          floor(${u(9)} * 50)::int as g1, floor(${u(10)} * 49)::int as g2, floor(${u(11)} * 48)::int as g3, ${u(12)} as r_names,
          greatest(b.birth_date + interval '18 years', date '2000-01-01')::date as adult_from
        from b
      )
      select i,
        md5('bench-person-' || i)::uuid as person_id,
        md5('bench-member-' || i)::uuid as member_id,
        identity_code, earlier_code, birth_date, last_name, earlier_last_name,
        given[1 + g1] || case when r_names < 0.15 then '' else ' ' || given[1 + (g1 + 1 + g2) % 50] end
          || case when r_names < 0.85 then '' else ' ' || given[1 + (g1 + 1 + (g2 + 1 + g3) % 49) % 50] end as first_names,
        given[1 + g1] as call_name,
        case when ${u(13)} < 0.89 then 'fi' when ${u(13)} < 0.97 then 'sv' else 'en' end as language,
        ${u(14)} < 0.75 as has_email, ${u(15)} < 0.85 as has_phone,
        (hashint8extended(i, 16) & 2147483647) as h,
        floor(${u(17)} * ${sql.raw(String(cities.length))})::int + 1 as city_idx,
        ${u(18)} < 0.004 as non_disclosure,
        ${u(19)} < 0.002 as deceased,
        ${u(20)} as r_delivery,
        ${u(21)} < 0.04 as renamed,
        ${u(22)} < 0.004 as corrected_code,
        ${u(23)} < 0.25 as moved,
        ${u(24)} as r_period, ${u(25)} as r_start, ${u(26)} as r_end,
        ${u(27)} as r_channel, ${u(28)} as r_basis, ${u(29)} as r_change,
        adult_from
      from n`,
  );
  const todayDate = sql.raw(`date ${sqlText(today)}`);
  // Period shape: 3 % two periods (left and came back), 10 % ended, the rest open; join dates
  // between adulthood (or 2000) and a month before today. The deceased end on their death date.
  await step(
    'period plan',
    sql`create unlogged table bench_periods as
      select i, member_id, start_date,
        case when deceased then least(death_date, ${todayDate}) when r_period < 0.13 then end_date end as end_date,
        case when deceased then 'death' when r_period < 0.03 then 'resignation'
             when r_period < 0.13 then (array['resignation','fund-switch','fund-switch','age-limit','expulsion'])[1 + floor(r_end * 5)::int] end as end_reason,
        case when r_period < 0.03 and not deceased then end_date + 30 + floor(r_end * 400)::int end as second_start,
        death_date
      from (
        select g.*, s.start_date,
          s.start_date + floor((${todayDate} - s.start_date) * (0.1 + 0.8 * r_end))::int as end_date,
          case when deceased then greatest(s.start_date, ${todayDate} - 1 - floor(r_end * 300)::int) end as death_date
        from bench_gen g
        cross join lateral (select adult_from + floor((${todayDate} - 30 - adult_from) * r_start)::int as start_date) s
      ) x`,
  );
  // A second period must start before today; otherwise the member simply stays resigned.
  await db.execute(sql`update bench_periods set second_start = null where second_start >= ${todayDate} - 1`);

  await step(
    'persons',
    sql`insert into persons (id, identity_code, first_names, last_name, birth_date, language, email, phone, street_address, postal_code, city,
          country, address_source, municipality, non_disclosure, date_of_death, death_date_precision, delivery_channel, e_invoice_address,
          e_invoice_operator, e_invoice_consent, sms_consent, created_at, updated_at)
        select g.person_id, g.identity_code, g.first_names, g.last_name, g.birth_date, g.language,
          case when has_email then translate(lower(call_name || '.' || last_name), 'äöå', 'aoa') || (i % 1000) || '@example.fi' end,
          case when has_phone then '+35840' || lpad((h % 10000000)::text, 7, '0') end,
          ${sql.raw(streetArray)}[1 + (h % ${sql.raw(String(streets.length))})::int] || ' ' || (1 + (h / 64) % 60),
          ${sql.raw(postalArray)}[city_idx] || lpad(((h / 8) % 100)::text, 2, '0'),
          ${sql.raw(cityArray)}[city_idx], 'FI', 'population-register', ${sql.raw(cityArray)}[city_idx], non_disclosure,
          p.death_date, case when deceased then 'day' end,
          case when r_delivery < 0.05 then 'e-invoice' when r_delivery < 0.1 and has_phone then 'sms' when r_delivery < 0.5 and has_email then 'email' else 'letter' end,
          case when r_delivery < 0.05 then 'FI' || lpad((h % 100000000)::text, 16, '0') end,
          case when r_delivery < 0.05 then 'NDEAFIHH' end,
          r_delivery < 0.05, r_delivery < 0.1 and has_phone,
          p.start_date::timestamptz, p.start_date::timestamptz
        from bench_gen g join bench_periods p using (i)`,
  );
  await step(
    'identity codes',
    sql`insert into person_identity_codes (person_id, identity_code, active, source, recorded_at, recorded_by)
        select person_id, identity_code, true, 'population-register', birth_date::timestamptz, 'bench' from bench_gen
        union all
        select person_id, earlier_code, false, 'population-register', birth_date::timestamptz, 'bench' from bench_gen where corrected_code`,
  );
  await step(
    'name history',
    sql`insert into person_names (person_id, first_names, last_name, valid_from, source, recorded_at, recorded_by)
        select person_id, first_names, earlier_last_name, birth_date, 'population-register', birth_date::timestamptz, 'bench' from bench_gen where renamed
        union all
        select person_id, first_names, last_name, v, 'population-register', v::timestamptz, 'bench'
        from bench_gen cross join lateral (select case when renamed then least(birth_date + 6570 + (h % 5000)::int, ${todayDate} - 1) else birth_date end as v) x`,
  );
  await step(
    'address history',
    sql`insert into person_addresses (person_id, kind, street, postal_code, city, country, source, valid_from, valid_to, recorded_at, recorded_by)
        select g.person_id, 'permanent', p.street_address, p.postal_code, p.city, 'FI', 'population-register', v.current_from, null, v.current_from::timestamptz, 'bench'
        from bench_gen g join persons p on p.id = g.person_id
        cross join lateral (select case when moved then g.adult_from + ((${todayDate} - g.adult_from) * 0.6)::int else g.birth_date end as current_from) v
        union all
        select g.person_id, 'permanent', ${sql.raw(streetArray)}[1 + (g.h / 4096 % ${sql.raw(String(streets.length))})::int] || ' ' || (1 + g.h % 40),
          ${sql.raw(postalArray)}[1 + (g.h / 3 % ${sql.raw(String(cities.length))})::int] || '10', ${sql.raw(cityArray)}[1 + (g.h / 3 % ${sql.raw(String(cities.length))})::int],
          'FI', 'population-register', g.birth_date, g.adult_from + ((${todayDate} - g.adult_from) * 0.6)::int - 1, g.birth_date::timestamptz, 'bench'
        from bench_gen g where moved`,
  );
  await step(
    'members',
    sql`insert into members (id, person_id, channel, union_code, eligibility_basis, created_at)
        select g.member_id, g.person_id,
          case when r_channel < 0.3 then 'union' else 'direct' end,
          case when r_channel < 0.3 then (array['015','016','017'])[1 + floor(r_channel / 0.1)::int] end,
          case when r_basis < 0.55 then 'occupation' when r_basis < 0.9 then 'degree' when r_basis < 0.93 then 'student' end,
          p.start_date::timestamptz
        from bench_gen g join bench_periods p using (i) order by g.i`,
  );
  await step(
    'membership periods',
    sql`insert into membership_periods (member_id, start_date, end_date, end_reason, ended_by, created_at)
        select member_id, start_date, end_date, end_reason, case when end_date is not null then 'bench' end, start_date::timestamptz from bench_periods
        union all
        select member_id, second_start, death_date, case when death_date is not null then 'death' end, case when death_date is not null then 'bench' end, second_start::timestamptz
        from bench_periods where second_start is not null`,
  );
  // About 6 % of people have had their data changed by a caseworker in the last 60 days (the desk
  // highlights the last 14), a third of them twice.
  await step(
    'change log',
    sql`insert into member_changes (person_id, member_id, field, effective_from, changed_at, changed_by, reason, before, after)
        select person_id, member_id, (array['email','phone','address','deliveryChannel','language'])[1 + ((h / 7 + n) % 5)::int],
          (now() - make_interval(days => ((h / 11 + n * 13) % 60)::int))::date,
          now() - make_interval(days => ((h / 11 + n * 13) % 60)::int, secs => (h % 86400)::int),
          'bench-caseworker', 'member notified by phone', null, null
        from bench_gen cross join generate_series(1, 2) as n
        where r_change < 0.06 and (n = 1 or r_change < 0.02)`,
  );
  await step('cleanup', sql`drop table bench_periods, bench_gen`);
  // VACUUM as well as ANALYZE: sets the visibility map (index-only scans) and merges the trigram
  // index's pending list, so the measurements see the steady state, not autovacuum catching up.
  await step('vacuum analyze', sql`vacuum (analyze) persons, person_identity_codes, person_names, person_addresses, members, membership_periods, member_changes`);
  const seconds = (performance.now() - started) / 1000;
  log(`generated ${count.toLocaleString('en')} members in ${seconds.toFixed(1)} s`);
  return { seconds };
}
