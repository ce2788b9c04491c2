ALTER TABLE "resignations" ADD COLUMN "withdrawn_by" text;--> statement-breakpoint
ALTER TABLE "resignations" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
ALTER TABLE "resignations" ADD COLUMN "confirmation_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resignations" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resignations" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "resignations" ADD COLUMN "decision_reason" text;