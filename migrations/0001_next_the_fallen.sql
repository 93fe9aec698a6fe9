CREATE TABLE "campaign_denominators" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"registry" jsonb NOT NULL,
	"cdht" jsonb NOT NULL
);
