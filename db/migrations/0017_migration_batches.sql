CREATE TABLE "migration_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"content_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"approved_by" text,
	"approved_hash" text,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_files" (
	"batch_id" text NOT NULL,
	"entity" text NOT NULL,
	"filename" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text NOT NULL,
	"sha256" text NOT NULL,
	"content" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_keys" (
	"entity" text NOT NULL,
	"legacy_id" text NOT NULL,
	"register_id" text NOT NULL,
	"loaded" jsonb NOT NULL,
	"batch_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_records" (
	"run_id" text NOT NULL,
	"entity" text NOT NULL,
	"seq" integer NOT NULL,
	"legacy_id" text NOT NULL,
	"outcome" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" jsonb NOT NULL,
	"data" jsonb,
	"kept" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"batch_id" text NOT NULL,
	"mode" text NOT NULL,
	"content_hash" text NOT NULL,
	"status" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"accepted" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_by" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "migration_files" ADD CONSTRAINT "migration_files_batch_id_migration_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."migration_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "migration_records" ADD CONSTRAINT "migration_records_run_id_migration_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."migration_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "migration_runs" ADD CONSTRAINT "migration_runs_batch_id_migration_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."migration_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "migration_files_pk" ON "migration_files" USING btree ("batch_id","entity");--> statement-breakpoint
CREATE UNIQUE INDEX "migration_keys_pk" ON "migration_keys" USING btree ("entity","legacy_id");--> statement-breakpoint
CREATE UNIQUE INDEX "migration_records_pk" ON "migration_records" USING btree ("run_id","entity","seq");--> statement-breakpoint
CREATE INDEX "migration_records_pending_idx" ON "migration_records" USING btree ("run_id","entity","outcome","seq");--> statement-breakpoint
CREATE INDEX "migration_runs_batch_idx" ON "migration_runs" USING btree ("batch_id","created_at");