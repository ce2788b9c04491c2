CREATE TABLE "saved_task_filters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_group_members" (
	"group_code" text NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"event" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "candidate_group" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "follow_up_on" date;--> statement-breakpoint
ALTER TABLE "task_history" ADD CONSTRAINT "task_history_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_task_filters_user_name_uq" ON "saved_task_filters" USING btree ("user_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "task_group_members_uq" ON "task_group_members" USING btree ("group_code","user_id");--> statement-breakpoint
CREATE INDEX "task_group_members_user_idx" ON "task_group_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "task_history_task_idx" ON "task_history" USING btree ("task_id","at");--> statement-breakpoint
CREATE INDEX "tasks_claimed_by_idx" ON "tasks" USING btree ("claimed_by") WHERE "tasks"."status" = 'open';--> statement-breakpoint
INSERT INTO "task_history" ("task_id", "at", "event", "details") SELECT "id", "created_at", 'created', '{}'::jsonb FROM "tasks";
