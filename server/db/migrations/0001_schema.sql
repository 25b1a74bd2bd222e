CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cameras" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cameras_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"bearing" real NOT NULL,
	"fov" real NOT NULL,
	"range_m" real NOT NULL,
	"status" text NOT NULL,
	"batch" text NOT NULL,
	"installed_at" date NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "cameras_kind_check" CHECK ("cameras"."kind" in ('bullet','dome','checkpoint')),
	CONSTRAINT "cameras_status_check" CHECK ("cameras"."status" in ('online','offline')),
	CONSTRAINT "cameras_bearing_check" CHECK ("cameras"."bearing" >= 0 and "cameras"."bearing" < 360),
	CONSTRAINT "cameras_fov_check" CHECK ("cameras"."fov" > 0 and "cameras"."fov" <= 360),
	CONSTRAINT "cameras_range_check" CHECK ("cameras"."range_m" > 0)
);
--> statement-breakpoint
CREATE TABLE "protection_circles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "protection_circles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"ring" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "protection_circles_ring_unique" UNIQUE("ring"),
	CONSTRAINT "circles_ring_check" CHECK ("protection_circles"."ring" in ('outer','middle','inner'))
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" integer PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"town_id" integer NOT NULL,
	"kind" text NOT NULL,
	"population" integer NOT NULL,
	"synthetic" boolean NOT NULL,
	"geometry_source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "communities_code_unique" UNIQUE("code"),
	CONSTRAINT "communities_kind_check" CHECK ("communities"."kind" in ('village', 'community')),
	CONSTRAINT "communities_population_check" CHECK ("communities"."population" >= 0)
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "disputes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"registered_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"kind" text NOT NULL,
	"risk" text NOT NULL,
	"channel" text NOT NULL,
	"studio" text,
	"community_id" smallint,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "disputes_risk_check" CHECK ("disputes"."risk" in ('red','orange','yellow','blue')),
	CONSTRAINT "disputes_resolved_check" CHECK ("disputes"."resolved_at" is null or "disputes"."resolved_at" >= "disputes"."registered_at")
);
--> statement-breakpoint
CREATE TABLE "district" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"time" timestamp with time zone NOT NULL,
	"category" text NOT NULL,
	"subcategory" text NOT NULL,
	"status" text NOT NULL,
	"community_id" smallint,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "incidents_category_check" CHECK ("incidents"."category" in ('criminal','public_order','traffic','dispute','assistance','fire','report','other')),
	CONSTRAINT "incidents_status_check" CHECK ("incidents"."status" in ('open','dispatched','closed'))
);
--> statement-breakpoint
CREATE TABLE "patrol_units" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "patrol_units_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"geom" geometry(Geometry,4326) NOT NULL,
	CONSTRAINT "patrol_units_kind_check" CHECK ("patrol_units"."kind" in ('post','car','foot','joint_patrol')),
	CONSTRAINT "patrol_units_status_check" CHECK ("patrol_units"."status" in ('available','busy','off_duty'))
);
--> statement-breakpoint
CREATE TABLE "patrol_zones" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "patrol_zones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"shift" text NOT NULL,
	"town_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "patrol_zones_shift_check" CHECK ("patrol_zones"."shift" in ('day','night','all'))
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sites_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"community_id" smallint,
	"geom" geometry(Point,4326) NOT NULL,
	CONSTRAINT "sites_kind_check" CHECK ("sites"."kind" in ('school','hospital','hazchem','gas','government','market','checkpoint'))
);
--> statement-breakpoint
CREATE TABLE "towns" (
	"id" integer PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"geometry_source" text NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	CONSTRAINT "towns_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_zones" ADD CONSTRAINT "patrol_zones_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cameras_geom_idx" ON "cameras" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "circles_geom_idx" ON "protection_circles" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "communities_geom_idx" ON "communities" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "disputes_registered_idx" ON "disputes" USING btree ("registered_at");--> statement-breakpoint
CREATE INDEX "disputes_studio_idx" ON "disputes" USING btree ("studio");--> statement-breakpoint
CREATE INDEX "disputes_geom_idx" ON "disputes" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "district_geom_idx" ON "district" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "incidents_time_idx" ON "incidents" USING btree ("time");--> statement-breakpoint
CREATE INDEX "incidents_geom_idx" ON "incidents" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "incidents_community_time_idx" ON "incidents" USING btree ("community_id","time");--> statement-breakpoint
CREATE INDEX "patrol_units_geom_idx" ON "patrol_units" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "patrol_zones_geom_idx" ON "patrol_zones" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "sites_geom_idx" ON "sites" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "towns_geom_idx" ON "towns" USING gist ("geom");