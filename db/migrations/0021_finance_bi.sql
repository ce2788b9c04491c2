CREATE TABLE "finance_journal_pushes" (
	"day" date PRIMARY KEY NOT NULL,
	"file_key" text NOT NULL,
	"delivery_id" text NOT NULL,
	"sha256" text NOT NULL,
	"lines" integer NOT NULL,
	"debit_cents" bigint NOT NULL,
	"credit_cents" bigint NOT NULL,
	"account_nets" jsonb NOT NULL,
	"workflow_id" text NOT NULL,
	"pushed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_reconciliations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"day" date NOT NULL,
	"against" text NOT NULL,
	"status" text NOT NULL,
	"journal_balanced" boolean NOT NULL,
	"journal_debit_cents" bigint NOT NULL,
	"journal_credit_cents" bigint NOT NULL,
	"differences" jsonb NOT NULL,
	"mismatch_workflow_id" text,
	"resolution" text,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "journal_reconciliations_day_idx" ON "journal_reconciliations" USING btree ("day","checked_at");--> statement-breakpoint
-- The BI's read-only views (docs/bi-extract.md, decision 025): no identity code, no name, no
-- address in clear; a member is its register id (a surrogate uuid). The views run with their
-- owner's rights, so the reading role needs nothing in schema public.
CREATE SCHEMA IF NOT EXISTS "bi";
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."members" AS
  SELECT m.id AS member_id, m.member_number, extract(year FROM p.birth_date)::int AS birth_year, p.language, p.municipality,
         m.union_code, m.channel, m.created_at::date AS created_on, (p.date_of_death IS NOT NULL) AS deceased
  FROM members m JOIN persons p ON p.id = m.person_id;
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."membership_periods" AS
  SELECT id AS period_id, member_id, start_date, end_date, end_reason FROM membership_periods;
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."invoices" AS
  SELECT id AS invoice_id, invoice_number, member_id, fee_year, period_start, period_end, amount_cents, open_cents, status, issued_on, due_date, delivery
  FROM invoices;
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."ledger_entries" AS
  SELECT id AS ledger_id, member_id, occurred_on, kind, amount_cents, collected_by, invoice_id FROM ledger_entries;
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."events" AS
  SELECT position, id AS event_id, type, member_id, member_seq, occurred_at FROM outbox_events;
--> statement-breakpoint
CREATE OR REPLACE VIEW "bi"."journal_reconciliations" AS
  SELECT day, against, status, journal_balanced, journal_debit_cents, journal_credit_cents, checked_at FROM journal_reconciliations;
--> statement-breakpoint
-- The reading role: a NOLOGIN group role the DBA grants to the BI's own login (GRANT bi_reader TO …).
-- Made here when the migrating user may create roles; otherwise the DBA runs the same statements.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bi_reader') THEN
    CREATE ROLE bi_reader NOLOGIN;
  END IF;
  GRANT USAGE ON SCHEMA bi TO bi_reader;
  GRANT SELECT ON ALL TABLES IN SCHEMA bi TO bi_reader;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'bi_reader not created or granted (no privilege): see docs/bi-extract.md';
END $$;
