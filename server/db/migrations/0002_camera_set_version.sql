-- A version of the camera set: any change to the cameras bumps it, so that coverage results
-- cached against one version are never served for another.
INSERT INTO app_meta (key, value) VALUES ('cameras.version', '0') ON CONFLICT (key) DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_cameras_version() RETURNS trigger AS $$
BEGIN
  INSERT INTO app_meta (key, value) VALUES ('cameras.version', '1')
  ON CONFLICT (key) DO UPDATE SET value = (app_meta.value::bigint + 1)::text;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cameras_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cameras
  FOR EACH STATEMENT EXECUTE FUNCTION bump_cameras_version();
