CREATE TABLE "collection_hearing_starts" (
	"invoice_id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"started_on" date NOT NULL,
	"overdue_cents" integer NOT NULL,
	"started_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collection_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"until" date NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resumed_at" timestamp with time zone,
	"resumed_by" text
);
--> statement-breakpoint
CREATE TABLE "collection_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"run_date" date NOT NULL,
	"sent_on" date NOT NULL,
	"new_due_date" date NOT NULL,
	"open_cents" integer NOT NULL,
	"fee_cents" integer DEFAULT 0 NOT NULL,
	"channel" text NOT NULL,
	"message_key" text NOT NULL,
	"status" text NOT NULL,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collection_run_items" (
	"run_date" date NOT NULL,
	"invoice_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"chunk" integer NOT NULL,
	"level" integer NOT NULL,
	"outcome" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "collection_runs" (
	"run_date" date PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"workflow_id" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"outcome" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "collection_hearing_starts" ADD CONSTRAINT "collection_hearing_starts_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_hearing_starts" ADD CONSTRAINT "collection_hearing_starts_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_holds" ADD CONSTRAINT "collection_holds_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_reminders" ADD CONSTRAINT "collection_reminders_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_reminders" ADD CONSTRAINT "collection_reminders_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run_items" ADD CONSTRAINT "collection_run_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run_items" ADD CONSTRAINT "collection_run_items_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_holds_member_idx" ON "collection_holds" USING btree ("member_id","set_at");--> statement-breakpoint
CREATE UNIQUE INDEX "collection_holds_open_uq" ON "collection_holds" USING btree ("member_id") WHERE "collection_holds"."resumed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "collection_reminders_invoice_level_uq" ON "collection_reminders" USING btree ("invoice_id","level");--> statement-breakpoint
CREATE INDEX "collection_reminders_member_idx" ON "collection_reminders" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "collection_run_items_pk" ON "collection_run_items" USING btree ("run_date","invoice_id");--> statement-breakpoint
CREATE INDEX "collection_run_items_chunk_idx" ON "collection_run_items" USING btree ("run_date","chunk");