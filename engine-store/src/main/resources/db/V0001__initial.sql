-- berth metadata, schema version 1.
--
-- What lives here is what berth alone knows: what each container is, which images exist, what
-- names point at them and which extracted layers they are made of. Whether a container runs is
-- owned by conmon's pidfile and exit file; the state columns below are berth's last
-- observation, reconciled on start. Image and layer content lives in <data-root>/blobs and
-- <data-root>/layers, keyed by the digests stored here.
--
-- Conventions
--   * Columns that are queried, joined or unique are real columns; everything else about an
--     object goes in config_json, a JSON document {"version": n, ...} the store reads with
--     unknown properties ignored, so a field can be added without a migration.
--   * Times are TEXT, RFC 3339 in UTC with exactly nine fraction digits
--     (2024-05-01T12:00:00.123456789Z): nanosecond precision, Docker's zero time 0001-01-01
--     fits (it does not as int64 nanoseconds), and text order is time order.
--   * Digests are TEXT "sha256:<64 hex>": image IDs, chain IDs, diff IDs, blob digests.
--   * Booleans are INTEGER 0/1. Tables are STRICT, so a wrong type is an error, not a coercion.
--   * Foreign keys are enforced (the store turns them on for every connection) and never
--     cascade: the repositories delete children explicitly, and a constraint failing means a bug.
--   * schema_version (version, name, applied_at) is created and owned by the Migrator.
--
-- containers      one row per container
--   id              64 hex, random, never reused
--   name            without Docker's leading slash; UNIQUE is the last defence for name conflicts
--   image_id        the image it was created from. Not a foreign key: `docker rmi -f` may remove
--                   an image a stopped container still names, as Docker allows.
--   created         orders `docker ps` (newest first)
--   status          which ContainerState variant: created | running | paused | exited |
--                   restarting | dead
--   pid .. oom_killed  that variant's fields; NULL where the variant has no such field
--                   created: exit_code, error          running: pid, monitor_pid, monitor_start_time,
--                                                      started_at, oom_killed
--                   paused:  as running
--                   exited:  exit_code, started_at, finished_at, error, oom_killed, stopped_by_user
--                   restarting: exit_code, started_at, finished_at, oom_killed
--                   dead:    started_at, finished_at, error
--   restart_count   restarts done by the restart policy since the last manual start
--   config_json     {"version": 1, "config": ContainerConfig, "hostConfig": HostConfig}
--
-- images          one row per image, id = sha256 of its config JSON (equal to Docker's)
--   config_json     {"version": 1, "config": ImageConfig} (parsed; the exact bytes are in blobs/)
--   size            bytes of all its layers' extracted content
--   loaded          when it was first stored here; orders `docker images` and before/since
-- image_tags      reference (fully qualified, tag or digest form) -> the one image it names
-- image_digests   repository@sha256:... digests an image was pulled or pushed by
-- layers          extracted layers keyed by chain id, shared between images
--   parent          the chain id beneath, NULL for a base layer
--   blob, media_type  the archive it was extracted from, as kept in blobs/ (NULL if unknown)
-- image_layers    an image's layers, position 0 at the bottom. Whether a layer is in use is
--                 derived from this table; there are no stored reference counts to drift.

CREATE TABLE containers (
  id            TEXT    PRIMARY KEY CHECK (length(id) = 64),
  name          TEXT    NOT NULL UNIQUE,
  image_id      TEXT    NOT NULL,
  created       TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('created', 'running', 'paused', 'exited', 'restarting', 'dead')),
  pid           INTEGER,
  monitor_pid   INTEGER,
  monitor_start_time INTEGER,
  exit_code     INTEGER,
  started_at    TEXT,
  finished_at   TEXT,
  error         TEXT,
  oom_killed    INTEGER CHECK (oom_killed IN (0, 1)),
  stopped_by_user INTEGER CHECK (stopped_by_user IN (0, 1)),
  restart_count INTEGER NOT NULL DEFAULT 0,
  config_json   TEXT    NOT NULL
) STRICT;

CREATE INDEX containers_by_created ON containers (created);
CREATE INDEX containers_by_image ON containers (image_id);

CREATE TABLE images (
  id          TEXT    PRIMARY KEY,
  config_json TEXT    NOT NULL,
  size        INTEGER NOT NULL,
  loaded      TEXT    NOT NULL
) STRICT;

CREATE INDEX images_by_loaded ON images (loaded);

CREATE TABLE image_tags (
  reference TEXT PRIMARY KEY,
  image_id  TEXT NOT NULL REFERENCES images (id),
  tagged_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX image_tags_by_image ON image_tags (image_id);

CREATE TABLE image_digests (
  image_id    TEXT NOT NULL REFERENCES images (id),
  repo_digest TEXT NOT NULL,
  PRIMARY KEY (image_id, repo_digest)
) STRICT, WITHOUT ROWID;

CREATE TABLE layers (
  chain_id   TEXT    PRIMARY KEY,
  diff_id    TEXT    NOT NULL,
  parent     TEXT    REFERENCES layers (chain_id),
  size       INTEGER NOT NULL,
  blob       TEXT,
  media_type TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX layers_by_parent ON layers (parent);

CREATE TABLE image_layers (
  image_id TEXT    NOT NULL REFERENCES images (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  chain_id TEXT    NOT NULL REFERENCES layers (chain_id),
  PRIMARY KEY (image_id, position)
) STRICT, WITHOUT ROWID;

CREATE INDEX image_layers_by_chain ON image_layers (chain_id);
