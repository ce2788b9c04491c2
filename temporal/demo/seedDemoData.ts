import { sql } from 'drizzle-orm';
import { submitApplication } from '../../services/applications';
import type { ServiceContext } from '../../services/context';
import { demoApplicant, seededRandom, type DemoKind } from './demoApplicants';

/**
 * On an empty register, sends a few hundred generated applications through the real intake
 * process, so a new user sees a living desk: members, open completion requests and tasks.
 */
export async function seedDemoData(ctx: ServiceContext, count = 300): Promise<number> {
  const existing = await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from applications`);
  if ((existing[0]?.n ?? 0) > 0) return 0;
  const random = seededRandom(20261125);
  const kinds: DemoKind[] = [];
  for (let i = 0; i < count; i++) kinds.push(i % 10 < 7 ? 'clean' : i % 10 < 8 ? 'incomplete' : 'review');
  const concurrency = 10;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < kinds.length) {
        const i = next++;
        const data = demoApplicant(i, kinds[i]!, ctx.profile, random);
        await submitApplication(ctx, { kind: 'client', id: 'demo-seed', channel: 'e-services', scopes: ['applications:write'] }, {
          data,
          idempotencyKey: `demo-seed-${i}`,
        });
      }
    }),
  );
  return count;
}
