CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`connection_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_events_team_idx` ON `audit_events` (`team_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_connection_idx` ON `audit_events` (`connection_id`,`id`);--> statement-breakpoint
CREATE TABLE `auth_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text NOT NULL,
	`team_id` text NOT NULL,
	`purpose` text NOT NULL,
	`scope_mode` text DEFAULT 'default' NOT NULL,
	`connection_version` integer,
	`link_token_hash` text NOT NULL,
	`link_used_at` integer,
	`state_hash` text,
	`browser_binding_hash` text,
	`pkce_verifier` text,
	`nonce` text,
	`client_secret` text,
	`requested_scopes` text DEFAULT '[]' NOT NULL,
	`slack_user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`outcome` text,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auth_requests_link_token_hash_unique` ON `auth_requests` (`link_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `auth_requests_state_hash_unique` ON `auth_requests` (`state_hash`);--> statement-breakpoint
CREATE INDEX `auth_requests_expires_idx` ON `auth_requests` (`expires_at`);--> statement-breakpoint
CREATE INDEX `auth_requests_connection_idx` ON `auth_requests` (`connection_id`);--> statement-breakpoint
CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`nickname` text NOT NULL,
	`nickname_key` text NOT NULL,
	`org_kind` text NOT NULL,
	`domain` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret` text,
	`scope_mode` text NOT NULL,
	`requested_scopes` text DEFAULT '[]' NOT NULL,
	`granted_scopes` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`status_code` text,
	`status_text` text,
	`attention_code` text,
	`attention_text` text,
	`attention_scope` text,
	`access_token` text,
	`refresh_token` text,
	`access_expires_at` integer,
	`last_checked_at` integer,
	`last_refreshed_at` integer,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_error_at` integer,
	`failing_since` integer,
	`authorized_sub` text,
	`authorized_login` text,
	`authorized_by` text,
	`authorized_at` integer,
	`created_by` text NOT NULL,
	`notify_channel` text,
	`notify_message_channel` text,
	`notify_message_ts` text,
	`incident_key` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_team_nickname_unique` ON `connections` (`team_id`,`nickname_key`) WHERE status != 'deleted';--> statement-breakpoint
CREATE INDEX `connections_team_status_idx` ON `connections` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `connections_status_expires_idx` ON `connections` (`status`,`access_expires_at`);--> statement-breakpoint
CREATE INDEX `connections_status_checked_idx` ON `connections` (`status`,`last_checked_at`);