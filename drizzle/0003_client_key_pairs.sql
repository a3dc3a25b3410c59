ALTER TABLE `connections` ADD `client_auth_method` text DEFAULT 'client_secret_basic' NOT NULL;--> statement-breakpoint
ALTER TABLE `connections` ADD `client_public_jwk` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `client_private_key` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `pending_public_jwk` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `pending_private_key` text;--> statement-breakpoint
ALTER TABLE `connections` ADD `pending_key_created_at` integer;