CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "member_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"member_id" uuid,
	"field" text NOT NULL,
	"effective_from" date NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"source_key" text,
	CONSTRAINT "member_changes_source_key_unique" UNIQUE("source_key")
);
--> statement-breakpoint
CREATE TABLE "person_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"street" text NOT NULL,
	"postal_code" text NOT NULL,
	"city" text NOT NULL,
	"country" text,
	"source" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_identity_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"identity_code" text NOT NULL,
	"active" boolean NOT NULL,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL,
	CONSTRAINT "person_identity_codes_identity_code_unique" UNIQUE("identity_code")
);
--> statement-breakpoint
CREATE TABLE "person_names" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"first_names" text NOT NULL,
	"last_name" text NOT NULL,
	"valid_from" date NOT NULL,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "population_sync_state" (
	"id" text PRIMARY KEY NOT NULL,
	"token" bigint NOT NULL,
	"up_to_date" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resignations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"submitted_by" text NOT NULL,
	"channel" text NOT NULL,
	"received_on" date NOT NULL,
	"requested_end_date" date,
	"end_date" date NOT NULL,
	"fee_owed_until" date NOT NULL,
	"new_fund" text,
	"new_fund_start_date" date,
	"status" text DEFAULT 'pending' NOT NULL,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transferred_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"fund_name" text NOT NULL,
	"fund_business_id" text,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"paid_through" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "membership_periods" ADD COLUMN "ended_by" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "address_source" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "municipality" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "non_disclosure" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "non_disclosure_until" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "date_of_death" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "death_date_precision" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "delivery_channel" text DEFAULT 'letter' NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "e_invoice_address" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "e_invoice_operator" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "e_invoice_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "sms_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "member_changes" ADD CONSTRAINT "member_changes_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_addresses" ADD CONSTRAINT "person_addresses_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identity_codes" ADD CONSTRAINT "person_identity_codes_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_names" ADD CONSTRAINT "person_names_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resignations" ADD CONSTRAINT "resignations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transferred_periods" ADD CONSTRAINT "transferred_periods_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_changes_person_idx" ON "member_changes" USING btree ("person_id","changed_at");--> statement-breakpoint
CREATE INDEX "person_addresses_person_idx" ON "person_addresses" USING btree ("person_id","valid_from");--> statement-breakpoint
CREATE INDEX "person_identity_codes_person_idx" ON "person_identity_codes" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_names_person_idx" ON "person_names" USING btree ("person_id","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "resignations_submitter_key_uq" ON "resignations" USING btree ("submitted_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "resignations_member_idx" ON "resignations" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transferred_periods_uq" ON "transferred_periods" USING btree ("member_id","fund_name","start_date");--> statement-breakpoint
CREATE INDEX "persons_name_trgm_idx" ON "persons" USING gin (lower("last_name" || ' ' || "first_names") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "persons_last_name_idx" ON "persons" USING btree (lower("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tasks_subject_idx" ON "tasks" USING btree ("subject_id");--> statement-breakpoint
-- Backfill the histories from the people already in the register.
INSERT INTO "person_identity_codes" ("person_id", "identity_code", "active", "source", "recorded_by")
  SELECT "id", "identity_code", true, 'application', 'migration' FROM "persons";--> statement-breakpoint
INSERT INTO "person_names" ("person_id", "first_names", "last_name", "valid_from", "source", "recorded_by")
  SELECT "id", "first_names", "last_name", "created_at"::date, 'application', 'migration' FROM "persons";--> statement-breakpoint
INSERT INTO "person_addresses" ("person_id", "kind", "street", "postal_code", "city", "country", "source", "valid_from", "recorded_by")
  SELECT "id", 'permanent', "street_address", "postal_code", "city", "country", 'application', "created_at"::date, 'migration'
  FROM "persons" WHERE "street_address" IS NOT NULL;--> statement-breakpoint
UPDATE "persons" SET "address_source" = 'application' WHERE "street_address" IS NOT NULL;--> statement-breakpoint
UPDATE "persons" SET "delivery_channel" = 'email' WHERE "email" IS NOT NULL;
