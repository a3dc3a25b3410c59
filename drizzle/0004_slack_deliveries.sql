CREATE TABLE `slack_deliveries` (
	`delivery_key` text PRIMARY KEY NOT NULL,
	`response` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slack_deliveries_expires_idx` ON `slack_deliveries` (`expires_at`);