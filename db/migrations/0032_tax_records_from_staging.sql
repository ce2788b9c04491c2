-- A run's staged records are its reported records once it has its file (decision 041): the file
-- step no longer copies 270,000 rows into a table with four indexes. Record numbers are given by
-- the preview; rejections from an acknowledgement are kept in a table of their own.
ALTER TABLE "tax_report_items" ADD COLUMN "record_number" integer;--> statement-breakpoint
-- The numbers the file step gave (row_number over the run's records in seq order).
UPDATE "tax_report_items" i SET "record_number" = n.rn
  FROM (SELECT run_id, seq, row_number() OVER (PARTITION BY run_id ORDER BY seq) AS rn FROM "tax_report_items" WHERE record_kind IS NOT NULL) n
  WHERE n.run_id = i.run_id AND n.seq = i.seq;--> statement-breakpoint
CREATE TABLE "tax_rejected_records" (
	"file_id" uuid NOT NULL,
	"record_number" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_rejected_records_pk" PRIMARY KEY("file_id","record_number")
);--> statement-breakpoint
ALTER TABLE "tax_rejected_records" ADD CONSTRAINT "tax_rejected_records_file_id_tax_report_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."tax_report_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
INSERT INTO "tax_rejected_records" (file_id, record_number, reason, created_at)
  SELECT file_id, record_number, coalesce(rejection_reason, ''), created_at FROM "tax_reported_records" WHERE status = 'rejected';--> statement-breakpoint
DROP TABLE "tax_reported_records";--> statement-breakpoint
CREATE INDEX "tax_report_items_member_idx" ON "tax_report_items" USING btree ("member_id");--> statement-breakpoint
CREATE VIEW "tax_reported_records" AS
  SELECT f.id AS file_id, i.run_id, f.year, i.record_number, i.member_id, i.record_kind AS kind, i.identity_code, i.name, i.amount_cents,
    CASE WHEN r.file_id IS NOT NULL THEN 'rejected' WHEN f.status IN ('acknowledged', 'records-rejected') THEN 'accepted' ELSE 'sent' END AS status,
    r.reason AS rejection_reason, f.created_at
  FROM "tax_report_files" f
  JOIN "tax_report_items" i ON i.run_id = f.run_id AND i.record_number IS NOT NULL
  LEFT JOIN "tax_rejected_records" r ON r.file_id = f.id AND r.record_number = i.record_number;
--> statement-breakpoint
-- The identity code's validity and the report name kept with the person (decision 041): the
-- annual report computed both for 270,000 people per run.
ALTER TABLE "persons" ADD COLUMN "valid_identity_code" boolean GENERATED ALWAYS AS (identity_code_valid(identity_code)) STORED;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "report_name" text GENERATED ALWAYS AS (CASE WHEN (last_name || ' ' || first_names) !~ '[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|  |^ | $' THEN last_name || ' ' || first_names ELSE btrim(regexp_replace(last_name || ' ' || first_names, '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'), ' ') END) STORED;
