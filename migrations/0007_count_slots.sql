ALTER TABLE "assessment_counts" DROP CONSTRAINT "assessment_counts_campaign_id_unit_id_subject_type_state_pk";--> statement-breakpoint
ALTER TABLE "assessment_counts" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_counts" ADD CONSTRAINT "assessment_counts_campaign_id_unit_id_subject_type_state_slot_pk" PRIMARY KEY("campaign_id","unit_id","subject_type","state","slot");
