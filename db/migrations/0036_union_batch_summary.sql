ALTER TABLE "union_batches" ADD COLUMN "lines_done" integer;--> statement-breakpoint
ALTER TABLE "union_batches" ADD COLUMN "outcomes" jsonb;--> statement-breakpoint
ALTER TABLE "union_batches" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
-- Batches already finished get their summary from their lines (decision 050).
UPDATE "union_batches" b
   SET "lines_done" = l.n, "outcomes" = l.outcomes, "completed_at" = l.last_at
  FROM (SELECT batch_id, sum(n)::int AS n, jsonb_object_agg(outcome, n) AS outcomes, max(last_at) AS last_at
          FROM (SELECT batch_id, outcome, count(*)::int AS n, max(updated_at) AS last_at FROM "union_batch_lines" GROUP BY batch_id, outcome) x
         GROUP BY batch_id) l
 WHERE l.batch_id = b.id AND l.n >= b.event_count;
