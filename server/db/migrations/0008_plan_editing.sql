-- Patrol planning: posts get optimistic versions like zones, and every saved change of a zone
-- or a post is kept in plan_history (the object as it was after the change), which serves
-- three purposes: a zone's or a post's history and the restoring of an old version; the live
-- updates other clients receive (the history id is the event id a reconnecting client resumes
-- from); and the figures before and after in the audit trail.
--
-- Event ids must be handed out in commit order, or a client that has seen id 11 would never
-- be sent a 10 committed later: the trigger takes a transaction-level advisory lock before it
-- draws an id, so writers of plan changes are serialised from that point to their commit.
ALTER TABLE patrol_units
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_by text NOT NULL DEFAULT 'system';
--> statement-breakpoint
-- A display's layers (JSON array of layer ids); NULL = every layer its role may read.
ALTER TABLE users ADD COLUMN layers text;
--> statement-breakpoint
CREATE TABLE plan_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  object_id integer NOT NULL,
  version integer NOT NULL,
  action text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  by text NOT NULL,
  name text NOT NULL,
  unit text,
  shift text,
  status text,
  geom geometry(Geometry, 4326) NOT NULL,
  CONSTRAINT plan_history_kind_check CHECK (kind IN ('zone', 'post')),
  CONSTRAINT plan_history_action_check CHECK (action IN ('create', 'update', 'delete', 'restore'))
);
--> statement-breakpoint
CREATE INDEX plan_history_object_idx ON plan_history (kind, object_id, version);
--> statement-breakpoint
-- The acting user and the kind of change come from transaction-local settings the service sets
-- (pingan.user, pingan.plan_action = 'restore'); without them, the row's updated_by and the
-- statement's kind. Cars and foot patrols move all day and are not planned: posts only.
CREATE FUNCTION plan_history_record() RETURNS trigger AS $$
DECLARE
  j jsonb;
  k text := CASE TG_TABLE_NAME WHEN 'patrol_zones' THEN 'zone' ELSE 'post' END;
  act text;
  ver integer;
BEGIN
  IF TG_OP = 'DELETE' THEN
    j := to_jsonb(OLD);
    act := 'delete';
    ver := (j->>'version')::int + 1;
  ELSE
    j := to_jsonb(NEW);
    act := CASE WHEN coalesce(current_setting('pingan.plan_action', true), '') = 'restore'
      THEN 'restore' WHEN TG_OP = 'INSERT' THEN 'create' ELSE 'update' END;
    ver := (j->>'version')::int;
  END IF;
  IF k = 'post' AND j->>'kind' <> 'post' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(72630008);
  INSERT INTO plan_history (kind, object_id, version, action, by, name, unit, shift, status, geom)
  VALUES (k, (j->>'id')::int, ver, act,
    coalesce(nullif(current_setting('pingan.user', true), ''), j->>'updated_by'),
    j->>'name', j->>'unit', j->>'shift', j->>'status',
    CASE WHEN TG_OP = 'DELETE' THEN OLD.geom ELSE NEW.geom END);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER patrol_zones_history AFTER INSERT OR UPDATE OR DELETE ON patrol_zones
  FOR EACH ROW EXECUTE FUNCTION plan_history_record();
--> statement-breakpoint
CREATE TRIGGER patrol_units_history AFTER INSERT OR UPDATE OR DELETE ON patrol_units
  FOR EACH ROW EXECUTE FUNCTION plan_history_record();
--> statement-breakpoint
-- what was there before this migration is where each history starts
INSERT INTO plan_history (kind, object_id, version, action, at, by, name, unit, shift, geom)
  SELECT 'zone', id, version, 'create', updated_at, updated_by, name, unit, shift, geom FROM patrol_zones;
--> statement-breakpoint
INSERT INTO plan_history (kind, object_id, version, action, at, by, name, status, geom)
  SELECT 'post', id, version, 'create', updated_at, updated_by, name, status, geom
  FROM patrol_units WHERE kind = 'post';
--> statement-breakpoint
-- no longer read since coverage is kept incrementally (0005)
DROP TRIGGER IF EXISTS cameras_version ON cameras;
--> statement-breakpoint
DROP FUNCTION IF EXISTS bump_cameras_version();
--> statement-breakpoint
DELETE FROM app_meta WHERE key = 'cameras.version';
--> statement-breakpoint
DROP TABLE IF EXISTS coverage_pieces;
