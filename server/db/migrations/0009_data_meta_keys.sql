-- The description of the stored data moves from the demo's own keys to keys any source writes
-- (server/dataset/status.ts): a database seeded by an earlier version keeps its description.
UPDATE app_meta SET key = 'data.seed' WHERE key = 'demo.seed';
--> statement-breakpoint
UPDATE app_meta SET key = 'data.anchor' WHERE key = 'demo.anchor';
--> statement-breakpoint
UPDATE app_meta SET key = 'data.coverageStart' WHERE key = 'demo.start';
--> statement-breakpoint
UPDATE app_meta SET key = 'data.coverageEnd' WHERE key = 'demo.end';
--> statement-breakpoint
INSERT INTO app_meta (key, value)
SELECT 'data.source', 'demo' WHERE EXISTS (SELECT 1 FROM app_meta WHERE key = 'data.seed')
ON CONFLICT (key) DO NOTHING;
