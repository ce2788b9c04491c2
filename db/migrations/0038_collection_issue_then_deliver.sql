ALTER TABLE "collection_reminders" ADD COLUMN "letter" jsonb;--> statement-breakpoint
ALTER TABLE "collection_reminders" ADD COLUMN "issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "collection_reminders" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "collection_reminders_issued_idx" ON "collection_reminders" USING btree ("invoice_id","level") WHERE "collection_reminders"."status" = 'issued';