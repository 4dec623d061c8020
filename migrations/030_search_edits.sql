-- 030: a count of the writes that change which words find a work order,
-- other than a new work order with the highest number yet: a change of
-- its searched texts or its company, a delete, a work order added below
-- the highest number.  A server keeps the matches of the words most work
-- orders have as sets of numbers between searches (search.c), each as of
-- this count and the highest number then: the newer numbers it looks up
-- again, and any change of the count drops the sets.  In the database, so
-- that another process's writes are seen as a server's own; from a random
-- start, so that no two databases share a count (a process may open more
-- than one: the tests).
CREATE TABLE search_edit(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO search_edit(id, n) VALUES (1, abs(random() % 1000000000000000));
CREATE TRIGGER search_edit_upd AFTER UPDATE OF number, case_number, subject, account_name, territory_name,
    work_type_name, owner_org_id ON wo
    WHEN NEW.number IS NOT OLD.number OR NEW.case_number IS NOT OLD.case_number OR NEW.subject IS NOT OLD.subject
      OR NEW.account_name IS NOT OLD.account_name OR NEW.territory_name IS NOT OLD.territory_name
      OR NEW.work_type_name IS NOT OLD.work_type_name OR NEW.owner_org_id IS NOT OLD.owner_org_id BEGIN
  UPDATE search_edit SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER search_edit_ins AFTER INSERT ON wo WHEN NEW.number < (SELECT max(number) FROM wo) BEGIN
  UPDATE search_edit SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER search_edit_del AFTER DELETE ON wo BEGIN
  UPDATE search_edit SET n = n + 1 WHERE id = 1;
END;
