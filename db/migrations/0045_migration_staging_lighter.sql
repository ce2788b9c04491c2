-- Decision 062: the staging COPY without a foreign-key check per staged record (the staging transaction locks the run's row once), the source row kept as json text; the legacy id on each outcome row (the member audit no longer joins the staged records).
ALTER TABLE "migration_records" DROP CONSTRAINT "migration_records_run_id_migration_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "migration_records" ALTER COLUMN "source" SET DATA TYPE json USING "source"::json;--> statement-breakpoint
ALTER TABLE "migration_outcomes" ADD COLUMN "legacy_id" text;
