ALTER TABLE "migration_runs" ADD COLUMN "readable_report" jsonb;--> statement-breakpoint
ALTER TABLE "migration_runs" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "tax_report_runs" ADD COLUMN "error_code" text;