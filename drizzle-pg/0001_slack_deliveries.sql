CREATE TABLE "slack_deliveries" (
	"delivery_key" text PRIMARY KEY NOT NULL,
	"response" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "slack_deliveries_expires_idx" ON "slack_deliveries" USING btree ("expires_at");