ALTER TABLE "collection_reminders" DROP CONSTRAINT "collection_reminders_pkey";--> statement-breakpoint
ALTER TABLE "collection_reminders" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "collection_reminders" ADD CONSTRAINT "collection_reminders_pk" PRIMARY KEY USING INDEX "collection_reminders_invoice_level_uq";
