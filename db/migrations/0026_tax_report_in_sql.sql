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
-- keys to check row by row, and no index nothing reads (decision 034).
ALTER TABLE "tax_report_items" DROP CONSTRAINT "tax_report_items_run_id_tax_report_runs_id_fk";--> statement-breakpoint
ALTER TABLE "tax_report_items" DROP CONSTRAINT "tax_report_items_member_id_members_id_fk";--> statement-breakpoint
DROP INDEX "tax_report_items_member_idx";
