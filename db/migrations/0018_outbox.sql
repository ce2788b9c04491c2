CREATE TABLE "outbox_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscriber" text NOT NULL,
	"event_id" uuid NOT NULL,
	"position" bigint NOT NULL,
	"member_id" uuid NOT NULL,
	"member_seq" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_status" integer,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"member_id" uuid NOT NULL,
	"member_seq" integer NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb NOT NULL,
	"fanned_out_at" timestamp with time zone,
	CONSTRAINT "outbox_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_deliveries_subscriber_event_uq" ON "outbox_deliveries" USING btree ("subscriber","event_id");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_ready_idx" ON "outbox_deliveries" USING btree ("next_attempt_at") WHERE "outbox_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_deliveries_member_idx" ON "outbox_deliveries" USING btree ("subscriber","member_id","member_seq") WHERE "outbox_deliveries"."status" <> 'delivered';--> statement-breakpoint
CREATE INDEX "outbox_deliveries_dead_idx" ON "outbox_deliveries" USING btree ("subscriber","position") WHERE "outbox_deliveries"."status" = 'dead';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_events_member_seq_uq" ON "outbox_events" USING btree ("member_id","member_seq");--> statement-breakpoint
CREATE INDEX "outbox_events_unfanned_idx" ON "outbox_events" USING btree ("position") WHERE "outbox_events"."fanned_out_at" is null;