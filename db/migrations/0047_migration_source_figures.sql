-- Decision 064: the source side of the reconciliation counted once, when the run is prepared, and kept with the run.
ALTER TABLE "migration_runs" ADD COLUMN "source_figures" jsonb;
