ALTER TABLE "message_template_versions" ALTER COLUMN "subject" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "message_template_versions" ALTER COLUMN "body" DROP NOT NULL;