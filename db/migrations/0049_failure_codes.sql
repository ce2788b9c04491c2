ALTER TABLE "messages" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD COLUMN "last_error_code" text;