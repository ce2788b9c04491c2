DROP INDEX "persons_last_name_idx";--> statement-breakpoint
DROP INDEX "persons_identity_code_pattern_idx";--> statement-breakpoint
CREATE INDEX "persons_surname_c_idx" ON "persons" USING btree ((lower("last_name") collate "C"),(lower("first_names") collate "C"));--> statement-breakpoint
CREATE INDEX "persons_identity_code_c_idx" ON "persons" USING btree (("identity_code" collate "C"));