ALTER TABLE "migration_records" ADD COLUMN "member_id" uuid;
