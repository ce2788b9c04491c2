ALTER TABLE "invoices" ADD COLUMN "virtual_barcode_v5" text;--> statement-breakpoint
-- Invoices issued before the column existed get their version-5 barcode too, by the same layout as
-- domain/billing/virtualBarcode.ts: '5' + IBAN digits (16) + euros (6) + cents (2) + RF check
-- digits (2) + RF body (21, zero-padded) + due date (YYMMDD). Only where the layout can hold them.
UPDATE "invoices"
   SET "virtual_barcode_v5" = '5' || substr(replace("iban", ' ', ''), 3, 16)
       || lpad(("amount_cents" / 100)::text, 6, '0') || lpad(("amount_cents" % 100)::text, 2, '0')
       || substr("rf_reference", 3, 2) || lpad(substr("rf_reference", 5), 21, '0')
       || to_char("due_date", 'YYMMDD')
 WHERE "virtual_barcode_v5" IS NULL
   AND replace("iban", ' ', '') ~ '^FI[0-9]{16}$'
   AND "rf_reference" ~ '^RF[0-9]{2}[0-9]{1,21}$'
   AND "amount_cents" BETWEEN 0 AND 99999999
   AND "due_date" BETWEEN DATE '2000-01-01' AND DATE '2099-12-31';
