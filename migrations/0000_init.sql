CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"on_behalf_of" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"action" text NOT NULL,
	"text_version" text NOT NULL,
	"text_hash" text NOT NULL,
	"channel" text DEFAULT 'mini_app' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"zalo_id" text,
	"display_name" text NOT NULL,
	"avatar_url" text,
	"phone" text,
	"phone_consent_at" timestamp with time zone,
	"household_id" uuid,
	"person_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"auth_version" text DEFAULT '1' NOT NULL,
	"last_opened_at" timestamp with time zone,
	"notifications_allowed" boolean DEFAULT false NOT NULL,
	"follows_oa" boolean DEFAULT false NOT NULL,
	"dev_login" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"code" text,
	"parent_id" uuid,
	"legacy_parent_id" uuid,
	"path" text NOT NULL,
	"effective_from" date DEFAULT '2000-01-01' NOT NULL,
	"effective_to" date,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid,
	"name" text NOT NULL,
	"head_name" text NOT NULL,
	"head_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"head_name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"member_count" smallint DEFAULT 1 NOT NULL,
	"phone" text,
	"clan_id" uuid,
	"external_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"status" text NOT NULL,
	"summary" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "invites" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"household_id" uuid NOT NULL,
	"issued_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"household_id" uuid,
	"unit_id" uuid,
	"full_name" text NOT NULL,
	"birth_year" smallint,
	"relation" text,
	"in_school" boolean,
	"cdht_group" text,
	"is_worker" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"head_name" text NOT NULL,
	"head_user_id" uuid,
	"staff_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "criteria_sets" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"version" text NOT NULL,
	"title" text NOT NULL,
	"body" jsonb NOT NULL,
	"source" text NOT NULL,
	"owner_unit_id" uuid,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answers" (
	"assessment_id" uuid NOT NULL,
	"layer" text NOT NULL,
	"indicator_code" text NOT NULL,
	"points" double precision,
	"note" text,
	"reason" text,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "answers_assessment_id_layer_indicator_code_pk" PRIMARY KEY("assessment_id","layer","indicator_code")
);
--> statement-breakpoint
CREATE TABLE "assessment_counts" (
	"campaign_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"state" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "assessment_counts_campaign_id_unit_id_subject_type_state_pk" PRIMARY KEY("campaign_id","unit_id","subject_type","state")
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"subject_name" text NOT NULL,
	"commune_id" uuid NOT NULL,
	"hamlet_id" uuid,
	"group_id" uuid,
	"criteria_set_id" text NOT NULL,
	"subject_group" text,
	"state" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"self_total" double precision,
	"verified_total" double precision,
	"commune_total" double precision,
	"verdict" jsonb,
	"submitted_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_id" uuid,
	"certificate_no" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"commune_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"title" text NOT NULL,
	"criteria_set_ids" jsonb NOT NULL,
	"registration_opens_at" timestamp with time zone NOT NULL,
	"self_assessment_due_at" timestamp with time zone NOT NULL,
	"verification_due_at" timestamp with time zone NOT NULL,
	"recognition_due_at" timestamp with time zone NOT NULL,
	"report_due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reopened_until" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assessment_id" uuid NOT NULL,
	"indicator_code" text,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"number" text NOT NULL,
	"decided_on" date NOT NULL,
	"signer" text NOT NULL,
	"signer_title" text DEFAULT 'Chủ tịch UBND xã' NOT NULL,
	"recognised_count" integer NOT NULL,
	"not_recognised_count" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assessment_id" uuid NOT NULL,
	"indicator_code" text NOT NULL,
	"commune_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"image_key" text NOT NULL,
	"thumb_key" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"captured_at" timestamp with time zone,
	"gps_lat" double precision,
	"gps_lon" double precision,
	"phash" bigint NOT NULL,
	"near_duplicates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response_status" smallint,
	"response_body" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"provider_message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "zalo_groups" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zalo_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"refresh_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zalo_webhook_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"event_name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"unit_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"indicator" text NOT NULL,
	"share" double precision NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_unit_id_year_indicator_pk" PRIMARY KEY("unit_id","year","indicator")
);
--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "consents_user_idx" ON "consents" USING btree ("user_id","purpose","at");--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_tokens_hash_uq" ON "refresh_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "role_assignments_user_idx" ON "role_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "role_assignments_unit_idx" ON "role_assignments" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_zalo_id_uq" ON "users" USING btree ("zalo_id");--> statement-breakpoint
CREATE INDEX "users_household_idx" ON "users" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "users_phone_idx" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "admin_units_parent_idx" ON "admin_units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "admin_units_path_idx" ON "admin_units" USING btree ("path");--> statement-breakpoint
CREATE UNIQUE INDEX "clans_commune_name_uq" ON "clans" USING btree ("commune_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "households_commune_key_uq" ON "households" USING btree ("commune_id","external_key");--> statement-breakpoint
CREATE INDEX "households_group_idx" ON "households" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "households_hamlet_idx" ON "households" USING btree ("hamlet_id");--> statement-breakpoint
CREATE INDEX "households_clan_idx" ON "households" USING btree ("clan_id");--> statement-breakpoint
CREATE INDEX "households_phone_idx" ON "households" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "invites_code_uq" ON "invites" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "persons_household_idx" ON "persons" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "persons_unit_idx" ON "persons" USING btree ("unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_commune_name_uq" ON "units" USING btree ("commune_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_subject_uq" ON "assessments" USING btree ("campaign_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "assessments_group_state_idx" ON "assessments" USING btree ("campaign_id","group_id","state");--> statement-breakpoint
CREATE INDEX "assessments_hamlet_idx" ON "assessments" USING btree ("campaign_id","hamlet_id","subject_type");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_commune_year_uq" ON "campaigns" USING btree ("commune_id","year");--> statement-breakpoint
CREATE INDEX "comments_assessment_idx" ON "comments" USING btree ("assessment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_campaign_number_uq" ON "decisions" USING btree ("campaign_id","number");--> statement-breakpoint
CREATE INDEX "evidence_assessment_idx" ON "evidence" USING btree ("assessment_id","indicator_code");--> statement-breakpoint
CREATE INDEX "evidence_commune_sha_idx" ON "evidence" USING btree ("commune_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_dedupe_uq" ON "inbox_messages" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "inbox_user_idx" ON "inbox_messages" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "notification_outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "notification_outbox" USING btree ("status","next_attempt_at");