-- Incidents partitioned by month (Asia/Shanghai calendar months, UTC+8 all year) on their time,
-- so that a window's queries read the window's months only. The server creates the partitions
-- ahead (incident_partitions_ensure, called by every write path before it writes); there is no
-- DEFAULT partition: a row of a month without its partition is refused, never parked where a
-- later partition of that month could not be created.
--
-- A unique key of a partitioned table must hold the partition key, so a call's (source,
-- source_id) is kept unique in incident_keys, which the write paths maintain with the incident:
-- a corrected call whose time moves to another month is the same incident (same id).
--
-- The existing table is converted with its rows: renamed, the new one created, partitions made
-- for the months present, rows moved (ids kept), the identity sequence kept where it was.
ALTER TABLE "incidents" RENAME TO "incidents_old";
--> statement-breakpoint
ALTER TABLE "incidents_old" DROP CONSTRAINT "incidents_community_id_communities_id_fk";
--> statement-breakpoint
ALTER TABLE "incidents_old" DROP CONSTRAINT "incidents_category_check";
--> statement-breakpoint
ALTER TABLE "incidents_old" DROP CONSTRAINT "incidents_status_check";
--> statement-breakpoint
ALTER TABLE "incidents_old" DROP CONSTRAINT "incidents_pkey";
--> statement-breakpoint
DROP INDEX "incidents_time_idx";
--> statement-breakpoint
DROP INDEX "incidents_geom_idx";
--> statement-breakpoint
DROP INDEX "incidents_community_time_idx";
--> statement-breakpoint
DROP INDEX "incidents_source_idx";
--> statement-breakpoint
ALTER SEQUENCE "incidents_id_seq" RENAME TO "incidents_old_id_seq";
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" integer GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"time" timestamp with time zone NOT NULL,
	"category" text NOT NULL,
	"subcategory" text NOT NULL,
	"status" text NOT NULL,
	"community_id" smallint,
	"geom" geometry(Point,4326) NOT NULL,
	"source" text,
	"source_id" text,
	"address" text,
	"linked_source_id" text,
	"outside" boolean DEFAULT false NOT NULL,
	CONSTRAINT "incidents_id_time_pk" PRIMARY KEY("id","time"),
	CONSTRAINT "incidents_category_check" CHECK ("incidents"."category" in ('criminal','public_order','traffic','dispute','assistance','fire','report','other')),
	CONSTRAINT "incidents_status_check" CHECK ("incidents"."status" in ('open','dispatched','on_scene','closed'))
) PARTITION BY RANGE ("time");
--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "incidents_time_idx" ON "incidents" USING brin ("time");
--> statement-breakpoint
CREATE INDEX "incidents_geom_idx" ON "incidents" USING gist ("geom");
--> statement-breakpoint
CREATE INDEX "incidents_community_time_idx" ON "incidents" USING btree ("community_id","time");
--> statement-breakpoint
-- A call's key, unique per source, to its incident (and the incident's time: its partition).
CREATE TABLE "incident_keys" (
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"incident_id" integer NOT NULL,
	"time" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_keys_pk" PRIMARY KEY("source","source_id")
);
--> statement-breakpoint
-- The name of the partition of the month (Asia/Shanghai) that holds `t`, and its bounds.
CREATE FUNCTION incident_partition_of(t timestamptz, OUT name text, OUT lo timestamptz, OUT hi timestamptz)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'incidents_p' || to_char(m, 'YYYY_MM'),
         m AT TIME ZONE INTERVAL '+08:00',
         (m + INTERVAL '1 month') AT TIME ZONE INTERVAL '+08:00'
  FROM (SELECT date_trunc('month', t AT TIME ZONE INTERVAL '+08:00') AS m) x
$$;
--> statement-breakpoint
-- Creates the missing partitions of the months from `t0` to `t1` (both included); returns how
-- many it created. Partitions that exist cost a catalogue look-up each and take no lock; a
-- partition is created under an advisory lock (held to the end of the caller's transaction), so
-- that two writers cannot both create it. At most 240 months (20 years) a call.
CREATE FUNCTION incident_partitions_ensure(t0 timestamptz, t1 timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  p record;
  t timestamptz := t0;
  made integer := 0;
  n integer := 0;
BEGIN
  IF t0 IS NULL OR t1 IS NULL OR t1 < t0 THEN RETURN 0; END IF;
  LOOP
    SELECT * INTO p FROM incident_partition_of(t);
    EXIT WHEN p.lo > t1;
    n := n + 1;
    IF n > 240 THEN
      RAISE EXCEPTION 'incident partitions: more than 240 months asked at once' USING ERRCODE = '22023';
    END IF;
    IF to_regclass(p.name) IS NULL THEN
      -- another session may be making the same month: it holds this lock until it commits, and
      -- what it made may not be seen by the look-up above yet, so its name is taken as made
      PERFORM pg_advisory_xact_lock(7263107);
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF incidents FOR VALUES FROM (%L) TO (%L)',
                       p.name, p.lo, p.hi);
        made := made + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL;
      END;
    END IF;
    t := p.hi;
  END LOOP;
  RETURN made;
END
$$;
--> statement-breakpoint
-- The first and last incident's time: read from the first and last partitions holding any rows
-- (a month's rows at most), not from every row (time has a BRIN index, which keeps no order).
CREATE FUNCTION incidents_time_span(OUT first timestamptz, OUT last timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  part text;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
    WHERE h.inhparent = 'incidents'::regclass ORDER BY c.relname
  LOOP
    EXECUTE format('SELECT min(time) FROM %I', part) INTO first;
    EXIT WHEN first IS NOT NULL;
  END LOOP;
  IF first IS NULL THEN RETURN; END IF;
  FOR part IN
    SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
    WHERE h.inhparent = 'incidents'::regclass ORDER BY c.relname DESC
  LOOP
    EXECUTE format('SELECT max(time) FROM %I', part) INTO last;
    EXIT WHEN last IS NOT NULL;
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT incident_partitions_ensure(min(time), max(time)) FROM "incidents_old";
--> statement-breakpoint
INSERT INTO "incidents" ("id", "time", "category", "subcategory", "status", "community_id", "geom",
                         "source", "source_id", "address", "linked_source_id", "outside")
OVERRIDING SYSTEM VALUE
SELECT "id", "time", "category", "subcategory", "status", "community_id", "geom",
       "source", "source_id", "address", "linked_source_id", "outside"
FROM "incidents_old" ORDER BY "time";
--> statement-breakpoint
INSERT INTO "incident_keys" ("source", "source_id", "incident_id", "time")
SELECT "source", "source_id", "id", "time" FROM "incidents_old"
WHERE "source" IS NOT NULL AND "source_id" IS NOT NULL;
--> statement-breakpoint
SELECT setval('incidents_id_seq', s.last_value, s.is_called) FROM "incidents_old_id_seq" s;
--> statement-breakpoint
DROP TABLE "incidents_old";
