ALTER TABLE "evidence" ADD COLUMN "reused_from_evidence_id" uuid;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "reused_from_year" smallint;--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_reused_uq" ON "evidence" USING btree ("assessment_id","reused_from_evidence_id") WHERE reused_from_evidence_id is not null and deleted_at is null;