-- A live stream sends a removed incident with the source id its cancellation recorded: looked up
-- by the incident, once per removal event a stream reads.
CREATE INDEX IF NOT EXISTS "incident_cancellations_incident_idx" ON "incident_cancellations" USING btree ("incident_id");
