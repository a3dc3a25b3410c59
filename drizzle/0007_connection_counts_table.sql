CREATE TABLE `connection_counts` (
	`team_id` text NOT NULL,
	`status` text NOT NULL,
	`attention_code` text DEFAULT '' NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`team_id`, `status`, `attention_code`)
);
