-- berth metadata, schema version 4: a revision for each container's document.
--
-- containers.config_rev   a number no other row or earlier text of the row ever had, given anew
--                         whenever the row's config_json changes: a list reads a row's document,
--                         and decodes it, only when its revision is not the one decoded last
--                         (issue 15: a list of 2000 containers after a write read and compared
--                         4.6 MB of text). Rows from before this version share 0 until their
--                         document changes; a row's own revisions never repeat.
-- container_revision      the last revision given; it only grows. The triggers give them, so no
--                         statement, migration or hand edit can change a document without its
--                         revision.

ALTER TABLE containers ADD COLUMN config_rev INTEGER NOT NULL DEFAULT 0;

CREATE TABLE container_revision (
  last INTEGER NOT NULL
) STRICT;

INSERT INTO container_revision (last) VALUES (0);

CREATE TRIGGER containers_config_rev_on_insert AFTER INSERT ON containers
BEGIN
  UPDATE container_revision SET last = last + 1;
  UPDATE containers SET config_rev = (SELECT last FROM container_revision) WHERE id = new.id;
END;

CREATE TRIGGER containers_config_rev_on_update AFTER UPDATE OF config_json ON containers
  WHEN old.config_json IS NOT new.config_json
BEGIN
  UPDATE container_revision SET last = last + 1;
  UPDATE containers SET config_rev = (SELECT last FROM container_revision) WHERE id = new.id;
END;
