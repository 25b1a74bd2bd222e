-- Imports of an agency's own data. A camera of the ledger of a video platform (GB/T 28181) is
-- known by its 20-digit device id and its name; a re-import matches cameras by that id.
ALTER TABLE "cameras" ADD COLUMN "code" text;
--> statement-breakpoint
ALTER TABLE "cameras" ADD COLUMN "name" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "cameras_code_idx" ON "cameras" USING btree ("code") WHERE "code" IS NOT NULL;
--> statement-breakpoint
-- How a source's files map onto our fields, saved by name for the next import of that source.
CREATE TABLE "import_mappings" (
	"name" text PRIMARY KEY NOT NULL,
	"layer" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"crs" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
