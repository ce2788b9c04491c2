ALTER TABLE "billing_runs" ADD COLUMN "delivery_totals" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "failure_reason" text;