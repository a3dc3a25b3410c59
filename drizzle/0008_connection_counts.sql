-- connection_counts kept exactly right by triggers on connections (issue 12 §4), then
-- filled from the rows already there. attention_code '' stands for none (NULL).
CREATE TRIGGER `connection_counts_insert` AFTER INSERT ON `connections` BEGIN
  INSERT INTO `connection_counts` (`team_id`, `status`, `attention_code`, `n`)
  VALUES (NEW.`team_id`, NEW.`status`, coalesce(NEW.`attention_code`, ''), 1)
  ON CONFLICT (`team_id`, `status`, `attention_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `connection_counts_delete` AFTER DELETE ON `connections` BEGIN
  INSERT INTO `connection_counts` (`team_id`, `status`, `attention_code`, `n`)
  VALUES (OLD.`team_id`, OLD.`status`, coalesce(OLD.`attention_code`, ''), -1)
  ON CONFLICT (`team_id`, `status`, `attention_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `connection_counts_update` AFTER UPDATE OF `team_id`, `status`, `attention_code` ON `connections`
WHEN OLD.`team_id` IS NOT NEW.`team_id` OR OLD.`status` IS NOT NEW.`status`
  OR OLD.`attention_code` IS NOT NEW.`attention_code`
BEGIN
  INSERT INTO `connection_counts` (`team_id`, `status`, `attention_code`, `n`)
  VALUES (OLD.`team_id`, OLD.`status`, coalesce(OLD.`attention_code`, ''), -1)
  ON CONFLICT (`team_id`, `status`, `attention_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
  INSERT INTO `connection_counts` (`team_id`, `status`, `attention_code`, `n`)
  VALUES (NEW.`team_id`, NEW.`status`, coalesce(NEW.`attention_code`, ''), 1)
  ON CONFLICT (`team_id`, `status`, `attention_code`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
DELETE FROM `connection_counts`;
--> statement-breakpoint
INSERT INTO `connection_counts` (`team_id`, `status`, `attention_code`, `n`)
SELECT `team_id`, `status`, coalesce(`attention_code`, ''), count(*)
FROM `connections` GROUP BY `team_id`, `status`, coalesce(`attention_code`, '');
