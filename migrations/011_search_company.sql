-- 011: the search index knows each work order's company, as one more token
-- ("fwcompany" and the company's id), so a partner's "Search this list..."
-- asks the index for its own matches only: a term common in another
-- company's work orders no longer costs this company's search anything.

ALTER TABLE wo ADD COLUMN search_company TEXT GENERATED ALWAYS AS ('fwcompany' || owner_org_id) VIRTUAL;

DROP TRIGGER IF EXISTS wo_fts_ins;
DROP TRIGGER IF EXISTS wo_fts_del;
DROP TRIGGER IF EXISTS wo_fts_upd;
DROP TABLE IF EXISTS wo_fts;

CREATE VIRTUAL TABLE wo_fts USING fts5(
  number, case_number, subject, account_name, territory_name, work_type_name, search_company,
  content='wo', content_rowid='number', tokenize='unicode61 remove_diacritics 2', detail=none
);
CREATE TRIGGER wo_fts_ins AFTER INSERT ON wo BEGIN
  INSERT INTO wo_fts(rowid, number, case_number, subject, account_name, territory_name, work_type_name, search_company)
  VALUES (NEW.number, NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name,
          NEW.work_type_name, NEW.search_company);
END;
CREATE TRIGGER wo_fts_del AFTER DELETE ON wo BEGIN
  INSERT INTO wo_fts(wo_fts, rowid, number, case_number, subject, account_name, territory_name, work_type_name,
                     search_company)
  VALUES ('delete', OLD.number, OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name,
          OLD.work_type_name, OLD.search_company);
END;
CREATE TRIGGER wo_fts_upd AFTER UPDATE OF case_number, subject, account_name, territory_name, work_type_name,
    owner_org_id ON wo BEGIN
  INSERT INTO wo_fts(wo_fts, rowid, number, case_number, subject, account_name, territory_name, work_type_name,
                     search_company)
  VALUES ('delete', OLD.number, OLD.number, OLD.case_number, OLD.subject, OLD.account_name, OLD.territory_name,
          OLD.work_type_name, OLD.search_company);
  INSERT INTO wo_fts(rowid, number, case_number, subject, account_name, territory_name, work_type_name, search_company)
  VALUES (NEW.number, NEW.number, NEW.case_number, NEW.subject, NEW.account_name, NEW.territory_name,
          NEW.work_type_name, NEW.search_company);
END;
INSERT INTO wo_fts(wo_fts) VALUES ('rebuild');
