ALTER TABLE "evidence" ALTER COLUMN "bytes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ALTER COLUMN "width" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ALTER COLUMN "height" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ALTER COLUMN "phash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "state" text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "original_key" text;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "mime" text;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "has_location" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "phash_b0" integer;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "phash_b1" integer;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "phash_b2" integer;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "phash_b3" integer;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "attempts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "lease_token" uuid;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "processed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "evidence_queue_idx" ON "evidence" USING btree ("created_at") WHERE state = 'processing' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "evidence_phash_b0_idx" ON "evidence" USING btree ("commune_id","phash_b0") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "evidence_phash_b1_idx" ON "evidence" USING btree ("commune_id","phash_b1") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "evidence_phash_b2_idx" ON "evidence" USING btree ("commune_id","phash_b2") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "evidence_phash_b3_idx" ON "evidence" USING btree ("commune_id","phash_b3") WHERE deleted_at is null;--> statement-breakpoint
ALTER TABLE "evidence" DROP COLUMN "gps_lat";--> statement-breakpoint
ALTER TABLE "evidence" DROP COLUMN "gps_lon";