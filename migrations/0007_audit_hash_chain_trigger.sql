-- The audit log as a hash chain. Every row stores the previous row's hash and the SHA-256 of its own fields with
-- it, so rewriting, removing or reordering a row (by anyone able to bypass the append-only trigger) breaks the
-- chain from that row on; `npm run audit:verify` recomputes it. The insert trigger, not the app, writes the
-- chain: it locks the one-row head, so concurrent inserts are serialised into one chain (seq 1, 2, 3, …), and
-- it runs as its owner (SECURITY DEFINER), so the app's role needs no rights on the head at all.
CREATE TABLE "audit_chain_head" (
  "id" integer PRIMARY KEY CHECK ("id" = 1),
  "seq" bigint NOT NULL,
  "hash" text NOT NULL
);
--> statement-breakpoint
-- One field of the hashed text: its length in bytes, then the value ("-" for NULL), so no two rows' fields
-- can run together into the same text. src/server/admin/audit-chain.ts computes the same in TypeScript.
CREATE OR REPLACE FUNCTION audit_chain_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_hash(p_seq bigint, p_prev text, r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(
    audit_chain_field(p_seq::text) || audit_chain_field(p_prev) || audit_chain_field(r.actor_id::text) ||
    audit_chain_field(r.actor_label) || audit_chain_field(r.action) || audit_chain_field(r.subject_type) ||
    audit_chain_field(r.subject_id) || audit_chain_field(r.before::text) || audit_chain_field(r.after::text) ||
    audit_chain_field(((extract(epoch from r.created_at) * 1000000)::bigint)::text),
  'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  -- The row lock is held until commit: the next insert waits, then links to this row.
  SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_chain_head is missing: the audit chain cannot be extended';
  END IF;
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.hash := audit_chain_hash(NEW.seq, NEW.prev_hash, NEW);
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Rows written before this migration join the chain in id order.
INSERT INTO audit_chain_head ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64));
--> statement-breakpoint
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  s bigint := 0;
  h text := repeat('0', 64);
  nh text;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    s := s + 1;
    nh := audit_chain_hash(s, h, r);
    UPDATE audit_log SET seq = s, prev_hash = h, hash = nh WHERE id = r.id;
    h := nh;
  END LOOP;
  UPDATE audit_chain_head SET seq = s, hash = h WHERE id = 1;
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
