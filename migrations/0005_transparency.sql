CREATE TABLE "certificates" (
	"code" text PRIMARY KEY NOT NULL,
	"assessment_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"posting_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolution" text,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"opened_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "revoked_by" uuid;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "revoke_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_assessment_decision_uq" ON "certificates" USING btree ("assessment_id","decision_id");--> statement-breakpoint
CREATE INDEX "certificates_decision_idx" ON "certificates" USING btree ("decision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "objections_one_open_uq" ON "objections" USING btree ("assessment_id","author_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "objections_posting_idx" ON "objections" USING btree ("posting_id","status");--> statement-breakpoint
CREATE INDEX "objections_commune_idx" ON "objections" USING btree ("commune_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "postings_campaign_hamlet_type_uq" ON "postings" USING btree ("campaign_id","hamlet_id","subject_type");