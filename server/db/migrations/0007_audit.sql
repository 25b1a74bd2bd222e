-- The audit trail (MLPS 2.0 level 3 security audit; OWASP ASVS L2 V7): every mutation, denied
-- call, login, logout and failure, one row each. Append-only and tamper-evident.
--
-- Hash chain. Each row stores prev_hash (the hash of the row before it in the chain) and
-- hash = sha256(canonical text of the row). The hash is computed HERE, in the BEFORE INSERT
-- trigger, never by the application: the trigger locks the one-row chain head (audit_chain,
-- SELECT ... FOR UPDATE), takes its hash as prev_hash, computes the new hash and moves the head.
-- The lock is held until the inserting transaction ends, so writers on any number of connections
-- or server instances are serialised and the chain cannot fork. The lock is already taken by a
-- BEFORE INSERT statement-level trigger, which fires before the row's identity value is drawn:
-- ids are therefore handed out in chain order, and the chain order IS the id order (the row
-- trigger refuses an id at or below the head's, so a broken assumption fails loudly).
-- The time is the database's clock_timestamp() taken under the lock, whatever the caller sent.
-- sha256(bytea) is built into PostgreSQL since 11; no pgcrypto (PGlite ships it, but only when
-- loaded into the instance, which the embedded worker does not do).
--
-- Canonical text (v1), identical in server/audit/audit.ts (auditCanonical):
--   'pingan-audit-v1|' || prev_hash || then, for id, at, user_id, username, role, action, object,
--   outcome, ip, detail in that order: '|' || F(value)
--   F(NULL) = '-';  F(v) = <number of UTF-8 bytes of v> || ':' || v     (length-prefixed: no
--   value can imitate a separator or the null marker, whatever it contains)
--   id as decimal; at as to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
--   detail as jsonb::text (jsonb's own normal form: sorted keys, one spacing).
-- hash = lower-case hex of sha256(UTF-8 bytes of the canonical text). The first row's prev_hash
-- is 64 zeros.
--
-- Append-only. PGlite has a single superuser, so privileges cannot do it: triggers refuse
-- UPDATE, DELETE and TRUNCATE of audit_log and audit_chain, with SQLSTATE 42501.
--
-- Retention. Rows older than the retention (default 365 days; never less than 180 days, the
-- six months of the Cybersecurity Law art. 21) are removed only by audit_prune(), which sets a
-- transaction-local setting (audit.prune_before) that the DELETE trigger checks row by row: the
-- row must be older than that cutoff, and the cutoff itself at least 180 days back. Setting it
-- by hand therefore still cannot remove anything recent. audit_prune() removes a PREFIX of the
-- chain (every row below the first one that is still within the retention) and records the
-- hash of the last removed row as the chain's anchor (audit_chain.anchor_id/anchor_hash): the
-- verifier starts from the anchor, so the chain still verifies after pruning, while removing
-- old rows any other way (or the oldest remaining one) no longer matches the anchor. We keep
-- an anchor rather than trusting the oldest remaining row's prev_hash, which would let anyone
-- able to bypass the triggers cut the head of the trail unnoticed. Each prune is itself
-- recorded in the trail ('audit.prune').
--
-- What this does not stop: a superuser who disables the triggers and rewrites the whole chain
-- and its head. Copy the head hash printed by `npm run audit:verify` off the machine from time
-- to time (syslog, ticket, paper): a rewritten chain no longer contains that hash.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  user_id text,
  username text,
  role text,
  action text NOT NULL,
  object text,
  outcome text NOT NULL,
  ip text,
  detail jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('ok', 'denied', 'failed', 'error')),
  CONSTRAINT audit_log_action_check CHECK (
    action ~ '^[a-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$' AND length(action) <= 100
  ),
  CONSTRAINT audit_log_hash_check CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX audit_log_at_idx ON audit_log (at);
--> statement-breakpoint
CREATE INDEX audit_log_user_idx ON audit_log (user_id, id);
--> statement-breakpoint
CREATE INDEX audit_log_username_idx ON audit_log (username, id);
--> statement-breakpoint
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
--> statement-breakpoint
-- The chain's head (newest row) and anchor (newest pruned row; 0 and 64 zeros before any prune).
CREATE TABLE audit_chain (
  id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT audit_chain_one_row CHECK (id = 1),
  head_id bigint NOT NULL DEFAULT 0,
  head_hash text NOT NULL DEFAULT repeat('0', 64),
  anchor_id bigint NOT NULL DEFAULT 0,
  anchor_hash text NOT NULL DEFAULT repeat('0', 64),
  pruned_rows bigint NOT NULL DEFAULT 0
);
--> statement-breakpoint
INSERT INTO audit_chain (id) VALUES (1);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_field(v text) RETURNS text AS $$
  SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(convert_to(v, 'UTF8')) || ':' || v END
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_hash(
  prev_hash text, id bigint, at timestamptz, user_id text, username text, role text,
  action text, object text, outcome text, ip text, detail jsonb
) RETURNS text AS $$
  SELECT encode(sha256(convert_to(
    'pingan-audit-v1|' || prev_hash
    || '|' || audit_field(id::text)
    || '|' || audit_field(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || '|' || audit_field(user_id)
    || '|' || audit_field(username)
    || '|' || audit_field(role)
    || '|' || audit_field(action)
    || '|' || audit_field(object)
    || '|' || audit_field(outcome)
    || '|' || audit_field(ip)
    || '|' || audit_field(detail::text),
  'UTF8')), 'hex')
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- BEFORE INSERT, per statement: take the chain lock before any identity value is drawn.
CREATE OR REPLACE FUNCTION audit_log_lock() RETURNS trigger AS $$
BEGIN
  PERFORM 1 FROM audit_chain WHERE id = 1 FOR UPDATE;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- BEFORE INSERT, per row: chain the row onto the head.
CREATE OR REPLACE FUNCTION audit_log_append() RETURNS trigger AS $$
DECLARE
  head audit_chain%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_chain WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the audit chain has no head row (audit_chain is empty)';
  END IF;
  IF NEW.id <= head.head_id THEN
    RAISE EXCEPTION 'audit row % would be chained after row %: ids must grow along the chain',
      NEW.id, head.head_id;
  END IF;
  NEW.at := clock_timestamp();
  NEW.prev_hash := head.head_hash;
  NEW.hash := audit_hash(NEW.prev_hash, NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.role,
    NEW.action, NEW.object, NEW.outcome, NEW.ip, NEW.detail);
  UPDATE audit_chain SET head_id = NEW.id, head_hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_lock BEFORE INSERT ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_lock();
--> statement-breakpoint
CREATE TRIGGER audit_log_append BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append();
--> statement-breakpoint
-- BEFORE UPDATE/DELETE/TRUNCATE, per statement: refused, except a DELETE run by audit_prune().
CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('audit.prune_before', true), '') <> '' THEN
    RETURN NULL; -- each row is checked by audit_log_check_delete
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
      HINT = 'rows older than the retention are removed only by audit_prune(retention_days)';
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- BEFORE DELETE, per row: only rows older than audit_prune()'s cutoff, itself >= 180 days back.
CREATE OR REPLACE FUNCTION audit_log_check_delete() RETURNS trigger AS $$
DECLARE
  cutoff timestamptz := nullif(current_setting('audit.prune_before', true), '')::timestamptz;
BEGIN
  IF cutoff IS NULL OR cutoff > now() - interval '180 days' OR OLD.at >= cutoff THEN
    RAISE EXCEPTION 'audit_log is append-only: row % is within the retention and cannot be deleted',
      OLD.id
      USING ERRCODE = 'insufficient_privilege',
        HINT = 'rows older than the retention are removed only by audit_prune(retention_days)';
  END IF;
  RETURN OLD;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_refuse BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
--> statement-breakpoint
CREATE TRIGGER audit_log_check_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_check_delete();
--> statement-breakpoint
-- The chain head moves only from the insert trigger (trigger depth > 1) and audit_prune().
CREATE OR REPLACE FUNCTION audit_chain_refuse() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (pg_trigger_depth() > 1
      OR coalesce(current_setting('audit.prune_before', true), '') <> '') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_chain is kept by the audit_log triggers: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_chain_refuse BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION audit_chain_refuse();
--> statement-breakpoint
CREATE TRIGGER audit_chain_refuse_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_refuse();
--> statement-breakpoint
-- Removes the rows older than `retention_days` (at least 180) before `as_of` (default: now; a
-- later moment counts as now, so the retention cannot be shortened that way), moves the anchor
-- to the last removed row and records the prune in the trail. Returns the number of rows removed.
-- SECURITY DEFINER: on a server where the application runs as a role without DELETE on
-- audit_log, this is still the one way to prune.
CREATE OR REPLACE FUNCTION audit_prune(retention_days integer DEFAULT 365,
  as_of timestamptz DEFAULT NULL) RETURNS bigint AS $$
DECLARE
  cutoff timestamptz;
  keep_from bigint;
  last_id bigint;
  last_hash text;
  removed bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 180 THEN
    RAISE EXCEPTION 'the audit retention must be at least 180 days, not %', retention_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  cutoff := least(coalesce(as_of, now()), now()) - make_interval(days => retention_days);
  -- no row is appended while the anchor moves
  PERFORM 1 FROM audit_chain WHERE id = 1 FOR UPDATE;
  SELECT min(id) INTO keep_from FROM audit_log WHERE at >= cutoff;
  SELECT id, hash INTO last_id, last_hash FROM audit_log
    WHERE keep_from IS NULL OR id < keep_from ORDER BY id DESC LIMIT 1;
  IF last_id IS NULL THEN
    RETURN 0;
  END IF;
  -- ISO 8601 in UTC reads back the same under any DateStyle and TimeZone
  PERFORM set_config('audit.prune_before',
    to_char(cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), true);
  DELETE FROM audit_log WHERE id <= last_id;
  GET DIAGNOSTICS removed = ROW_COUNT;
  UPDATE audit_chain SET anchor_id = last_id, anchor_hash = last_hash,
    pruned_rows = pruned_rows + removed WHERE id = 1;
  PERFORM set_config('audit.prune_before', '', true);
  INSERT INTO audit_log (role, action, outcome, detail) VALUES ('system', 'audit.prune', 'ok',
    jsonb_build_object('removed', removed, 'retentionDays', retention_days,
      'before', to_char(cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'anchorId', last_id));
  RETURN removed;
END
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
