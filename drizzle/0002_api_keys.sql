CREATE TABLE `api_key_connections` (
	`key_id` text NOT NULL,
	`connection_id` text NOT NULL,
	PRIMARY KEY(`key_id`, `connection_id`),
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `api_key_connections_connection_idx` ON `api_key_connections` (`connection_id`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`all_connections` integer DEFAULT false NOT NULL,
	`actions` text DEFAULT '[]' NOT NULL,
	`key_hash` text,
	`link_token_hash` text NOT NULL,
	`link_expires_at` integer NOT NULL,
	`revealed_at` integer,
	`expires_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`last_used_ip` text,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_link_token_hash_unique` ON `api_keys` (`link_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_team_name_unique` ON `api_keys` (`team_id`,`name_key`) WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX `api_keys_team_idx` ON `api_keys` (`team_id`,`created_at`);