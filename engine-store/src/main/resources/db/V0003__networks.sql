-- berth metadata, schema version 3: networks.
--
-- networks        one row per network; bridge, host and none are inserted by the engine on its
--                 first start, so their IDs stay the same across restarts
--   id              64 hex, random, never reused
--   name            UNIQUE is the last defence for name conflicts (dockerd's CheckDuplicate)
--   driver          bridge | host | null; a column because `network ls --filter driver=` asks
--   created         inspect's Created; orders nothing
--   config_json     {"version": 1, "internal", "attachable", "ipamDriver", "pools": [{subnet, gateway,
--                   ipRange}], "ipamOptions", "options", "labels", "bridge"}
--
-- Which containers are on a network is not stored here: it is derived from the containers'
-- endpoints (containers.config_json), so there is no membership list to drift. Address leases
-- belong to the CNI host-local plugin, under the exec root.

CREATE TABLE networks (
  id          TEXT PRIMARY KEY CHECK (length(id) = 64),
  name        TEXT NOT NULL UNIQUE,
  driver      TEXT NOT NULL,
  created     TEXT NOT NULL,
  config_json TEXT NOT NULL
) STRICT;
