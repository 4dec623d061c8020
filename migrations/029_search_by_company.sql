-- 029: a second search index whose words are scoped by company and by
-- status class: each token of a work order's searched texts behind its
-- company's prefix ("12xhead"), its company's and class's ("12k0xhead")
-- and its class's ("k0xhead"), made by fw_scoped.  A search is then one
-- list a word of exactly the list's matches: a partner's in its company,
-- a view of one class (My Open Work Orders, WO Completed / Closed, ...) in
-- that class.  wo_fts intersected a word's list of every company with the
-- company token's (at a million, 10-18 ms for a common word), and a view's
-- count looked each match up to learn its class (100-160 ms).  The
-- operator's list asks each company whether it has a match at all: a
-- look-up of the prefix, where it walked both lists.
-- Contentless (the text is made from wo's columns, so the triggers give
-- it back for a delete), no column sizes (no ranking).  The class is the
-- status's by the rule of 025, not the state_class column: that column's
-- own trigger may put it right after this one ran, and a delete must give
-- back exactly what was inserted.
CREATE VIRTUAL TABLE wo_fts_org USING fts5(
  t, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2', detail=none
);
CREATE TRIGGER wo_fts_org_ins AFTER INSERT ON wo BEGIN
  INSERT INTO wo_fts_org(rowid, t) VALUES (NEW.number, fw_scoped(NEW.owner_org_id,
    CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
      WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END,
    NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name, NEW.work_type_name));
END;
CREATE TRIGGER wo_fts_org_del AFTER DELETE ON wo BEGIN
  INSERT INTO wo_fts_org(wo_fts_org, rowid, t) VALUES ('delete', OLD.number, fw_scoped(OLD.owner_org_id,
    CASE WHEN OLD.status IN ('Completed', 'Closed') THEN 1
      WHEN OLD.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END,
    OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name, OLD.work_type_name));
END;
CREATE TRIGGER wo_fts_org_upd AFTER UPDATE OF case_number, subject, account_name, territory_name, work_type_name,
    owner_org_id, status ON wo
    WHEN NEW.case_number IS NOT OLD.case_number OR NEW.subject IS NOT OLD.subject
      OR NEW.account_name IS NOT OLD.account_name OR NEW.territory_name IS NOT OLD.territory_name
      OR NEW.work_type_name IS NOT OLD.work_type_name OR NEW.owner_org_id IS NOT OLD.owner_org_id
      OR (CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
        WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END)
      IS NOT (CASE WHEN OLD.status IN ('Completed', 'Closed') THEN 1
        WHEN OLD.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END) BEGIN
  INSERT INTO wo_fts_org(wo_fts_org, rowid, t) VALUES ('delete', OLD.number, fw_scoped(OLD.owner_org_id,
    CASE WHEN OLD.status IN ('Completed', 'Closed') THEN 1
      WHEN OLD.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END,
    OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name, OLD.work_type_name));
  INSERT INTO wo_fts_org(rowid, t) VALUES (NEW.number, fw_scoped(NEW.owner_org_id,
    CASE WHEN NEW.status IN ('Completed', 'Closed') THEN 1
      WHEN NEW.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END,
    NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name, NEW.work_type_name));
END;
INSERT INTO wo_fts_org(rowid, t) SELECT number, fw_scoped(wo.owner_org_id,
    CASE WHEN wo.status IN ('Completed', 'Closed') THEN 1
      WHEN wo.status IN ('Rejected', 'Cancelled', 'Cannot Complete') THEN 2 ELSE 0 END,
    wo.number, wo.case_number, wo.subject, wo.account_name, wo.territory_name, wo.work_type_name) FROM wo;
-- Each new work order adds a small segment to both indexes, merged later
-- into larger ones: sixteen to a level before a merge (FTS5's default is
-- four) halves the levels each word is written at.  At 100 New Work Orders
-- that was 47.5 pages of the WAL each against 43 (40 before this index);
-- a search reads a few more small segments, a seek each.
INSERT INTO wo_fts_org(wo_fts_org, rank) VALUES ('automerge', 16);
INSERT INTO wo_fts(wo_fts, rank) VALUES ('automerge', 16);
