CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"text" text NOT NULL,
	"received_on" date NOT NULL,
	"late" boolean NOT NULL,
	"channel" text NOT NULL,
	"recorded_by" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolution_document_id" text,
	"samu_ruled_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeals_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
CREATE TABLE "expulsion_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hearing_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"effective_date" date NOT NULL,
	"decided_by" text NOT NULL,
	"confirmed_by" text,
	"mailed_on" date NOT NULL,
	"notified_on" date NOT NULL,
	"appeal_deadline" date NOT NULL,
	"document_id" text NOT NULL,
	"message_key" text NOT NULL,
	"reinstated_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expulsion_decisions_hearing_id_unique" UNIQUE("hearing_id")
);
--> statement-breakpoint
CREATE TABLE "hearing_explanations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hearing_id" uuid NOT NULL,
	"text" text NOT NULL,
	"received_on" date NOT NULL,
	"channel" text NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hearings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"workflow_id" text NOT NULL,
	"invoice_ids" jsonb NOT NULL,
	"overdue_cents" integer NOT NULL,
	"started_on" date NOT NULL,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"letter_document_id" text,
	"letter_message_key" text,
	"proposed_by" text,
	"proposed_reason" text,
	"outcome_reason" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_decision_id_expulsion_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."expulsion_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expulsion_decisions" ADD CONSTRAINT "expulsion_decisions_hearing_id_hearings_id_fk" FOREIGN KEY ("hearing_id") REFERENCES "public"."hearings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expulsion_decisions" ADD CONSTRAINT "expulsion_decisions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_explanations" ADD CONSTRAINT "hearing_explanations_hearing_id_hearings_id_fk" FOREIGN KEY ("hearing_id") REFERENCES "public"."hearings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearings" ADD CONSTRAINT "hearings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_decision_uq" ON "appeals" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "appeals_member_idx" ON "appeals" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "expulsion_decisions_member_idx" ON "expulsion_decisions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "hearing_explanations_hearing_idx" ON "hearing_explanations" USING btree ("hearing_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hearings_member_started_uq" ON "hearings" USING btree ("member_id","started_on");--> statement-breakpoint
CREATE UNIQUE INDEX "hearings_member_running_uq" ON "hearings" USING btree ("member_id") WHERE status in ('open', 'awaiting-decision');