// `npm run bench -- NAME`: runs one benchmark and prints its figures.
const benches: Record<string, () => Promise<void>> = {
  intake: async () => (await import('./intake')).runIntakeBench(),
  members: async () => (await import('./members')).runMembersBench(),
  billing: async () => (await import('./billing')).runBillingBench(),
  'membership-read': async () => (await import('./membershipRead')).runMembershipReadBench(),
  collection: async () => (await import('./collection')).runCollectionBench(),
  tax: async () => (await import('./tax')).runTaxBench(),
  stats: async () => (await import('./statistics')).runStatisticsBench(),
  migration: async () => (await import('./migration')).runMigrationBench(),
  ekj: async () => (await import('./ekj')).runEkjBench(),
  'union-batches': async () => (await import('./unionBatches')).runUnionBatchesBench(),
};

const benchName = process.argv[2];
const bench = benchName ? benches[benchName] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await bench();
process.exit(0);

export {};
