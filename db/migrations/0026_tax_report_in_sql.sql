ALTER TABLE "ledger_entries" ADD COLUMN "booked_on" date;--> statement-breakpoint
-- The bank's booking date on the ledger row where it differs from the ledger date, so the cash
-- date of a row (the tax report's year, the fee statement's years) needs no join to bank_entries.
CREATE FUNCTION ledger_entries_booked_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.booked_on := CASE WHEN NEW.bank_entry_id IS NULL THEN NULL
    ELSE nullif((SELECT b.booking_date FROM bank_entries b WHERE b.id = NEW.bank_entry_id), NEW.occurred_on) END;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_booked_on BEFORE INSERT OR UPDATE OF bank_entry_id, occurred_on, booked_on ON ledger_entries
  FOR EACH ROW WHEN (NEW.bank_entry_id IS NOT NULL OR NEW.booked_on IS NOT NULL) EXECUTE FUNCTION ledger_entries_booked_on();--> statement-breakpoint
-- A bank entry's booking date is the bank's fact and never changes (the rows above carry it).
CREATE FUNCTION bank_entries_booking_date_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the booking date of bank entry % is the bank''s and does not change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER bank_entries_booking_date_fixed BEFORE UPDATE OF booking_date ON bank_entries
  FOR EACH ROW WHEN (OLD.booking_date IS DISTINCT FROM NEW.booking_date) EXECUTE FUNCTION bank_entries_booking_date_fixed();--> statement-breakpoint
UPDATE ledger_entries l SET booked_on = b.booking_date FROM bank_entries b WHERE b.id = l.bank_entry_id AND b.booking_date <> l.occurred_on;--> statement-breakpoint
-- The preview's staging is written by one statement from a join of the run's members: no foreign
-- keys to check row by row (10–20 µs a row, more than the write), and no index nothing reads (decision 034).
ALTER TABLE "tax_report_items" DROP CONSTRAINT "tax_report_items_run_id_tax_report_runs_id_fk";--> statement-breakpoint
ALTER TABLE "tax_report_items" DROP CONSTRAINT "tax_report_items_member_id_members_id_fk";--> statement-breakpoint
DROP INDEX "tax_report_items_member_idx";--> statement-breakpoint
-- The file's records likewise: one statement from the staging, in the file's own transaction.
ALTER TABLE "tax_reported_records" DROP CONSTRAINT "tax_reported_records_file_id_tax_report_files_id_fk";--> statement-breakpoint
ALTER TABLE "tax_reported_records" DROP CONSTRAINT "tax_reported_records_member_id_members_id_fk";--> statement-breakpoint
-- A year's file is ~40 MB of text: stored as it is, not compressed on the way in and out (decision 034).
ALTER TABLE "tax_report_files" ALTER COLUMN "content" SET STORAGE EXTERNAL;
--> statement-breakpoint
-- domain/identityCode.ts#parseIdentityCode's yes or no, for set-based statements (the tax report's
-- preview); tests/integration/tax-staging.test.ts holds the two to the same answers. One expression,
-- so PostgreSQL inlines it (not STRICT, which would stop that); the casts only run on the shape the pattern let through (CASE, not AND,
-- whose order is not promised).
CREATE FUNCTION identity_code_valid(code text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN code !~ '^[0-9]{6}[-+ABCDEFUVWXY][0-9]{3}[0-9ABCDEFHJKLMNPRSTUVWXY]$' THEN false ELSE
    substr(code, 3, 2)::int BETWEEN 1 AND 12
    AND substr(code, 1, 2)::int BETWEEN 1 AND CASE
      WHEN substr(code, 3, 2)::int IN (4, 6, 9, 11) THEN 30
      WHEN substr(code, 3, 2)::int <> 2 THEN 31
      -- February: a leap year of the code's century (+ 1800s, - and U–Y 1900s, A–F 2000s).
      WHEN (CASE WHEN substr(code, 7, 1) = '+' THEN 1800 WHEN substr(code, 7, 1) IN ('A', 'B', 'C', 'D', 'E', 'F') THEN 2000 ELSE 1900 END
            + substr(code, 5, 2)::int) % 400 = 0 THEN 29
      WHEN substr(code, 5, 2) = '00' THEN 28
      WHEN substr(code, 5, 2)::int % 4 = 0 THEN 29
      ELSE 28 END
    AND substr(code, 8, 3)::int >= 2
    AND substr('0123456789ABCDEFHJKLMNPRSTUVWXY', ((substr(code, 1, 6) || substr(code, 8, 3))::bigint % 31)::int + 1, 1) = substr(code, 11, 1)
  END
$$;
