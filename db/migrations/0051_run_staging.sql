ALTER TABLE "migration_runs" ADD COLUMN "staging" jsonb;--> statement-breakpoint
ALTER TABLE "migration_runs" ADD COLUMN "records_run_id" text;--> statement-breakpoint
CREATE INDEX "migration_records_settled_in_place_idx" ON "migration_records" USING btree ("run_id") WHERE "migration_records"."outcome" IN ('migrated', 'updated', 'unchanged');