ALTER TABLE "billing_run_items" ADD COLUMN "exception_code" text;--> statement-breakpoint
ALTER TABLE "billing_run_items" ADD COLUMN "exception_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "description_code" text;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "description_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "member_changes" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "member_changes" ADD COLUMN "reason_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Texts the system wrote in English become codes with params, so the desk shows them in its reader's language.
UPDATE "ledger_entries" SET "description_code" = 'invoice', "description_params" = jsonb_build_object('period', substring("description" from '^membership fee (.*)$')) WHERE "description" LIKE 'membership fee %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'reference_payment', "description_params" = jsonb_build_object('references', substring("description" from '^Reference payment (.*)$')) WHERE "description" LIKE 'Reference payment %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'suspense' WHERE "description" = 'Unidentified bank entry (suspense)';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'suspense_cleared' WHERE "description" = 'Identified: moved out of suspense';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'allocated_by_hand', "description_params" = jsonb_build_object('note', substring("description" from '^Allocated by hand: (.*)$')) WHERE "description" LIKE 'Allocated by hand: %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'reversal', "description_params" = jsonb_build_object('archiveId', substring("description" from '^Reversal of bank entry (.*)$')) WHERE "description" LIKE 'Reversal of bank entry %';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'resignation_notice' WHERE "reason" = 'resignation notice';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'fund_switch', "reason_params" = jsonb_build_object('newFund', substring("reason" from '^fund switch to (.*)$')) WHERE "reason" LIKE 'fund switch to %';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'resignation_withdrawn' WHERE "reason" = 'resignation withdrawn';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'resignation_withdrawn_because', "reason_params" = jsonb_build_object('reason', substring("reason" from '^resignation withdrawn: (.*)$')) WHERE "reason" LIKE 'resignation withdrawn: %';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'membership_application' WHERE "reason" = 'membership application';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'population_register', "reason_params" = jsonb_build_object('group', substring("reason" from '^population register \((.*)\)$')) WHERE "reason" LIKE 'population register (%)';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'address_conflict_register' WHERE "reason" = 'address conflict resolved: population register';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'no_postal_address' WHERE "exception" LIKE 'No postal address for a letter invoice%';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'no_delivery_channel', "exception_params" = jsonb_build_object('channel', substring("exception" from 'the preference is ([a-z-]+),')) WHERE "exception" LIKE 'No way to deliver the invoice%';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'no_fee_for_year', "exception_params" = jsonb_build_object('year', substring("exception" from '^no membership fee for ([0-9]{4})')) WHERE "exception" LIKE 'no membership fee for %';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'no_reference_number' WHERE "exception" LIKE 'No reference number: %';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'unknown_channel', "exception_params" = jsonb_build_object('channel', substring("exception" from '^Unknown membership channel "(.*)"')) WHERE "exception" LIKE 'Unknown membership channel %';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'reference_in_use', "exception_params" = jsonb_build_object('reference', substring("exception" from '^Reference ([0-9]+) is already used')) WHERE "exception" LIKE 'Reference % is already used by %';--> statement-breakpoint
UPDATE "billing_run_items" SET "exception_code" = 'membership_data_invalid' WHERE "category" = 'exception' AND "exception" IS NOT NULL AND "exception_code" IS NULL;
