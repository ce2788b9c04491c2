CREATE TABLE "fee_exemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"union_code" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fee_exemptions" ADD CONSTRAINT "fee_exemptions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fee_exemptions_member_union_start_uq" ON "fee_exemptions" USING btree ("member_id","union_code","start_date");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_delivered_idx" ON "outbox_deliveries" USING btree ("delivered_at") WHERE "outbox_deliveries"."status" = 'delivered';