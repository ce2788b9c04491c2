ALTER TABLE "ledger_entries" ADD COLUMN "description_code" text;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "description_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "member_changes" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "member_changes" ADD COLUMN "reason_params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Lines the system wrote in English become codes with params, so the desk shows them in its reader's language.
UPDATE "ledger_entries" SET "description_code" = 'invoice', "description_params" = jsonb_build_object('period', substring("description" from '^membership fee (.*)$')) WHERE "description" LIKE 'membership fee %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'reference_payment', "description_params" = jsonb_build_object('references', substring("description" from '^Reference payment (.*)$')) WHERE "description" LIKE 'Reference payment %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'suspense' WHERE "description" = 'Unidentified bank entry (suspense)';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'suspense_cleared' WHERE "description" = 'Identified: moved out of suspense';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'allocated_by_hand', "description_params" = jsonb_build_object('note', substring("description" from '^Allocated by hand: (.*)$')) WHERE "description" LIKE 'Allocated by hand: %';--> statement-breakpoint
UPDATE "ledger_entries" SET "description_code" = 'reversal', "description_params" = jsonb_build_object('archiveId', substring("description" from '^Reversal of bank entry (.*)$')) WHERE "description" LIKE 'Reversal of bank entry %';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'resignation_notice' WHERE "reason" = 'resignation notice';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'fund_switch', "reason_params" = jsonb_build_object('newFund', substring("reason" from '^fund switch to (.*)$')) WHERE "reason" LIKE 'fund switch to %';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'resignation_withdrawn' WHERE "reason" = 'resignation withdrawn';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'membership_application' WHERE "reason" = 'membership application';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'population_register', "reason_params" = jsonb_build_object('group', substring("reason" from '^population register \((.*)\)$')) WHERE "reason" LIKE 'population register (%)';--> statement-breakpoint
UPDATE "member_changes" SET "reason_code" = 'address_conflict_register' WHERE "reason" = 'address conflict resolved: population register';
