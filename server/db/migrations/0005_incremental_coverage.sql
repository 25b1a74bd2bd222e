-- Incremental camera coverage (custom migration: drizzle-kit generate --custom; its snapshot is
-- 0004's). community_coverage and coverage_changes are derived tables like camera_sectors, written
-- only by the triggers below and by server/services/coverage.ts. They are not (yet) declared in
-- server/db/schema.ts, so drizzle-kit neither creates nor drops them; declare them there (same
-- names and constraints) together with a snapshot that has them, never with a second CREATE.
CREATE TABLE "community_coverage" (
	"variant" text NOT NULL,
	"community_id" integer NOT NULL,
	"as_of" bigint NOT NULL,
	"area_m2" double precision NOT NULL,
	"covered_m2" double precision NOT NULL,
	CONSTRAINT "community_coverage_variant_community_id_pk" PRIMARY KEY("variant","community_id")
);
--> statement-breakpoint
CREATE TABLE "coverage_changes" (
	"community_id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "community_coverage" ADD CONSTRAINT "community_coverage_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverage_changes" ADD CONSTRAINT "coverage_changes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Everything below keeps camera coverage up to date incrementally, inside the writers' own
-- transactions: camera_sectors row by row, and for each community the last version of the
-- coverage inputs that changed its coverage (coverage_changes). community_coverage holds the
-- computed figures, each as of a version; server/services/coverage.ts recomputes, when read, only
-- the communities changed since.
--
-- app_meta 'coverage.version' is the version of the coverage inputs (the cameras and the
-- communities). Each change bumps it in the writer's transaction and keeps the row locked until
-- commit, so writers take their turns and the versions follow the commit order: a snapshot that
-- shows version v holds every change tagged ≤ v and none tagged > v.
INSERT INTO app_meta (key, value) VALUES ('coverage.version', '0') ON CONFLICT (key) DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION coverage_bump() RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO app_meta (key, value) VALUES ('coverage.version', '1')
  ON CONFLICT (key) DO UPDATE SET value = (app_meta.value::bigint + 1)::text
  RETURNING value::bigint
$$;
--> statement-breakpoint
-- Marks the communities that any of these sectors (old or new) intersects as changed at version v.
CREATE FUNCTION coverage_touch(sectors geometry[], v bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO coverage_changes (community_id, version)
  SELECT DISTINCT cm.id, v FROM communities cm, unnest(sectors) s(geom) WHERE ST_Intersects(cm.geom, s.geom)
  ON CONFLICT (community_id) DO UPDATE SET version = greatest(coverage_changes.version, excluded.version)
$$;
--> statement-breakpoint
-- A camera's sector (bearing, field of view, range; domes a full circle), built geodesically with
-- ST_Project: arc vertices every ≤ 5° (an even number, at least 4, as geo/cameraSector draws them),
-- domes as 64-vertex circles.
CREATE FUNCTION camera_sector(pos geometry, bearing real, fov real, range_m real) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN fov >= 360 THEN
      (SELECT ST_MakePolygon(ST_AddPoint(ring, ST_StartPoint(ring))) FROM (
        SELECT ST_MakeLine(ARRAY(
          SELECT ST_Project(g, range_m, radians(bearing + 360.0 * k / 64))::geometry
          FROM generate_series(0, 63) k ORDER BY k)) AS ring) dome)
    ELSE
      ST_MakePolygon(ST_MakeLine(pos || ARRAY(
        SELECT ST_Project(g, range_m, radians(bearing - fov / 2 + fov * k / n.steps))::geometry
        FROM (SELECT greatest(4, 2 * ceil(fov / 10.0))::int AS steps) n,
             generate_series(0, n.steps) k ORDER BY k) || pos))
    END
  FROM (SELECT pos::geography AS g) p
$$;
--> statement-breakpoint
CREATE FUNCTION cameras_coverage_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
  made geometry[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  v := coverage_bump();
  WITH ins AS (
    INSERT INTO camera_sectors (camera_id, batch, geom)
    SELECT id, batch, camera_sector(geom, bearing, fov, range_m) FROM new_rows WHERE status = 'online'
    ON CONFLICT (camera_id) DO UPDATE SET batch = excluded.batch, geom = excluded.geom
    RETURNING geom)
  SELECT array_agg(geom) INTO made FROM ins;
  PERFORM coverage_touch(made, v);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only cameras whose position, heading, field of view, range, status or batch changed get a new
-- sector; the communities under the old and the new one are marked changed.
CREATE FUNCTION cameras_coverage_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
  changed integer[];
  gone geometry[];
  made geometry[];
BEGIN
  SELECT array_agg(coalesce(n.id, o.id)) INTO changed
  FROM new_rows n FULL JOIN old_rows o ON o.id = n.id
  WHERE (n.geom::bytea, n.bearing, n.fov, n.range_m, n.status, n.batch)
        IS DISTINCT FROM (o.geom::bytea, o.bearing, o.fov, o.range_m, o.status, o.batch);
  IF changed IS NULL THEN RETURN NULL; END IF;
  v := coverage_bump();
  WITH del AS (
    DELETE FROM camera_sectors s USING unnest(changed) c(id) WHERE s.camera_id = c.id
    RETURNING s.geom)
  SELECT array_agg(geom) INTO gone FROM del;
  WITH ins AS (
    INSERT INTO camera_sectors (camera_id, batch, geom)
    SELECT n.id, n.batch, camera_sector(n.geom, n.bearing, n.fov, n.range_m)
    FROM new_rows n JOIN unnest(changed) c(id) ON c.id = n.id
    WHERE n.status = 'online'
    ON CONFLICT (camera_id) DO UPDATE SET batch = excluded.batch, geom = excluded.geom
    RETURNING geom)
  SELECT array_agg(geom) INTO made FROM ins;
  PERFORM coverage_touch(gone || made, v);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The sectors of deleted cameras go with them (the foreign key cascades); the communities under
-- them are found from the deleted rows.
CREATE FUNCTION cameras_coverage_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
  gone geometry[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  v := coverage_bump();
  DELETE FROM camera_sectors s USING old_rows o WHERE s.camera_id = o.id;
  SELECT array_agg(camera_sector(geom, bearing, fov, range_m)) INTO gone
  FROM old_rows WHERE status = 'online';
  PERFORM coverage_touch(gone, v);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- TRUNCATE cameras must cascade to camera_sectors; every community's coverage changes.
CREATE FUNCTION cameras_coverage_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  v := coverage_bump();
  DELETE FROM camera_sectors;
  INSERT INTO coverage_changes (community_id, version) SELECT id, v FROM communities
  ON CONFLICT (community_id) DO UPDATE SET version = greatest(coverage_changes.version, excluded.version);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Communities: any change moves the version on (names are part of the results); a changed
-- boundary marks the community changed. New communities have no figures yet, and deleted ones
-- take theirs along (the foreign keys cascade).
CREATE FUNCTION communities_coverage_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  v := coverage_bump();
  INSERT INTO coverage_changes (community_id, version)
  SELECT n.id, v FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
  WHERE o.id IS NULL OR n.geom::bytea IS DISTINCT FROM o.geom::bytea
  ON CONFLICT (community_id) DO UPDATE SET version = greatest(coverage_changes.version, excluded.version);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION coverage_bump_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM coverage_bump();
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Named to fire before cameras_version (triggers fire in name order), so that every writer locks
-- the two version rows in the same order.
CREATE TRIGGER cameras_coverage_insert AFTER INSERT ON cameras
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cameras_coverage_insert();
--> statement-breakpoint
CREATE TRIGGER cameras_coverage_update AFTER UPDATE ON cameras
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cameras_coverage_update();
--> statement-breakpoint
CREATE TRIGGER cameras_coverage_delete AFTER DELETE ON cameras
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cameras_coverage_delete();
--> statement-breakpoint
CREATE TRIGGER cameras_coverage_truncate AFTER TRUNCATE ON cameras
  FOR EACH STATEMENT EXECUTE FUNCTION cameras_coverage_truncate();
--> statement-breakpoint
CREATE TRIGGER communities_coverage_update AFTER UPDATE ON communities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION communities_coverage_update();
--> statement-breakpoint
CREATE TRIGGER communities_coverage_version AFTER INSERT OR DELETE OR TRUNCATE ON communities
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_bump_trigger();
--> statement-breakpoint
-- Bring the sectors of an existing database up to date; the pieces of the old whole-union scheme
-- and its version are no longer used.
DELETE FROM camera_sectors;
--> statement-breakpoint
INSERT INTO camera_sectors (camera_id, batch, geom)
SELECT id, batch, camera_sector(geom, bearing, fov, range_m) FROM cameras WHERE status = 'online';
--> statement-breakpoint
DELETE FROM coverage_pieces;
--> statement-breakpoint
DELETE FROM app_meta WHERE key = 'sectors.version';
