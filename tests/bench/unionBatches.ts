import { sql } from 'drizzle-orm';
import type { Principal } from '../../services/principal';
import { summariseBatches } from '../../db/repositories/unions';
import { listUnionBatches, type UnionBatchQuery } from '../../services/unionBatches';
import { startBenchStack } from './benchStack';
import { median, ms, timeRounds } from './measure';

const unions = Number(process.env.BENCH_UNIONS ?? 20);
const days = Number(process.env.BENCH_DAYS ?? 1_825);
const linesPerBatch = Number(process.env.BENCH_LINES ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

const timeRoundsOf = (work: () => Promise<unknown>) => timeRounds(work, rounds);

/**
 * The desk's union batch list (`/unions`, `GET /api/v1/union-batches`) over years of batches:
 * BENCH_UNIONS unions each sending one batch a day for BENCH_DAYS days, BENCH_LINES lines each
 * (defaults: 20 unions, five years, 60 lines: 36,500 batches, 2.2 million lines; one line in
 * fifty a mismatch; today's batch of every fifth union half processed). Timed through the service, per filter, beside a floor: the plainest SQL
 * for the first page (the 50 newest batches and their lines counted).
 */
export async function runUnionBatchesBench() {
  const stack = await startBenchStack({ worker: false });
  try {
    const db = stack.ctx.db;
    const started = performance.now();
    await db.execute(sql`
      INSERT INTO union_batches (union_code, batch_key, sha256, format, received_by, event_count, created_at)
      SELECT lpad(u::text, 3, '0'), 'bench-' || d, md5(u || '-' || d), 'union-default', 'bench', ${linesPerBatch},
             timestamptz '2026-12-01 08:00+02' - make_interval(days => d) + make_interval(mins => u)
        FROM generate_series(1, ${unions}) u, generate_series(0, ${days - 1}) d`);
    // Today's batch of every fifth union is still being processed: half its lines are there.
    await db.execute(sql`
      INSERT INTO union_batch_lines (batch_id, line_no, kind, outcome, updated_at)
      SELECT b.id, n, 'join', CASE WHEN n % 50 = 0 THEN 'mismatch' ELSE 'application-started' END, b.created_at + make_interval(secs => n)
        FROM union_batches b, generate_series(1, ${linesPerBatch}) n
       WHERE n <= ${linesPerBatch} / 2 OR b.batch_key <> 'bench-0' OR b.union_code::int % 5 <> 0`);
    await summariseBatches(db);
    await db.execute(sql`VACUUM (ANALYZE) union_batches, union_batch_lines`);
    const [counts] = await db.execute<{ batches: number; lines: number }>(sql`SELECT (SELECT count(*) FROM union_batches)::int AS batches, (SELECT count(*) FROM union_batch_lines)::int AS lines`);
    const { batches, lines } = counts!;
    console.log(`generated ${batches.toLocaleString('en')} batches with ${lines.toLocaleString('en')} lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const principal: Principal = { kind: 'user', id: 'bench-billing', name: 'Bench', roles: ['billing'] };
    const list = (q: UnionBatchQuery) => () => listUnionBatches(stack.ctx, principal, { limit: 50, ...q });
    const floor = () =>
      db.execute(sql`
        SELECT b.*, (SELECT count(*) FROM union_batch_lines l WHERE l.batch_id = b.id) AS processed
          FROM (SELECT * FROM union_batches ORDER BY created_at DESC LIMIT 50) b`);
    const cases: [string, () => Promise<unknown>][] = [
      ['first page, no filter', list({})],
      ['page 20 (offset 1,000)', list({ offset: 1_000 })],
      ['one union', list({ union: '007' })],
      ['one month', list({ from: '2026-10-01', to: '2026-10-31' })],
      ['status done', list({ status: 'done' })],
      ['status interrupted', list({ status: 'interrupted' })],
      ['with problems', list({ problems: true })],
      ['floor: 50 newest batches, lines counted (plain SQL)', floor],
    ];
    const timed: [string, number][] = [];
    for (const [name, work] of cases) timed.push([name, median(await timeRoundsOf(work))]);
    const floorMs = timed[timed.length - 1]![1];
    console.log(`\nunion batch list on ${stack.machine}: median of ${rounds} rounds`);
    for (const [name, t] of timed) console.log(`${name.padEnd(52)} ${ms(t).padStart(6)} ms  ${(t / floorMs).toFixed(1)}× the floor`);
  } finally {
    await stack.close();
  }
}
