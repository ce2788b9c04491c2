CREATE TABLE "fee_years" (
	"fund_id" text NOT NULL,
	"year" integer NOT NULL,
	"model" text NOT NULL,
	"monthly_cents" integer,
	"yearly_cents" integer,
	"confirmed" boolean NOT NULL,
	"note" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_years_amount" CHECK (("fee_years"."model" = 'per-month' and "fee_years"."monthly_cents" >= 0 and "fee_years"."yearly_cents" is null) or ("fee_years"."model" = 'per-year-by-month' and "fee_years"."yearly_cents" >= 0 and "fee_years"."monthly_cents" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "fee_years_pk" ON "fee_years" USING btree ("fund_id","year");