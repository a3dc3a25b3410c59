CREATE TABLE `home_viewers` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`page` integer NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `home_viewers_seen_idx` ON `home_viewers` (`seen_at`);--> statement-breakpoint
CREATE TABLE `org_rate_claims` (
	`id` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `org_rate_claims_org_idx` ON `org_rate_claims` (`org`,`expires_at`);--> statement-breakpoint
CREATE TABLE `org_rate_windows` (
	`org` text PRIMARY KEY NOT NULL,
	`request_limit` integer,
	`remaining` integer,
	`reset_at` integer,
	`updated_at` integer NOT NULL
);
