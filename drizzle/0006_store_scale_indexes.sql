DROP INDEX `connections_team_status_idx`;--> statement-breakpoint
CREATE INDEX `connections_team_status_attention_idx` ON `connections` (`team_id`,`status`,`attention_code`);--> statement-breakpoint
CREATE INDEX `connections_home_order_idx` ON `connections` (`team_id`,(CASE
  WHEN "status" = 'needs_reauth' THEN 0
  WHEN "status" = 'active' AND "attention_code" IS NOT NULL THEN 1
  WHEN "status" = 'pending' THEN 3
  WHEN "status" = 'active' THEN 4
  ELSE 2 END),`nickname_key`,`id`,`status`,`attention_code`) WHERE status != 'deleted';