-- Rate-limit counts shared by every instance on one server database, a row per key (a sign-in
-- address, a user, an address without a session): the start of its one-minute window (epoch ms;
-- a window starts at the key's first request after the last one ended) and its count.
-- Unlogged: a count is worth nothing after a crash, and its writes need no WAL.
CREATE UNLOGGED TABLE IF NOT EXISTS "rate_counts" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL
);
