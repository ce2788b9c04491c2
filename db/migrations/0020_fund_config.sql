CREATE TABLE "fund_config_overrides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fund_id" text NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"value" jsonb,
	"effective_from" date NOT NULL,
	"reason" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_template_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fund_id" text NOT NULL,
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"effective_from" date NOT NULL,
	"reason" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "template_version" text;--> statement-breakpoint
CREATE INDEX "fund_config_overrides_key_idx" ON "fund_config_overrides" USING btree ("fund_id","key","effective_from");--> statement-breakpoint
CREATE INDEX "message_template_versions_kind_idx" ON "message_template_versions" USING btree ("fund_id","kind","language","effective_from");