CREATE TABLE "connection_counts" (
	"team_id" text NOT NULL,
	"status" text NOT NULL,
	"attention_code" text DEFAULT '' NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "connection_counts_team_id_status_attention_code_pk" PRIMARY KEY("team_id","status","attention_code")
);
