-- Subject and Account Name sort without regard to case, as SQLite's NOCASE
-- columns do: an ICU collation at the secondary strength (case ignored;
-- PostgreSQL breaks its ties byte by byte, so it stays deterministic and
-- LIKE still works).  Without it a cluster made with the C locale would
-- put "apple" after "Zebra".  The keyset indexes on both columns are
-- rebuilt below.
CREATE COLLATION IF NOT EXISTS fw_nocase (provider = icu, locale = 'und-u-ks-level2');

-- The search column is computed from both, so it goes and comes back, now
-- split into words as FTS5's unicode61 splits them: at every character
-- that is not a letter or digit.  PostgreSQL's own parser keeps hyphenated
-- and signed forms ("CPE250C-500-CCS1" gave '-500', never '500'), so the
-- same search found other work orders on each store.  It is a plain column
-- kept by a trigger rather than a generated one: a bulk load (fieldwork
-- demo) turns the trigger off and sends the words itself, which saves the
-- server a third of the load (tested: the same searches find the same
-- work orders on both stores).
DROP INDEX wo_search;
ALTER TABLE wo DROP COLUMN search;
ALTER TABLE wo ALTER COLUMN subject TYPE text COLLATE fw_nocase,
               ALTER COLUMN account_name TYPE text COLLATE fw_nocase;
CREATE FUNCTION wo_search_words(w wo) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT to_tsvector('simple', regexp_replace(w.number::text || ' ' || w.case_number || ' ' || w.subject || ' ' ||
    w.account_name || ' ' || w.territory_name || ' ' || w.work_type_name || ' fwcompany' || w.owner_org_id::text,
    '[^[:alnum:]]+', ' ', 'g'))
$$;
ALTER TABLE wo ADD COLUMN search tsvector;
UPDATE wo SET search = wo_search_words(wo);
ALTER TABLE wo ALTER COLUMN search SET NOT NULL;
CREATE FUNCTION wo_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := wo_search_words(NEW);
  RETURN NEW;
END $$;
CREATE TRIGGER wo_search_keep BEFORE INSERT OR UPDATE OF number, case_number, subject, account_name, territory_name,
  work_type_name, owner_org_id ON wo FOR EACH ROW EXECUTE FUNCTION wo_search_keep();
CREATE INDEX wo_search ON wo USING GIN (search);

-- The keyset indexes end with the work order number, the tie-breaker of
-- every sort: SQLite's indexes carry it (the rowid), PostgreSQL's order
-- equal values by where the row lies, so a page of a common account name
-- read and sorted every work order of that name.
DROP INDEX wo_p_case, wo_p_subject, wo_p_account, wo_p_terr, wo_p_status, wo_p_assign, wo_p_entitle, wo_p_appt,
  wo_p_wtype, wo_p_done;
CREATE INDEX wo_p_case    ON wo(owner_org_id, state_class, case_number, number);
CREATE INDEX wo_p_subject ON wo(owner_org_id, state_class, subject, number);
CREATE INDEX wo_p_account ON wo(owner_org_id, state_class, account_name, number);
CREATE INDEX wo_p_terr    ON wo(owner_org_id, state_class, territory_name, number);
CREATE INDEX wo_p_status  ON wo(owner_org_id, state_class, status, number);
CREATE INDEX wo_p_assign  ON wo(owner_org_id, state_class, assigned_at, number);
CREATE INDEX wo_p_entitle ON wo(owner_org_id, state_class, entitlement_name, number);
CREATE INDEX wo_p_appt    ON wo(owner_org_id, state_class, appointment_at, number);
CREATE INDEX wo_p_wtype   ON wo(owner_org_id, state_class, work_type_name, number);
CREATE INDEX wo_p_done    ON wo(owner_org_id, state_class, completed_at, number);
