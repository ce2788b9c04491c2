-- The year's money per member as the tax report counts it (decision 060), kept as the ledger is
-- written: fund-collected payments, reversals and refunds of members, by the calendar year of their
-- cash date (coalesce(booked_on, occurred_on); booked_on is set by the row trigger
-- ledger_entries_booked_on before these statement triggers see the rows).
CREATE TABLE "member_year_money" (
	"year" integer NOT NULL,
	"member_id" uuid NOT NULL,
	"paid_cents" bigint NOT NULL,
	"reversed_cents" bigint NOT NULL,
	"refunded_cents" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "member_year_money_pk" PRIMARY KEY("year","member_id")
);--> statement-breakpoint
-- Its rows are updated with every payment: room on the page for the new version (a HOT update, no index write).
ALTER TABLE "member_year_money" SET (fillfactor = 80);--> statement-breakpoint
-- One upsert per ledger statement, whatever its size (a billing run's or a migration load's rows
-- too): the statement's rows that count, summed per (year, member) in key order (two statements
-- touching the same members lock them in the same order), added to what is there. An update adds
-- its new rows and takes its old rows away; a delete takes them away. A row whose entries fall to
-- 0 stays (readers ask for entries > 0); a statement that moves no money (an update of a
-- description, ledger rows of other kinds) writes nothing.
CREATE FUNCTION member_year_money_add(added ledger_entries[], removed ledger_entries[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO member_year_money AS y (year, member_id, paid_cents, reversed_cents, refunded_cents, entries)
  SELECT year, member_id, paid, reversed, refunded, entries FROM (
    SELECT extract(year FROM coalesce(d.booked_on, d.occurred_on))::int AS year, d.member_id,
      sum(d.sign * CASE WHEN d.kind = 'payment' THEN -d.amount_cents ELSE 0 END) AS paid,
      sum(d.sign * CASE WHEN d.kind = 'reversal' THEN d.amount_cents ELSE 0 END) AS reversed,
      sum(d.sign * CASE WHEN d.kind = 'refund' THEN d.amount_cents ELSE 0 END) AS refunded,
      sum(d.sign) AS entries
    FROM (SELECT a.*, 1 AS sign FROM unnest(added) a UNION ALL SELECT r.*, -1 FROM unnest(removed) r) d
    WHERE d.kind IN ('payment', 'reversal', 'refund') AND d.member_id IS NOT NULL AND d.collected_by = 'fund'
    GROUP BY 1, 2) s
  WHERE entries <> 0 OR paid <> 0 OR reversed <> 0 OR refunded <> 0
  ORDER BY year, member_id
  ON CONFLICT (year, member_id) DO UPDATE SET paid_cents = y.paid_cents + excluded.paid_cents,
    reversed_cents = y.reversed_cents + excluded.reversed_cents, refunded_cents = y.refunded_cents + excluded.refunded_cents,
    entries = y.entries + excluded.entries
$$;--> statement-breakpoint
-- PostgreSQL allows transition tables only on one-event triggers: three triggers, one function
-- handing each event's rows that may be money to member_year_money_add (a billing run's invoice
-- rows are left out here, not carried in an array).
CREATE FUNCTION member_year_money_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM member_year_money_add(ARRAY(SELECT n::ledger_entries FROM new_rows n WHERE n.kind IN ('payment', 'reversal', 'refund')), '{}');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM member_year_money_add(ARRAY(SELECT n::ledger_entries FROM new_rows n WHERE n.kind IN ('payment', 'reversal', 'refund')),
      ARRAY(SELECT o::ledger_entries FROM old_rows o WHERE o.kind IN ('payment', 'reversal', 'refund')));
  ELSE
    PERFORM member_year_money_add('{}', ARRAY(SELECT o::ledger_entries FROM old_rows o WHERE o.kind IN ('payment', 'reversal', 'refund')));
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER member_year_money_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_year_money_keep();--> statement-breakpoint
CREATE TRIGGER member_year_money_update AFTER UPDATE ON ledger_entries
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_year_money_keep();--> statement-breakpoint
CREATE TRIGGER member_year_money_delete AFTER DELETE ON ledger_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_year_money_keep();--> statement-breakpoint
-- A truncated ledger has no money (TRUNCATE fires no delete trigger).
CREATE FUNCTION member_year_money_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE member_year_money;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER member_year_money_truncate AFTER TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION member_year_money_truncate();--> statement-breakpoint
-- The table made again from the ledger, with the ledger's writers held off meanwhile: the
-- migration's backfill, a load that wrote the ledger without triggers (the tax bench's payments,
-- under session_replication_role = replica), a repair.
CREATE FUNCTION member_year_money_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE ledger_entries IN SHARE MODE;
  TRUNCATE member_year_money;
  INSERT INTO member_year_money (year, member_id, paid_cents, reversed_cents, refunded_cents, entries)
  SELECT extract(year FROM coalesce(l.booked_on, l.occurred_on))::int, l.member_id,
    sum(CASE WHEN l.kind = 'payment' THEN -l.amount_cents ELSE 0 END),
    sum(CASE WHEN l.kind = 'reversal' THEN l.amount_cents ELSE 0 END),
    sum(CASE WHEN l.kind = 'refund' THEN l.amount_cents ELSE 0 END),
    count(*)
  FROM ledger_entries l
  WHERE l.kind IN ('payment', 'reversal', 'refund') AND l.member_id IS NOT NULL AND l.collected_by = 'fund'
  GROUP BY 1, 2;
  ANALYZE member_year_money;
END $$;--> statement-breakpoint
SELECT member_year_money_rebuild();
