ALTER TABLE "collection_reminders" DROP CONSTRAINT "collection_reminders_invoice_id_invoices_id_fk";
--> statement-breakpoint
ALTER TABLE "collection_reminders" DROP CONSTRAINT "collection_reminders_member_id_members_id_fk";
--> statement-breakpoint
ALTER TABLE "collection_run_items" DROP CONSTRAINT "collection_run_items_invoice_id_invoices_id_fk";
--> statement-breakpoint
ALTER TABLE "collection_run_items" DROP CONSTRAINT "collection_run_items_member_id_members_id_fk";
--> statement-breakpoint
DROP INDEX "collection_reminders_member_idx";