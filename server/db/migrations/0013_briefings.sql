-- Leaders' briefings (map stories): an ordered list of slides kept as one JSON array (each slide
-- a saved view of the desk, its title, speaker notes, drawings and period comparison; validated
-- by the server before it is stored). An owner, and a version each save bumps: a save naming an
-- older version is refused as a conflict, so nothing saved is overwritten unseen.
CREATE TABLE "briefings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "briefings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"owner_id" text NOT NULL,
	"slides" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "briefings_slides_check" CHECK (jsonb_typeof("briefings"."slides") = 'array')
);
--> statement-breakpoint
-- accounts are disabled, never deleted: a briefing keeps its owner
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "briefings_owner_idx" ON "briefings" USING btree ("owner_id");
