/**
 * Writes the sample set of docs/migration-format.md into tests/fixtures/migration:
 * `node --import tsx tests/support/makeMigrationFixtures.ts`. Persons in Windows-1252 with
 * semicolons (an old Windows export), the rest UTF-8, payments as JSON Lines; format version 2's
 * collection state and transferred periods as collection.csv and transferred_periods.csv, messages sent as messages.jsonl, applications waiting for a decision as applications.csv.
 */
import { writeFileSync } from 'node:fs';
import { exportCsv, exportJsonLines, generateLegacyExport, windows1252 } from './legacyExport';

const { files } = generateLegacyExport({ members: 20, seed: 7, faults: true, faultEvery: 4, prefix: 'S', memberNumberBase: 8_100_000, invoicesPerMember: 2, collectionState: true, transferredPeriods: true, messages: true, applications: 6 });
const dir = new URL('../fixtures/migration/', import.meta.url);
writeFileSync(new URL('persons.csv', dir), windows1252(exportCsv('persons', files.persons, ';')));
writeFileSync(new URL('memberships.csv', dir), exportCsv('memberships', files.memberships));
writeFileSync(new URL('periods.csv', dir), exportCsv('periods', files.periods));
writeFileSync(new URL('invoices.csv', dir), exportCsv('invoices', files.invoices));
writeFileSync(new URL('payments.jsonl', dir), exportJsonLines(files.payments));
writeFileSync(new URL('collection.csv', dir), exportCsv('collection', files.collection));
writeFileSync(new URL('transferred_periods.csv', dir), exportCsv('transferred_periods', files.transferred_periods));
writeFileSync(new URL('messages.jsonl', dir), exportJsonLines(files.messages));
writeFileSync(new URL('applications.csv', dir), exportCsv('applications', files.applications));
