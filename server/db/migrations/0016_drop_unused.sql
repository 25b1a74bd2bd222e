-- Since coverage became incremental (migration 0005), neither the camera set's version
-- (migration 0002) nor the coverage pieces (migration 0004) are read. The version's trigger
-- still wrote app_meta on every statement on the cameras: one hot row for every camera edit.
DROP TRIGGER IF EXISTS cameras_version ON cameras;
--> statement-breakpoint
DROP FUNCTION IF EXISTS bump_cameras_version();
--> statement-breakpoint
DELETE FROM app_meta WHERE key = 'cameras.version';
--> statement-breakpoint
DROP TABLE IF EXISTS coverage_pieces;
