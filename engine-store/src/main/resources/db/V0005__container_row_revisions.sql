-- berth metadata, schema version 5: a revision for each container's whole row.
--
-- containers.row_rev   given anew, from container_revision as config_rev is, whenever anything in
--                      the row changes (a start, a stop, a rename, a new document): a list reads
--                      none of a row's other columns when its revision is the one it made the
--                      container from last (issue 15). Rows from before this version share 0
--                      until they change; a row's own revisions never repeat.
--
-- One trigger per event now gives both revisions: an update's trigger skips the updates that set
-- row_rev themselves, which are its own and the insert trigger's (a trigger does not fire itself).

ALTER TABLE containers ADD COLUMN row_rev INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER containers_config_rev_on_insert;
DROP TRIGGER containers_config_rev_on_update;

CREATE TRIGGER containers_revisions_on_insert AFTER INSERT ON containers
BEGIN
  UPDATE container_revision SET last = last + 1;
  UPDATE containers SET config_rev = (SELECT last FROM container_revision),
                        row_rev = (SELECT last FROM container_revision)
   WHERE id = new.id;
END;

CREATE TRIGGER containers_revisions_on_update AFTER UPDATE ON containers
  WHEN new.row_rev IS old.row_rev
BEGIN
  UPDATE container_revision SET last = last + 1;
  UPDATE containers SET row_rev = (SELECT last FROM container_revision),
                        config_rev = CASE WHEN old.config_json IS new.config_json THEN config_rev
                                          ELSE (SELECT last FROM container_revision) END
   WHERE id = new.id;
END;
