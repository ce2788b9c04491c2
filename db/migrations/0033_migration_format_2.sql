CREATE TABLE "tax_migrated_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"identity_code" text NOT NULL,
	"name" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"reported_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collection_hearing_starts" ADD COLUMN "migrated" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tax_migrated_records" ADD CONSTRAINT "tax_migrated_records_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tax_migrated_records_member_year_uq" ON "tax_migrated_records" USING btree ("member_id","year");--> statement-breakpoint
CREATE INDEX "tax_migrated_records_year_idx" ON "tax_migrated_records" USING btree ("year");--> statement-breakpoint
-- A figure the previous register reported (decision 047) stands like an accepted record of the
-- register's own, older than any of them: a correction run of its year replaces it.
CREATE OR REPLACE VIEW "tax_reported_records" AS
  SELECT f.id AS file_id, i.run_id, f.year, i.record_number, i.member_id, i.record_kind AS kind, i.identity_code, i.name, i.amount_cents,
    CASE WHEN r.file_id IS NOT NULL THEN 'rejected' WHEN f.status IN ('acknowledged', 'records-rejected') THEN 'accepted' ELSE 'sent' END AS status,
    r.reason AS rejection_reason, f.created_at
  FROM "tax_report_files" f
  JOIN "tax_report_items" i ON i.run_id = f.run_id AND i.record_number IS NOT NULL
  LEFT JOIN "tax_rejected_records" r ON r.file_id = f.id AND r.record_number = i.record_number
  UNION ALL
  SELECT t.id, 'migration'::text, t.year, 0, t.member_id, 'new'::text, t.identity_code, t.name, t.amount_cents, 'accepted'::text, NULL::text,
    t.reported_on::timestamp AT TIME ZONE 'Europe/Helsinki'
  FROM "tax_migrated_records" t;