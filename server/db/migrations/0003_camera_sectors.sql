CREATE TABLE "camera_sectors" (
	"camera_id" integer PRIMARY KEY NOT NULL,
	"batch" text NOT NULL,
	"geom" geometry(Geometry,4326) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "camera_sectors" ADD CONSTRAINT "camera_sectors_camera_id_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."cameras"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "camera_sectors_geom_idx" ON "camera_sectors" USING gist ("geom");