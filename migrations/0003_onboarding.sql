ALTER TABLE "imports" ALTER COLUMN "commune_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ALTER COLUMN "household_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "admin_units" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "clans" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "kind" text DEFAULT 'households' NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "external_key" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "users_person_uq" ON "users" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "admin_units_merged_into_idx" ON "admin_units" USING btree ("merged_into_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_units_live_code_uq" ON "admin_units" USING btree ("level","code") WHERE "admin_units"."code" is not null and "admin_units"."effective_to" is null;--> statement-breakpoint
CREATE INDEX "persons_phone_idx" ON "persons" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_commune_key_uq" ON "persons" USING btree ("commune_id","external_key");