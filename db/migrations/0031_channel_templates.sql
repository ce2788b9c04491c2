ALTER TABLE "message_template_versions" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "variants" jsonb;--> statement-breakpoint
ALTER TABLE "message_template_versions" ADD CONSTRAINT "message_template_versions_channel_check" CHECK ("message_template_versions"."channel" IS NULL OR "message_template_versions"."channel" IN ('email', 'sms', 'letter'));