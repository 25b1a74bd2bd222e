CREATE TABLE "coverage_pieces" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coverage_pieces_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"variant" text NOT NULL,
	"version" text NOT NULL,
	"geom" geometry(Geometry,4326) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "coverage_pieces_geom_idx" ON "coverage_pieces" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "coverage_pieces_variant_idx" ON "coverage_pieces" USING btree ("variant","version");