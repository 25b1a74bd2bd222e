-- Incidents from a feed (a 110 dispatch system): the source's own id, keyed per source, the
-- call's address, the call it repeats, and a flag for positions outside the district (stored,
-- counted apart). A call on its way gets the status on_scene.
ALTER TABLE "incidents" ADD COLUMN "source" text;
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "source_id" text;
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "address" text;
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "linked_source_id" text;
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "outside" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_source_idx" ON "incidents" USING btree ("source", "source_id") WHERE "source_id" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "incidents" DROP CONSTRAINT "incidents_status_check";
--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_status_check" CHECK ("incidents"."status" in ('open','dispatched','on_scene','closed'));
--> statement-breakpoint
-- A cancelled call leaves the incidents; this keeps its id (none when it was never stored), so that the cancellation sent again
-- (or any later record of the call) changes nothing.
CREATE TABLE "incident_cancellations" (
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"incident_id" integer,
	"cancelled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_cancellations_pk" PRIMARY KEY("source","source_id")
);
--> statement-breakpoint
-- Every change of an incident, in order: the event id is what a live stream resumes from.
CREATE TABLE "incident_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incident_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" integer NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_events_action_check" CHECK ("incident_events"."action" in ('created','updated','removed'))
);
--> statement-breakpoint
-- An integration account's API tokens (sha256 of the token; the token itself is shown once).
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('admin','leader','planner','analyst','display','integration'));
