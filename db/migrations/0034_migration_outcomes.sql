CREATE TABLE "migration_outcomes" (
	"run_id" text NOT NULL,
	"entity" text NOT NULL,
	"seq" integer NOT NULL,
	"outcome" text NOT NULL,
	"reasons" jsonb,
	"kept" text[],
	"member_id" uuid,
	CONSTRAINT "migration_outcomes_pk" PRIMARY KEY("run_id","entity","seq")
);
--> statement-breakpoint
DROP INDEX "migration_records_pending_idx";