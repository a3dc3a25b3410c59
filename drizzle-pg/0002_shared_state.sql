CREATE TABLE "home_viewers" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"page" integer NOT NULL,
	"seen_at" bigint NOT NULL,
	CONSTRAINT "home_viewers_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "org_rate_claims" (
	"id" text PRIMARY KEY NOT NULL,
	"org" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_rate_windows" (
	"org" text PRIMARY KEY NOT NULL,
	"request_limit" integer,
	"remaining" integer,
	"reset_at" bigint,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "home_viewers_seen_idx" ON "home_viewers" USING btree ("seen_at");--> statement-breakpoint
CREATE INDEX "org_rate_claims_org_idx" ON "org_rate_claims" USING btree ("org","expires_at");