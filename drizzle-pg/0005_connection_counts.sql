-- connection_counts kept exactly right by a trigger on connections (issue 12 §4), then
-- filled from the rows already there. attention_code '' stands for none (NULL).
-- CREATE TRIGGER locks connections against writers until this migration commits, so the
-- fill below sees every row and no write slips in between.
CREATE FUNCTION connection_counts_add(p_team text, p_status text, p_code text, p_delta integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO connection_counts (team_id, status, attention_code, n)
  VALUES (p_team, p_status, p_code, p_delta)
  ON CONFLICT (team_id, status, attention_code)
  DO UPDATE SET n = connection_counts.n + excluded.n;
$$;
--> statement-breakpoint
-- A transition touches two counter rows, always the lesser key first: two transactions
-- moving connections x→y and y→x at once then wait on each other in turn, not in a cycle.
CREATE FUNCTION connection_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_code text;
  new_code text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM connection_counts_add(NEW.team_id, NEW.status, coalesce(NEW.attention_code, ''), 1);
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM connection_counts_add(OLD.team_id, OLD.status, coalesce(OLD.attention_code, ''), -1);
    RETURN NULL;
  END IF;
  old_code := coalesce(OLD.attention_code, '');
  new_code := coalesce(NEW.attention_code, '');
  IF (OLD.team_id, OLD.status, old_code) = (NEW.team_id, NEW.status, new_code) THEN
    RETURN NULL;
  END IF;
  IF (OLD.team_id, OLD.status, old_code) < (NEW.team_id, NEW.status, new_code) THEN
    PERFORM connection_counts_add(OLD.team_id, OLD.status, old_code, -1);
    PERFORM connection_counts_add(NEW.team_id, NEW.status, new_code, 1);
  ELSE
    PERFORM connection_counts_add(NEW.team_id, NEW.status, new_code, 1);
    PERFORM connection_counts_add(OLD.team_id, OLD.status, old_code, -1);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER connection_counts_insert_delete AFTER INSERT OR DELETE ON connections
FOR EACH ROW EXECUTE FUNCTION connection_counts_track();
--> statement-breakpoint
CREATE TRIGGER connection_counts_update AFTER UPDATE OF team_id, status, attention_code ON connections
FOR EACH ROW EXECUTE FUNCTION connection_counts_track();
--> statement-breakpoint
DELETE FROM connection_counts;
--> statement-breakpoint
INSERT INTO connection_counts (team_id, status, attention_code, n)
SELECT team_id, status, coalesce(attention_code, ''), count(*)
FROM connections GROUP BY team_id, status, coalesce(attention_code, '');
