CREATE TABLE "union_batch_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"kind" text NOT NULL,
	"member_id" uuid,
	"outcome" text NOT NULL,
	"ref" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "union_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"union_code" text NOT NULL,
	"batch_key" text NOT NULL,
	"sha256" text NOT NULL,
	"format" text NOT NULL,
	"received_by" text NOT NULL,
	"event_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "union_remittance_mismatches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"union_code" text NOT NULL,
	"identity_code" text NOT NULL,
	"member_id" uuid,
	"period" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"expected_cents" integer,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "union_remittances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"union_code" text NOT NULL,
	"member_id" uuid NOT NULL,
	"period" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"batch_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"booked_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "union_reported_states" (
	"union_code" text NOT NULL,
	"member_id" uuid NOT NULL,
	"paid_through" date,
	"exempt_from" date,
	"exempt_until" date,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "union_batch_lines" ADD CONSTRAINT "union_batch_lines_batch_id_union_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."union_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_batch_lines" ADD CONSTRAINT "union_batch_lines_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_remittance_mismatches" ADD CONSTRAINT "union_remittance_mismatches_batch_id_union_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."union_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_remittance_mismatches" ADD CONSTRAINT "union_remittance_mismatches_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_remittances" ADD CONSTRAINT "union_remittances_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_remittances" ADD CONSTRAINT "union_remittances_batch_id_union_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."union_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "union_reported_states" ADD CONSTRAINT "union_reported_states_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "union_batch_lines_batch_line_uq" ON "union_batch_lines" USING btree ("batch_id","line_no");--> statement-breakpoint
CREATE UNIQUE INDEX "union_batches_union_key_uq" ON "union_batches" USING btree ("union_code","batch_key");--> statement-breakpoint
CREATE UNIQUE INDEX "union_remittance_mismatches_line_uq" ON "union_remittance_mismatches" USING btree ("batch_id","line_no");--> statement-breakpoint
CREATE UNIQUE INDEX "union_remittances_member_period_uq" ON "union_remittances" USING btree ("union_code","member_id","period");--> statement-breakpoint
CREATE INDEX "union_remittances_member_idx" ON "union_remittances" USING btree ("member_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "union_reported_states_uq" ON "union_reported_states" USING btree ("union_code","member_id");