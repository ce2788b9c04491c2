CREATE TABLE "tax_report_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" text NOT NULL,
	"year" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" text NOT NULL,
	"record_count" integer NOT NULL,
	"total_cents" bigint NOT NULL,
	"transliterations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"submission_id" text,
	"sent_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_report_files_run_id_unique" UNIQUE("run_id")
);
--> statement-breakpoint
CREATE TABLE "tax_report_items" (
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"member_id" uuid NOT NULL,
	"net_cents" integer NOT NULL,
	"exceptions" text[] NOT NULL,
	"record_kind" text,
	"identity_code" text,
	"name" text NOT NULL,
	"amount_cents" integer
);
--> statement-breakpoint
CREATE TABLE "tax_report_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_by" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"summary" jsonb,
	"progress" jsonb,
	"error" text,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax_reported_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_id" uuid NOT NULL,
	"run_id" text NOT NULL,
	"year" integer NOT NULL,
	"record_number" integer NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"identity_code" text NOT NULL,
	"name" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" text NOT NULL,
	"rejection_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "collected_by" text DEFAULT 'fund' NOT NULL;--> statement-breakpoint
ALTER TABLE "tax_report_files" ADD CONSTRAINT "tax_report_files_run_id_tax_report_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."tax_report_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_report_items" ADD CONSTRAINT "tax_report_items_run_id_tax_report_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."tax_report_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_report_items" ADD CONSTRAINT "tax_report_items_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_reported_records" ADD CONSTRAINT "tax_reported_records_file_id_tax_report_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."tax_report_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_reported_records" ADD CONSTRAINT "tax_reported_records_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tax_report_items_pk" ON "tax_report_items" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "tax_report_items_member_idx" ON "tax_report_items" USING btree ("run_id","member_id");--> statement-breakpoint
CREATE INDEX "tax_report_runs_year_idx" ON "tax_report_runs" USING btree ("year","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tax_reported_records_file_uq" ON "tax_reported_records" USING btree ("file_id","record_number");--> statement-breakpoint
CREATE INDEX "tax_reported_records_member_idx" ON "tax_reported_records" USING btree ("member_id","year","id");--> statement-breakpoint
CREATE INDEX "tax_reported_records_year_idx" ON "tax_reported_records" USING btree ("year","member_id","id");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_collected_by" CHECK ("ledger_entries"."collected_by" in ('fund', 'union'));