-- berth metadata, schema version 2: volumes.
--
-- volumes         one row per volume of the local driver; its data is <data-root>/volumes/<name>/_data
--   name            dockerd's restricted name pattern [a-zA-Z0-9][a-zA-Z0-9_.-]+, so it is one path
--                   component; anonymous volumes get 64 random hex digits
--   driver          always 'local' for now; a column because `docker volume ls --filter driver=` asks
--   created         when it was created (inspect's CreatedAt)
--   config_json     {"version": 1, "labels": {k: v}, "options": {"raw": {type, device, o}}}
--
-- Which containers use a volume is not stored here: it is derived from the containers' mount
-- points (containers.config_json), so there is no reference count to drift.

CREATE TABLE volumes (
  name        TEXT PRIMARY KEY CHECK (length(name) >= 2),
  driver      TEXT NOT NULL,
  created     TEXT NOT NULL,
  config_json TEXT NOT NULL
) STRICT, WITHOUT ROWID;
