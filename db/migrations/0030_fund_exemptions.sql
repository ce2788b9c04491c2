ALTER TABLE "fee_exemptions" ALTER COLUMN "union_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD COLUMN "source" text DEFAULT 'union' NOT NULL;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD COLUMN "granted_by" text;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD COLUMN "ended_by" text;--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD CONSTRAINT "fee_exemptions_source_ck" CHECK (("source" = 'union' AND "union_code" IS NOT NULL) OR ("source" = 'fund' AND "union_code" IS NULL AND "reason" IS NOT NULL AND "granted_by" IS NOT NULL));--> statement-breakpoint
CREATE UNIQUE INDEX "fee_exemptions_fund_member_start_uq" ON "fee_exemptions" USING btree ("member_id","start_date") WHERE "fee_exemptions"."source" = 'fund';
