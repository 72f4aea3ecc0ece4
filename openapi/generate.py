#!/usr/bin/env python3
"""Writes openapi/berth.yaml: the operations listed in operations.txt, taken from Docker's
Engine API v1.51 spec (Swagger 2.0) and converted to OpenAPI 3.1, plus berth's own facts.

    python3 openapi/generate.py                 # rewrite berth.yaml
    python3 openapi/generate.py --check         # exit 1 if berth.yaml is not what this writes
    python3 openapi/generate.py --docker-spec PATH

Docker's spec is found as shared/reference/docker-engine-api-v1.51.yaml in the nearest
ancestor folder that has it. Where berth behaves differently from dockerd, or Docker's spec is
silent, the facts are in BERTH_OPERATIONS / BERTH_SCHEMAS / BERTH_EXTRA_SCHEMAS below; every
such text starts with "berth:" in the output, so a reader can tell ours from Docker's.
"""

import argparse
import copy
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OPERATIONS = HERE / "operations.txt"
OUTPUT = HERE / "berth.yaml"
DOCKER_SPEC_NAME = "shared/reference/docker-engine-api-v1.51.yaml"

MIN_VERSION, MAX_VERSION = (1, 24), (1, 51)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Swagger 2.0 keys that say how to generate Go code; they mean nothing to berth.
DROPPED_SCHEMA_KEYS = {"x-go-name", "x-omitempty"}
# A parameter's own keys in OpenAPI 3.1; every other key of a Swagger 2.0 parameter
# (type, format, enum, default, items, pattern, minimum, ...) moves into its `schema`.
PARAMETER_KEYS = {"name", "in", "description", "required"}
# How Swagger 2.0's collectionFormat becomes OpenAPI 3.1's style/explode for query parameters.
COLLECTION_FORMATS = {
    "csv": {"style": "form", "explode": False},
    "ssv": {"style": "spaceDelimited", "explode": False},
    "pipes": {"style": "pipeDelimited", "explode": False},
    "multi": {"style": "form", "explode": True},
}
ERROR_REF = "#/components/schemas/ErrorResponse"
# Bodies of these media types are bytes, described by the media type alone (no schema).
BINARY_MEDIA = {"application/x-tar", "application/octet-stream",
                "application/vnd.docker.raw-stream", "application/vnd.docker.multiplexed-stream"}


# --- Swagger 2.0 -> OpenAPI 3.1 ------------------------------------------------------------

def convert_schema(s):
    """A Swagger 2.0 schema as a JSON Schema 2020-12 one (what OpenAPI 3.1 uses)."""
    if isinstance(s, list):
        return [convert_schema(x) for x in s]
    if not isinstance(s, dict):
        return s
    out = {}
    for key, value in s.items():
        if key in DROPPED_SCHEMA_KEYS or key == "x-nullable":
            continue
        if key == "$ref":
            out[key] = value.replace("#/definitions/", "#/components/schemas/")
        elif key == "properties":
            out[key] = {name: convert_schema(p) for name, p in value.items()}
        elif key == "example":
            out["examples"] = [value]  # 2020-12 has `examples` (a list); `example` is deprecated
        elif key == "enum" and value == [{}]:
            # Docker's "an empty object" (ExposedPorts, Volumes values) as a bound, not as an enum of
            # objects: the same set of values, and one that client generators can type.
            out["maxProperties"] = 0
        elif key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf", "not"):
            out[key] = convert_schema(value)
        else:
            out[key] = value
    if s.get("x-nullable") is True:
        out = nullable(out)
    return out


def nullable(s):
    """Lets `s` also be JSON null: a type array where there is a type, else anyOf with null."""
    s = dict(s)
    if isinstance(s.get("type"), str):
        s["type"] = [s["type"], "null"]
        if "enum" in s and None not in s["enum"]:
            s["enum"] = s["enum"] + [None]
        return s
    if "$ref" in s or "allOf" in s:
        keep = {k: v for k, v in s.items() if k in ("description", "title", "examples", "default")}
        rest = {k: v for k, v in s.items() if k not in keep}
        return {**keep, "anyOf": [rest, {"type": "null"}]}
    return s  # no type at all: null is already allowed


def convert_parameter(p):
    if p["in"] == "formData":
        raise SystemExit(f"formData parameter {p['name']}: not handled, extend generate.py")
    out = {k: p[k] for k in ("name", "in", "description", "required") if k in p}
    if p["in"] == "path":
        out["required"] = True
    rest = {k: v for k, v in p.items() if k not in PARAMETER_KEYS and k != "collectionFormat"}
    if rest.get("type") == "array" and p["in"] == "query":
        # Docker's spec leaves collectionFormat out (Swagger's default is csv), but dockerd and
        # berth read a list from repeated parameters (names=a&names=b): that is OpenAPI's form/explode.
        out.update(COLLECTION_FORMATS[p.get("collectionFormat", "multi")])
    elif "collectionFormat" in p and p["collectionFormat"] != "csv":
        raise SystemExit(f"collectionFormat {p['collectionFormat']} on {p['in']} parameter {p['name']}")
    out["schema"] = convert_schema(rest)
    return out


def is_binary(schema):
    return schema.get("type") == "string" and schema.get("format") == "binary"


def media_object(schema, media_type):
    """
    A Media Type Object. Binary content is a string of bytes of that media type, as OpenAPI 3.1
    writes it; generated clients read and send such a body as a file or a byte stream.
    """
    if schema is None or is_binary(schema) or media_type in BINARY_MEDIA:
        return {"schema": {"type": "string", "format": "binary", "contentMediaType": media_type}}
    return {"schema": convert_schema(schema)}


def convert_request_body(body, media_types):
    schema = body["schema"]
    out = {}
    if body.get("description"):
        out["description"] = body["description"]
    out["required"] = bool(body.get("required", False))
    out["content"] = {mt: media_object(schema, mt) for mt in media_types}
    return out


def convert_header(h):
    out = {"description": h["description"]} if "description" in h else {}
    out["schema"] = convert_schema({k: v for k, v in h.items() if k != "description"})
    return out


def convert_response(r, produces, method):
    out = {"description": r.get("description", "")}
    if r.get("headers"):
        out["headers"] = {name: convert_header(h) for name, h in r["headers"].items()}
    schema = r.get("schema")
    if schema is None or method == "head":  # a HEAD answer never has a body
        return out
    if schema.get("$ref") == "#/definitions/ErrorResponse":
        media_types = ["application/json"]  # errors are JSON whatever the operation produces
    else:
        media_types = produces
    out["content"] = {mt: media_object(schema, mt) for mt in media_types}
    for mt, example in (r.get("examples") or {}).items():
        target = mt if mt in out["content"] else next(iter(out["content"]))
        out["content"][target]["example"] = example
    return out


def convert_operation(op, method, request_media):
    out = {}
    for key in ("tags", "summary", "description", "operationId"):
        if key in op:
            out[key] = op[key]
    params = [p for p in op.get("parameters", []) if p["in"] != "body"]
    bodies = [p for p in op.get("parameters", []) if p["in"] == "body"]
    if params:
        out["parameters"] = [convert_parameter(p) for p in params]
    if bodies:
        media = request_media.get(op["operationId"]) or op.get("consumes") or ["application/json"]
        out["requestBody"] = convert_request_body(bodies[0], media)
    produces = op.get("produces") or ["application/json"]
    out["responses"] = {str(code): convert_response(r, produces, method)
                        for code, r in op["responses"].items()}
    return out


# --- berth's facts ---------------------------------------------------------------------------

class Append(str):
    """Text added to the end of a description in berth.yaml, as its own paragraph."""


class Replace:
    """A value that replaces Docker's instead of being merged into it."""

    def __init__(self, value):
        self.value = value


def merge(base, patch):
    """Applies a patch of berth facts to a converted operation or schema.

    Dicts merge key by key; Append(text) adds a paragraph to a string; Replace(v) and any
    other value replace. In an operation's patch, `parameters` is keyed by parameter name
    (a name not found adds the parameter, which must then be complete)."""
    for key, value in patch.items():
        if isinstance(value, Replace):
            base[key] = copy.deepcopy(value.value)
        elif isinstance(value, Append):
            base[key] = (base.get(key, "").rstrip("\n") + "\n\n" + value).strip("\n") + "\n"
        elif key == "parameters" and isinstance(value, dict):
            params = base.setdefault("parameters", [])
            for name, p in value.items():
                match = next((x for x in params if x["name"] == name), None)
                if match is None:
                    params.append(merge({}, p))
                else:
                    merge(match, p)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        elif isinstance(value, dict) and isinstance(base.get(key), list) and all(isinstance(k, int) for k in value):
            for i, item in value.items():  # {1: patch} patches the list's item 1 (an allOf member)
                merge(base[key][i], item)
        else:
            base[key] = merge({}, value) if isinstance(value, dict) else copy.deepcopy(value)
    return base


def berth(text):
    return Append("**berth:** " + text.strip())

def add_notes(table, patches):
    """Deep-merges patches of berth facts into BERTH_OPERATIONS or BERTH_SCHEMAS; a fact given
    twice for the same place is an error."""
    for key, value in patches.items():
        if isinstance(value, dict) and isinstance(table.get(key), dict):
            add_notes(table[key], value)
        elif key in table:
            raise ValueError("two berth facts for " + str(key))
        else:
            table[key] = value



def error(description, berth_text):
    return {"description": f"{description}\n\n**berth:** {berth_text}\n",
            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}


def json_lines(description):
    return Replace({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JSONMessage"}}},
    })


IMAGE_NAME = {"description": berth(
    "may contain slashes (`docker.io/library/busybox:latest`); the route matches them, as dockerd's does. "
    "A short name is normalized (`busybox` is `docker.io/library/busybox:latest`)."
)}

PING_HEADERS = {
    "Builder-Version": {
        "description": berth("always `1`: berth has no BuildKit, and `1` keeps the docker CLI off "
                             "`/session` and `/grpc`."),
        "schema": {"default": "1"},
    },
}

# Request media types that differ from Docker's `consumes`.
REQUEST_MEDIA = {
    "ContainerCreate": ["application/json"],  # Docker adds application/octet-stream; the body is JSON either way
    "ImageLoad": ["application/x-tar"],
    "ImageCreate": ["application/x-tar"],
}

BERTH_OPERATIONS = {
    "SystemPing": {
        "responses": {"200": {
            "description": berth("`Content-Type: text/plain; charset=utf-8`, body `OK`."),
            "headers": PING_HEADERS,
        }},
    },
    "SystemPingHead": {
        "responses": {"200": {
            "description": berth("no body, `Content-Length: 0`. The docker CLI sends this before every command."),
            "headers": {**PING_HEADERS, "Content-Length": {"schema": {"type": "integer", "const": 0}}},
        }},
    },
    "ContainerList": {
        "parameters": {"filters": {"description": berth(
            'each filter may be a map (`{"status":{"exited":true}}`, as the Go client sends it) or a list '
            '(`{"status":["exited"]}`, as docker-py and docker-java send it). `limit=-1` means no limit.')}},
    },
    "ContainerStart": {
        "responses": {"304": {"description": berth(
            "empty body, no Content-Type. Clients take it as success.")}},
    },
    "ContainerStop": {
        "responses": {"304": {"description": berth(
            "empty body, no Content-Type. Clients take it as success (`docker stop` prints the name).")}},
    },
    "ContainerWait": {
        "description": berth(
            "the status line and headers (`200`, `Content-Type: application/json`, chunked) are sent and "
            "flushed as soon as the waiter is registered, before the wait is over: the docker CLI sends "
            "`start` only after they arrive. A missing container or a bad condition is still a plain "
            "404/400 before any headers."),
        "responses": {"200": {"description": berth(
            "the body is one space of JSON whitespace (flushed with the headers), then the result and a "
            'newline once the condition is met: ` {"StatusCode":0,"Error":null}`.')}},
    },
    "ContainerAttach": {
        "description": berth(
            "the stream is multiplexed (`application/vnd.docker.multiplexed-stream`) when the container has "
            "no TTY and the API version is 1.42 or newer, raw otherwise. The response head has no "
            "Content-Length or Transfer-Encoding and goes out in a write of its own (docker-py reads the "
            "stream from beneath its HTTP reader). With no stdin attached the CLI half-closes its side at "
            "once; that does not end the output. The connection is closed when the container's output ends."),
        "responses": {
            "101": Replace({
                "description": "**berth:** the client sent `Connection: Upgrade` and `Upgrade: tcp`. The answer is "
                               "the raw head `HTTP/1.1 101 UPGRADED` with the headers below; then the socket "
                               "carries stdin one way and the output the other.\n",
                "headers": {
                    "Connection": {"schema": {"type": "string", "const": "Upgrade"}},
                    "Upgrade": {"schema": {"type": "string", "const": "tcp"}},
                },
                "content": {"application/vnd.docker.raw-stream": {},
                            "application/vnd.docker.multiplexed-stream": {}},
            }),
            "200": Replace({
                "description": "no error, no upgrade header found.\n\n**berth:** the same stream without "
                               "an upgrade (docker-java, dockerode); it ends when the connection closes.\n",
                "content": {"application/vnd.docker.raw-stream": {},
                            "application/vnd.docker.multiplexed-stream": {}},
            }),
        },
    },
    "ContainerLogs": {
        "description": berth(
            "the `200` and its headers are flushed at once; an error after that travels in the stream as a "
            "frame of type 3 (the docker CLI turns it into an error). Frames are multiplexed unless the "
            "container has a TTY. With `follow` the stream ends when the container exits and its output is all "
            "written. Reads go through the log driver's rotated files (gzipped or not), its current file and what "
            "berthd has not converted yet; a follow goes on through rotations. `details` prefixes each line with "
            "its attributes (`k=v,...` and a space), as dockerd."),
        "parameters": {
            # Docker's spec says integer, but clients send `secs.nanos` (docker logs --since 10m).
            "since": {"schema": Replace({"type": "string", "default": "0"}),
                      "description": berth("a UNIX time as `seconds[.nanoseconds]`, as the docker CLI sends it.")},
            "until": {"schema": Replace({"type": "string", "default": "0"}),
                      "description": berth("a UNIX time as `seconds[.nanoseconds]`, as the docker CLI sends it.")},
        },
        "responses": {"400": error("bad parameter",
                                   "neither `stdout` nor `stderr`, or a bad `since`, `until` or `tail`."),
                      "501": error("no log to read",
                                   "the container's log driver is `none`: `configured logging driver does not "
                                   "support reading`, as dockerd.")},
    },
    "ImageCreate": {
        "description": berth(
            "pulls `fromImage` from its registry (Docker Registry HTTP API v2: bearer-token or basic auth, "
            "Docker schema2 and OCI manifests and indexes, gzip or uncompressed layers; zstd layers are "
            "refused), or imports a rootfs tar from the body (`fromSrc=-`). Registries on 127.0.0.0/8 and ::1 "
            "and those in daemon.json's `insecure-registries` are reached over plain HTTP; Docker Hub pulls try "
            "`registry-mirrors` first. `fromSrc` with a URL is a 400. The body is read whatever its Content-Type."),
        "requestBody": {"description": berth("a tar of the root filesystem when `fromSrc=-`.")},
        "responses": {
            "200": json_lines(
                "no error\n\n**berth:** JSON messages, one per line, each flushed. A pull streams dockerd's lines "
                "(`Pulling from`, `Pulling fs layer`, `Downloading` with `progressDetail`, `Download complete`, "
                "`Extracting`, `Pull complete` or `Already exists`, `Digest: sha256:...`) and ends with "
                "`Status: Downloaded newer image for <ref>` or `Status: Image is up to date for <ref>`; an import "
                'ends with `{"status":"sha256:<id>"}`. An error after the first line travels in-band as '
                '`{"errorDetail":{"message":"..."},"error":"..."}`.\n'),
            "400": error("bad parameter", "`fromSrc` other than `-`, an invalid reference or platform."),
            "404": error("repository does not exist or no read access",
                         "found before any output: `manifest for <ref> not found: manifest unknown: ...`, "
                         "`pull access denied for <repo>, repository does not exist or may require 'docker "
                         "login': ...`."),
        },
    },
    "ImagePush": {
        "parameters": {"name": IMAGE_NAME},
        "description": berth(
            "layers go up gzip-compressed (uncompressed layers are compressed for the push, deterministically), "
            "skipped when the registry has them and mounted from another repository of the same registry that "
            "the image is also named in when the registry allows it; then a Docker schema2 manifest. The pushed "
            "digest is added to the image's RepoDigests. A missing `X-Registry-Auth` means anonymous."),
        "responses": {"200": json_lines(
            "no error\n\n**berth:** dockerd's lines: `The push refers to repository [...]`, `Preparing`, "
            "`Pushing` with `progressDetail`, `Pushed` / `Layer already exists` / `Mounted from <repo>`, "
            "`<tag>: digest: sha256:... size: N`, and an `aux` message with `Tag`, `Digest`, `Size`. Every "
            "error, an unknown tag included, travels in-band after the first line.\n")},
    },
    "SystemAuth": {
        "description": berth(
            "checks the credentials against the registry's `/v2/` (moby's loginV2); nothing is stored. A "
            "registry that refuses basic credentials gives dockerd's 500 `login attempt to <url>/v2/ failed "
            "with status: 401 Unauthorized`; a token service that refuses them gives a 401."),
        "responses": {"200": {"description": berth(
            '`{"Status":"Login Succeeded","IdentityToken":""}`.')}},
    },
    "ImageLoad": {
        "requestBody": {"description": berth("the body may be chunked; it is read whatever its Content-Type.")},
        "responses": {
            "200": json_lines(
                "no error\n\n**berth:** JSON messages, one per line, each flushed, with `Content-Type` exactly "
                '`application/json` (the docker CLI parses them only then), e.g. '
                '`{"stream":"Loaded image: busybox:latest\\n"}`. An error after the first line travels '
                'in-band as `{"errorDetail":{"message":"..."},"error":"..."}`.\n'),
            "400": error("bad parameter", "the body is not an image archive."),
        },
    },
    "ImageGet": {
        "parameters": {"name": IMAGE_NAME},
        "responses": {"404": error("no such image", "checked before any of the tar is sent.")},
    },
    "ImageGetAll": {
        "responses": {"404": error("no such image", "every name is checked before any of the tar is sent.")},
    },
    "ImageInspect": {"parameters": {"name": IMAGE_NAME}},
    "ImageHistory": {"parameters": {"name": IMAGE_NAME}},
    "ImageTag": {
        "parameters": {"name": IMAGE_NAME},
        "responses": {"201": {"description": berth("empty body.")}},
    },
    "ImageDelete": {"parameters": {"name": IMAGE_NAME}},
    "ContainerArchive": {
        "description": berth(
            "works on created, running and stopped containers; a container that does not run has its root "
            "filesystem and volumes mounted for the request. Paths are resolved inside the container: a "
            "symlink to `/` or `../..` never leads out of it. The tar is not compressed."),
    },
    "PutContainerArchive": {
        "description": berth(
            "works on created, running and stopped containers and writes through the container's volumes and "
            "binds. Every path, and every path in the tar, is resolved inside the container. Each regular "
            "file is written under a temporary name and renamed into place. The body must be an "
            "uncompressed tar."),
        "responses": {"400": error("bad parameter",
                                   "also a tar entry, symlink or hard link that would leave the extraction "
                                   "directory (dockerd answers 500), a read-only volume or root filesystem, "
                                   "and `noOverwriteDirNonDir` conflicts.")},
    },
    "VolumeCreate": {
        "description": berth(
            "only the `local` driver exists; its `type`, `device` and `o` options are mounted while a "
            "container uses the volume (`size` quotas are refused). Creating an existing name returns it."),
    },
    "VolumeDelete": {
        "parameters": {"force": {"description": berth(
            "as in dockerd, only makes a missing volume no error: a volume in use is still a 409.")}},
    },
    "ImageCommit": {
        "description": berth(
            "the container's changes become one layer on its image (none if it changed nothing); `pause` "
            "(default true) freezes a running container while they are read."),
    },
    "ContainerStats": {
        "description": berth(
            "`networks` has the interfaces of the container's own network namespace (`eth0`, ...; never `lo`), "
            "read from `/proc/<pid>/net/dev`; it is absent with `--network host` or `none` and for a container "
            "that does not run. `blkio_stats` on cgroup v1 comes from `blkio.throttle.io_service_bytes_recursive` "
            "and `blkio.throttle.io_serviced_recursive` (ops `Read`, `Write`, `Sync`, `Async`, `Discard`, "
            "`Total`; the other lists `[]`), which dockerd reads when there are no CFQ files (kernels since 5.0); "
            "recent kernels count there only under a throttle limit, so without one both show zeros. On cgroup v2 "
            "only `io_service_bytes_recursive`, from `io.stat`, with ops `read` and `write`."),
    },
    "ContainerKill": {
        "description": berth(
            "as dockerd 28, a paused container is signalled too. A signal that stops it (SIGKILL, its "
            "`StopSignal`, or any signal when it has none) keeps its restart policy from restarting it and thaws "
            "it, so that it acts on the signal; any other signal waits in the frozen process until `unpause`."),
    },
    "ContainerPause": {
        "responses": {"409": error("container is not running or already paused",
                                   "`container <id> is not running`, `Container <id> is already paused`, as "
                                   "dockerd words them.")},
    },
    "ContainerUnpause": {
        "responses": {"500": {"description": berth(
            "`Container <id> is not paused` for a container that is not paused: dockerd 28 answers this "
            "untyped error with a 500.")}},
    },
}

# berth is never part of a swarm: every Swarm route answers as dockerd on a node outside one.
NOT_A_MANAGER = ('503 `This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to '
                 'connect this node to swarm and try again.`, as dockerd on a node outside a swarm')
SWARM_CHECKS = "after the checks dockerd's swarm router makes first (a malformed body, filter or `version` is a 400)"
for _op in ("NodeList", "NodeInspect", "NodeDelete", "NodeUpdate", "SwarmInspect", "SwarmUpdate", "SwarmUnlockkey",
            "SwarmUnlock", "ServiceList", "ServiceCreate", "ServiceInspect", "ServiceDelete", "ServiceUpdate",
            "TaskList", "TaskInspect", "SecretList", "SecretCreate", "SecretInspect", "SecretDelete",
            "SecretUpdate", "ConfigList", "ConfigCreate", "ConfigInspect", "ConfigDelete", "ConfigUpdate"):
    BERTH_OPERATIONS[_op] = {"description": berth(f"berth is never part of a swarm: always {NOT_A_MANAGER}, "
                                                   f"{SWARM_CHECKS}.")}
for _op in ("ServiceLogs", "TaskLogs"):
    BERTH_OPERATIONS[_op] = {"description": berth(
        f"berth is never part of a swarm: always {NOT_A_MANAGER}. Without `stdout` or `stderr` it is a 400 "
        "`Bad parameters: you must choose at least one stream` first (dockerd answers that with a 500).")}
for _op in ("SwarmInit", "SwarmJoin"):
    BERTH_OPERATIONS[_op] = {"description": berth(
        "refused: berth does not implement swarm mode. After the body is read as JSON (malformed: 400), "
        "the answer is 503 `berth does not support swarm mode: this node cannot create or join a swarm`.")}
BERTH_OPERATIONS["SwarmLeave"] = {"description": berth(
    "berth is never part of a swarm: always 503 `This node is not part of a swarm`, as dockerd outside one.")}
BERTH_OPERATIONS["PluginList"] = {"description": berth(
    "berth has no managed plugins: always `[]`, once the filters are checked as dockerd checks them (only "
    "`enabled` and `capability`; `enabled` must be `true`/`1` or `false`/`0`, else 400 "
    "`invalid filter 'enabled=[...]'`).")}

# dockerd writes an unset Go slice, map or pointer without `omitempty` as JSON null, and so does
# berth, where Docker's spec types the field without null. DOCKERD_NULL marks such a field (it
# merges like any fact); make_dockerd_nulls_nullable then lets the field be null and says so.
DOCKERD_NULL = {"x-dockerd-null": True}
DOCKERD_NULL_NOTE = "**berth:** `null` when unset, as dockerd sends it."


def dockerd_nulls(*names):
    return {"properties": {name: dict(DOCKERD_NULL) for name in names}}


def make_dockerd_nulls_nullable(node):
    if isinstance(node, list):
        for item in node:
            make_dockerd_nulls_nullable(item)
    elif isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, dict) and value.pop("x-dockerd-null", False):
                value = nullable(value)
                value["description"] = (value.get("description", "").rstrip("\n") + "\n\n" + DOCKERD_NULL_NOTE).strip("\n") + "\n"
                node[key] = value
            make_dockerd_nulls_nullable(value)

# docker build: the classic builder (issue 12).
add_notes(BERTH_OPERATIONS, {
    "ImageBuild": {
        "description": berth(
            "dockerd's classic builder (version 1): the context tar (plain, gzip, bzip2, xz or zstd) is "
            "extracted into a directory of the build's own (entries that climb out, hard links to outside "
            "and writes through symlinks refused), the Dockerfile parsed as buildkit's parser does, each "
            "step run or committed through berth's own containers and layer store, probed first in the "
            "step cache (parent image, history command, committed config and, for COPY/ADD, the sources' "
            "content checksums). The stream is dockerd's: `Step N/M : ...`, ` ---> Using cache`, "
            "` ---> Running in <id>`, ` ---> Removed intermediate container <id>`, ` ---> <id>`, one "
            "`aux` ID per stage, `Successfully built`, `Successfully tagged`; a RUN's stderr and the parser's "
            "warnings in dockerd's red stderr messages. A bad query or context, or a Dockerfile that "
            "buildkit's parser or instructions.Parse refuses (unknown instruction or flag, argument counts, "
            "JSON forms, HEALTHCHECK values, ONBUILD triggers) is a plain 400 before any message, in "
            "moby's current words; a Dockerfile missing from the context or outside it is dockerd's plain "
            "500. Later errors end the stream (COPY/ADD source errors as `COPY failed: ...`, a failing RUN "
            "with its exit code in `errorDetail.code`). Unlike dockerd, a failed step's container is removed even "
            "without `forcerm`, so a failed build leaves nothing. RUN flags, COPY/ADD `--chmod`, `--link`, "
            "`--parents`, `--exclude`, heredocs: refused with dockerd's 'requires BuildKit' words. ADD of a "
            "URL is refused (berth builds offline). The `ulimits` "
            "parameter the CLI sends (`--ulimit`) applies to RUN as to `docker run`, and `memory`, "
            "`memswap`, `cpu*`, `cgroupparent`, `shmsize`, `extrahosts` and `networkmode` as well; "
            "`securityopt`, `isolation` other than `default`, `session` and `remote` are refused."),
        "parameters": {
            "version": {"description": berth("`1` only; `2` (BuildKit) is refused with a 400.")},
            "remote": {"description": berth("refused: the context must be uploaded.")},
            "cachefrom": {"description": berth(
                "as dockerd's classic builder: a step is a cache hit when a listed image's history and "
                "layers begin with the step's parent and its next history entry was made by the step's "
                "command; the step's image is then that image (its last step) or one restored from its "
                "layers. Names that are no image here are skipped; with the list given, the step cache's "
                "own hits count only on the way to a listed image, as dockerd's do.")},
            "squash": {"description": berth("refused as dockerd refuses it without experimental mode.")},
            "outputs": {"description": berth("an empty list only; outputs are refused.")},
            "platform": {"description": berth("the host's platform only.")},
            "rm": {"description": berth("as dockerd; a failed step's container is removed regardless.")},
        },
    },
    "BuildPrune": {
        "description": berth(
            "forgets every entry of the step cache (an index of images; the images stay for `image prune`). "
            "`filters`, `reserved-space`, `keep-storage`, `max-used-space` and `min-free-space` are refused "
            "unless empty or 0. `SpaceReclaimed` is 0: the cache holds no bytes of its own."),
    },
    "Session": {
        "description": berth("refused with a 400: berth has no BuildKit."),
    },
})

BERTH_SCHEMAS = {
    "HostConfig": {"allOf": {1: {"properties": {
        "SecurityOpt": {"description": berth(
            "honoured as dockerd reads it: `no-new-privileges` (or `=true|false`), `seccomp=unconfined`, "
            "`seccomp=builtin` or `seccomp=<profile JSON>` (the docker CLI sends the file's content), "
            "`apparmor=<profile>`, `label=...` and `disable` (accepted without effect where there is no SELinux, "
            "as under dockerd), `writable-cgroups` (or `=true|false`); `:` instead of `=` is still read. Anything "
            "else is a 400 `invalid --security-opt 2: \"foo=bar\"` and nothing is created. A profile that does "
            "not decode, or names an unknown action, operator or architecture, is a 400 at create (`Decoding "
            "seccomp profile failed: ...`, `string SCMP_ACT_X is not a valid action for seccomp`), where dockerd "
            "fails the start. A privileged container records `label=disable` as dockerd does. Without a seccomp "
            "option a container gets the daemon's `seccomp-profile` (Docker's default profile unless configured); "
            "a privileged one gets none.")},
        "CgroupnsMode": {"description": berth(
            "empty or absent: the daemon's `default-cgroupns-mode`, `private` on a cgroup v2-only host and `host` "
            "on a v1 or hybrid one (a privileged container keeps `host` unless the host is v2-only). `private` "
            "gives the container a cgroup namespace of its own. Any other value is a 400 `invalid cgroup namespace "
            "mode: X`. Inspect shows the mode the container was created with.")},
        "MaskedPaths": {"description": berth(
            "absent: Docker's defaults, recorded at create (none for a privileged container); `[]`: nothing "
            "masked (what the CLI sends for `--security-opt systempaths=unconfined`); a list: exactly those paths.")},
        "ReadonlyPaths": {"description": berth(
            "absent: Docker's defaults, recorded at create (none for a privileged container); `[]`: none; a "
            "list: exactly those paths.")},
    }}}},
    "ContainerState": {"properties": {"OOMKilled": {"description": berth(
        "true once the memory cgroup's OOM killer has killed one of the container's processes during its current "
        "or last run, as dockerd sets it: as the kill happens (conmon's `oom` file in its persist directory, "
        "watched with inotify), or at the exit from the cgroup's count (`oom_kill` of v1 `memory.oom_control` or "
        "v2 `memory.events`), also for a kill while berthd was down. One `oom` event per run, before `die` "
        "(exit code 137 when the container's own process was killed). A start sets it false.")}}},
    "ContainerInspectResponse": {"properties": {"LogPath": {"description": berth(
        "the json-file driver's current file, as dockerd; empty for `local` (its files are not API) and `none`.")},
        "AppArmorProfile": {"description": berth(
        "until the first start, what `--security-opt apparmor=` asked for; from then on the profile the container "
        "runs under: empty where the host has no AppArmor, else the one asked for, `unconfined` when privileged, "
        "or `berth-default` (berth's profile with the rules of Docker's `docker-default`).")}}},
    "SystemInfo": {"properties": {
        "LoggingDriver": {"description": berth(
            "the daemon's default `log-driver` (daemon.json or `--log-driver`; `json-file` unless set). "
            "`Plugins.Log` lists the drivers berth has: `json-file`, `local`, `none`.")},
        "NFd": {"description": berth("the engine's open file descriptors: the entries of its `/proc/self/fd`.")},
        "NGoroutines": {"description": berth(
            "berthd is a JVM, not a Go program: the number of its live platform threads "
            "(`ThreadMXBean.getThreadCount`). The virtual threads that serve connections and streams are not "
            "counted: the JVM does not count them.")},
        "SecurityOptions": {"description": berth(
        "as dockerd: `name=apparmor` where AppArmor is enabled, `name=seccomp,profile=<builtin|unconfined|path>` "
        "(the daemon's `seccomp-profile`; anything but `builtin` also adds a warning to `Warnings`), "
        "`name=cgroupns` when containers get a private cgroup namespace by default, `name=no-new-privileges` "
        "when that is the daemon's default. Before API 1.25 only the names (`seccomp`).")}}},
    "ErrorResponse": {"description": berth(
        'every error body is `{"message": "..."}` with `Content-Type` exactly `application/json`: with a '
        "`; charset` suffix the docker CLI prints the raw JSON instead of the message. Clients match some "
        "messages (`No such image: ...`), so their text is API.")},
    "ContainerWaitResponse": {"properties": {"Error": Replace({
        "description": "**berth:** `null` when the wait ended without an error, as dockerd sends it.\n",
        "anyOf": [{"$ref": "#/components/schemas/ContainerWaitExitError"}, {"type": "null"}],
    })}},
}

# Schemas Docker's spec does not have.
# Create options honoured or refused, and where exec, delete, prune and networks follow dockerd
# (issue 11).
add_notes(BERTH_OPERATIONS, {
    'ContainerExec': {
        'requestBody': {
            'content': {
                'application/json': {
                    'schema': {
                        'properties': {
                            'ConsoleSize': {
                                'description': berth(
                                    'from API 1.42 (ignored before, as dockerd); used when the start gives '
                                    'none.'),
                            },
                            'DetachKeys': {
                                'description': berth(
                                    'as dockerd, the keys (default `ctrl-p,ctrl-q`) are watched for only in the '
                                    "input of an exec with a TTY; typing them ends the client's stream (an "
                                    '`exec_detach` event) and the process goes on. Keys that do not parse: 500 '
                                    '`Invalid escape keys (x) provided`.'),
                            },
                        },
                    },
                },
            },
        },
    },
    'ExecStart': {
        'requestBody': {
            'content': {
                'application/json': {
                    'schema': {
                        'properties': {
                            'Tty': {
                                'description': berth(
                                    "as dockerd, this field (not the exec create's `Tty`) decides whether the "
                                    "stream is raw or multiplexed (stdcopy frames; the 101's Content-Type says "
                                    'which from API 1.42; a start without upgrade names the raw stream). With '
                                    '`Tty` and an exec made without one, stderr is not sent. An exec that '
                                    "cannot start writes dockerd's words into the stream (`OCI runtime exec "
                                    'failed: exec failed: unable to start container process: exec: "x": '
                                    'executable file not found in $PATH: unknown`) and records exit code 127 '
                                    '(not found), 126 (cannot be run) or 128 (other), as dockerd 24+ does.'),
                            },
                        },
                    },
                },
            },
        },
    },
    'ExecResize': {
        'description': berth(
            'as dockerd, a resize before the process has started (the CLI resizes as its start goes out) waits '
            'up to 10 s for it: then 500 `timeout waiting for exec session ready`; a start that failed gives '
            '400 `exec process is not started`. An exec without a TTY has nothing to resize (200).'),
    },
    'ContainerDelete': {
        'parameters': {
            'force': {
                'description': berth(
                    "as dockerd, the answer comes after the container's `follow` log streams have ended (they "
                    'drain the log first), waiting for them up to 10 s.'),
            },
        },
    },
    'VolumePrune': {
        'parameters': {
            'filters': {
                'description': berth(
                    "as dockerd, only anonymous volumes unless `all` is true (strconv.ParseBool's words) from "
                    'API 1.42; before 1.42 every unused volume, and a request that also gives another `all` '
                    "value is refused (400 `invalid filter 'all=[false true]': only one value is expected`). "
                    'One `prune` volume event names what was reclaimed.'),
            },
        },
    },
    'ImageCommit': {
        'parameters': {
            'pause': {
                'description': berth(
                    'only a running container is paused; a created or exited one is committed as it is, and (as '
                    'dockerd) a pause that fails because the container exited meanwhile is ignored.'),
            },
        },
    },
    'NetworkCreate': {
        'requestBody': {
            'content': {
                'application/json': {
                    'schema': {
                        'properties': {
                            'EnableIPv6': {
                                'description': berth(
                                    'honoured on bridge networks: containers get an IPv6 address as well, from '
                                    'the IPAM config\'s IPv6 subnet (at most one) or, without one, from a /64 of '
                                    "the engine's own ULA /48 (fd00::/8 with 40 bits derived from its ID, as "
                                    "dockerd's default IPv6 pool). Without it (nor the `enable_ipv6` option) an "
                                    'IPv6 subnet is a 400 (dockerd would drop it silently). Isolation between '
                                    'bridges and `enable_icc=false` hold for IPv6 (ip6tables) as for IPv4.'),
                            },
                            'EnableIPv4': {
                                'description': berth(
                                    '`false` (an IPv6-only network) is a 400 `berth does not support IPv6-only '
                                    'networks (EnableIPv4=false) yet`.'),
                            },
                            'Options': {
                                'description': berth(
                                    'honoured: `com.docker.network.bridge.name`, '
                                    "`com.docker.network.driver.mtu` (the bridge's and containers' interfaces), "
                                    '`com.docker.network.bridge.enable_icc` (`false`: containers on the bridge '
                                    "cannot reach each other, by an iptables DROP as dockerd's), "
                                    '`com.docker.network.bridge.enable_ip_masquerade`, '
                                    '`com.docker.network.bridge.host_binding_ipv4` (the address ports are '
                                    'published on when a binding names none). A value libnetwork cannot parse '
                                    'is a 400 in its words (`failed to parse com.docker.network.driver.mtu '
                                    'value: x (strconv.Atoi: parsing "x": invalid syntax)`). Gateway modes, '
                                    '`container_iface_prefix`, `host_ipv4`/`host_ipv6`, `inhibit_ipv4=true` and '
                                    '`enable_ipv4=false` are refused with a 400; `enable_ipv6` stands for '
                                    '`EnableIPv6` when that is not given, as in dockerd; other '
                                    'options are accepted without effect, as by dockerd.'),
                            },
                        },
                    },
                },
            },
        },
    },
})

add_notes(BERTH_SCHEMAS, {
    'ContainerConfig': {
        'properties': {
            'MacAddress': {
                'description': berth(
                    "moved to the endpoint of the network mode's network, as dockerd does for API 1.44 and "
                    'later; inspect shows the address asked for there.'),
            },
        },
    },
    'ContainerCreateResponse': {
        'properties': {
            'Warnings': {
                'description': berth(
                    "dockerd's, for settings this host cannot apply and drops (see `HostConfig`); the docker "
                    'CLI prints each as `WARNING: ...`.'),
            },
        },
    },
    'EndpointIPAMConfig': {
        'properties': {
            'IPv6Address': {
                'description': berth(
                    'honoured on user-defined networks with IPv6 (`--ip6`); outside their IPv6 subnet, or on a '
                    'network without IPv6, a 400 `no configured subnet or ip-range contain the IP address x`; '
                    'not an IPv6 address, `invalid IPv6 address: x`.'),
            },
            'LinkLocalIPs': {
                'description': berth(
                    "honoured (`--link-local-ip`): each is added to the container's interface with "
                    "libnetwork's masks (/16, /64); one that is not an address is a 400 `invalid link-local IP "
                    'address: x`.'),
            },
        },
    },
    'EndpointSettings': {
        'properties': {
            'Links': {
                'description': Replace(
                    '**berth:** on a user-defined network each `name:alias` makes the embedded resolver answer '
                    "the alias with the named container's address, for this container only, as dockerd does. "
                    'Refused on other networks (`links are only supported for user-defined networks`).\n'),
            },
            'MacAddress': {
                'description': berth(
                    "given to the container's interface on a bridge network (also from the deprecated "
                    "container-wide `Config.MacAddress`, which must then match); anything Go's net.ParseMAC "
                    'refuses is a 400 `invalid config for network <n>: invalid MAC address <m>`, and one on '
                    'host or none networking a 400. Without it the kernel picks a random locally administered '
                    'address, as dockerd 28 does.'),
            },
        },
    },
    'HostConfig': {
        'allOf': {
            1: {
                'properties': {
                    'LogConfig': {
                        'properties': {
                            'Type': {
                                'description': berth(
                                    '`json-file` (the default), `local` and `none`, as dockerd writes them; empty '
                                    "is the daemon's `log-driver` (and, for the same driver, its `log-opts` fill in). "
                                    'conmon spools the output (the container never waits for berthd) and berthd '
                                    "converts it into the driver's files: json-file `<container dir>/<id>-json.log` "
                                    '(`{"log","stream","time"}` a line, RFC 3339 nanoseconds, lines over 16 KB in '
                                    "pieces as dockerd splits them), local `local-logs/container.log` (dockerd's "
                                    'length-framed protobuf entries). Options: `max-size`, `max-file`, `compress` '
                                    "(rotation and gzip as dockerd's, local by default 20 MB x 5 gzipped), `labels`, "
                                    '`labels-regex`, `env`, `env-regex` (entries carry them as `attrs`; `docker '
                                    'logs --details` shows them), `tag` (a Go template over the container rendered '
                                    'at start into the `tag` attribute when not empty, as dockerd: literal text and '
                                    '`{{.Field}}` with `ID` (12 characters), `FullID`, `Name` (no slash), `Command`, '
                                    '`ImageID` (12), `ImageFullID`, `ImageName`, `Hostname`, `DaemonName` (`docker`, '
                                    "as dockerd's, so templates written for it render the same) and logger.Info's "
                                    'string fields; functions, pipelines, trim markers and other fields are a 400 '
                                    "`log opt 'tag': berth renders only literal text and {{.Field}} ...`, an unknown "
                                    "field Go's `can't evaluate field Foo in type *logger.Info`), `mode`, "
                                    '`max-buffer-size` (checked; berth never blocks the container). Refused at '
                                    "create (400) in dockerd's words: an unknown "
                                    "driver (`error looking up logging plugin bogus: plugin \"bogus\" not found`), an "
                                    "unknown option (`unknown log opt 'x' for json-file log driver`), a bad value "
                                    '(`invalid size: ...`, which dockerd refuses only at start); a driver dockerd '
                                    "has and berth lacks (`syslog`, `journald`, ...: `logger: no log driver named "
                                    "'syslog' is registered (berth has json-file, local and none)`) is refused too. "
                                    'With `none` there is no '
                                    'log and `GET /containers/{id}/logs` is a 501 `configured logging driver does '
                                    'not support reading`.'),
                            },
                        },
                    },
                    'Annotations': {
                        'description': berth(
                            "written to the OCI spec's `annotations` at each start and shown by inspect "
                            '(omitted when empty). An empty key is a 400 `invalid Annotations: the empty string '
                            'is not permitted as an annotation key`. From a client of API older than 1.43 they '
                            'are dropped, as dockerd drops them.'),
                    },
                    'ExtraHosts': {
                        'description': berth(
                            "checked at create as dockerd's ValidateExtraHost (400 `bad format for add-host: "
                            '"x"`, `invalid IP address in add-host: "x"`); `host-gateway` becomes the daemon\'s '
                            '`host-gateway-ip` (flag, repeatable, or daemon.json `host-gateway-ips`), by '
                            "default the default bridge's gateway. Written after the local names and before the "
                            "container's own address, as libnetwork writes them; with host networking and extra "
                            "hosts the file is no longer the host's."),
                    },
                    'GroupAdd': {
                        'description': berth(
                            "honoured for the container's processes and its exec processes (whatever their "
                            "user): a name is looked up in the container's `/etc/group` at each start, a number "
                            'need not be there. An unknown name fails the start with `unable to find group '
                            '<name>: no matching entries in group file`, as under dockerd.'),
                    },
                    'IpcMode': {
                        'description': berth(
                            "honoured. Empty means `private` (dockerd's `default-ipc-mode`), recorded at create "
                            'and shown by inspect. `private`: a new IPC namespace and a /dev/shm tmpfs of '
                            '`ShmSize`; `shareable`: the same, the tmpfs mounted on the host side so joiners '
                            "bind it; `none`: no /dev/shm; `host`: the host's IPC namespace and /dev/shm; "
                            '`container:<name|id>`: the container, named by id from create on (a missing one is '
                            'a 400 `No such container: X`), must be running when this one starts (409 `failed '
                            'to join IPC namespace: container X is not running`) and share its IPC (400 `...: '
                            'non-shareable IPC (hint: use IpcMode:shareable for the donor container)`). '
                            'Anything else is a 400 `invalid IPC mode: X`.'),
                    },
                    'Cgroup': {
                        'description': berth(
                            'only empty is accepted; dockerd parses `container:<id>` here but no Linux code '
                            'path reads it, so berth refuses a value with a 400 `invalid Cgroup (X): ...` '
                            'rather than ignore it (see `CgroupnsMode`).'),
                    },
                    'Links': {
                        'description': berth(
                            "honoured on the default bridge as dockerd's legacy links: the linked container "
                            'must exist at create (400 `could not get container for x: No such container: x`) '
                            'and run at start (`Cannot link to a non running container: /db AS /web/db`); the '
                            'linking container gets `/etc/hosts` lines (alias, hostname, name) and the '
                            '`ALIAS_PORT_*`, `ALIAS_NAME`, `ALIAS_ENV_*` variables of moby daemon/links in its '
                            'main process and its execs; when a linked container starts again, the line takes its new '
                            'address. Inspect shows `/db:/web/db`; `DELETE '
                            '/containers/web/db?link=1` removes one. Refused with host or container networking; '
                            "on a user-defined network the endpoint's `Links` apply instead. The linked "
                            "container's name is the one it had at create."),
                    },
                    'OomScoreAdj': {
                        'description': berth(
                            'honoured, for exec processes too; always set (0 by default), so a container does '
                            "not inherit the engine's score. Outside -1000..1000 it is a 400 `Invalid value "
                            '<n>, range for oom score adj is [-1000, 1000]` and nothing is created. A negative '
                            'score needs CAP_SYS_RESOURCE: where the engine lacks it, the runtime refuses the '
                            'start.'),
                    },
                    'PidMode': {
                        'description': berth(
                            "honoured. `host`: no PID namespace (the container sees the host's processes, and "
                            '`--init` is not added, as dockerd does); `container:<name|id>`: the container, '
                            'named by id from create on (a missing one is a 400 `No such container: X`), must '
                            'be running when this one starts (500 `failed to join PID namespace: container X is '
                            'not running`, as dockerd words its spec errors). Anything else is a 400 `invalid '
                            'PID mode: X`. `host` (as for `IpcMode: host`) records `label=disable` in '
                            'SecurityOpt as dockerd does.'),
                    },
                    'StorageOpt': {
                        'description': berth(
                            "refused when not empty, as dockerd's overlay2 refuses it without xfs project "
                            "quotas: a 500 `--storage-opt is supported only for overlay over xfs with 'pquota' "
                            'mount option` for `size`, `Unknown option X` for anything else.'),
                    },
                    'UTSMode': {
                        'description': berth(
                            "empty or `host` (the host's UTS namespace: no hostname or domain name is set, "
                            "`hostname` prints the host's); `host` with a `Hostname` is a 400 `conflicting "
                            'options: hostname and the UTS mode`, anything else a 400 `invalid UTS mode: X`.'),
                    },
                    'UsernsMode': {
                        'description': berth(
                            "berth has no user-namespace remapping, so empty and `host` both mean the host's "
                            'user namespace, as under dockerd without `userns-remap`; anything else (which the '
                            'CLI refuses with `--userns: invalid USER mode`) is a 400 `invalid USER mode: X` '
                            'rather than ignored.'),
                    },
                    'Sysctls': {
                        'description': berth(
                            'honoured; set by the OCI runtime, which refuses (at start, as under dockerd) one '
                            'outside the container\'s namespaces (`sysctl "kernel.printk" is not in a separate '
                            "kernel namespace`) or a `net.*` one with the host's network namespace (`sysctl "
                            '"net.ipv4.ip_forward" not allowed in host network namespace`).'),
                    },
                    'Runtime': {
                        'description': berth(
                            "one of the daemon's runtimes (`runc` and `io.containerd.runc.v2` where runc is "
                            'installed, `crun` where it runs (a pure cgroup v2 host, or a hybrid one through berth-hide-cgroup2), '
                            'daemon.json `runtimes` and '
                            '`--add-runtime`); empty for the default, whose name inspect then shows. Any other '
                            "name is a 400 `unknown or invalid runtime name: <name>` (dockerd 28's words)."),
                    },
                    'Isolation': {
                        'description': berth(
                            'empty or `default` (any case), kept as given; anything else is a 400 `invalid '
                            "isolation (X): linux only supports 'default'`, as dockerd's runconfig words it."),
                    },
                },
            },
        },
    },
    'NetworkSettings': {
        'properties': {
            'SandboxKey': {
                'description': berth(
                    '`<exec-root>/netns/<id>`, where the namespace is pinned while the container runs; empty '
                    'otherwise.'),
            },
        },
    },
    'Resources': {
        'properties': {
            'CgroupParent': {
                'description': berth(
                    "as dockerd's cgroupfs driver: the container's cgroup is `<parent>/<id>` in every "
                    'hierarchy, a relative parent taken from the root; `..` is cleaned away. A parent at, above '
                    "or below the engine's own cgroups is a 400. Removing the container removes its cgroup, not "
                    'the parent.'),
            },
            'BlkioWeight': {
                'description': berth(
                    "applied (`blkio.weight`, `io.weight`) where the host's block I/O controller has weights; "
                    "elsewhere discarded with dockerd's warning `Your kernel does not support Block I/O weight "
                    'or the cgroup is not mounted. Weight discarded.` The per-device weights and the four '
                    'throttles below likewise. Device paths are resolved to their major:minor numbers at each '
                    'start (a missing one fails the start with `stat <path>: no such file or directory`). '
                    '`docker update` changes the weight only; the device lists and the OOM and swappiness '
                    'settings are set at create (an update naming them is a 400).'),
            },
            'CpuRealtimeRuntime': {
                'description': berth(
                    "both real-time fields are passed to the runtime on a host with the real-time scheduler's "
                    'cgroup files (a 400 `kernel does not support CPU real-time scheduler` elsewhere); the '
                    'runtime refuses a budget the parent cgroup does not have, as with dockerd without '
                    '`--cpu-rt-runtime`.'),
            },
            'Devices': {
                'description': berth(
                    'honoured as dockerd does: the host node (a link is followed; a directory gives every node '
                    'under it) is made at `PathInContainer` and allowed in the device cgroup with '
                    '`CgroupPermissions`. A path that holds no device fails the start with `error gathering '
                    'device information while adding custom device "<path>": no such file or directory` (or '
                    '`not a device node`). A privileged container gets every host device and may use any.'),
            },
            'DeviceCgroupRules': {
                'description': berth(
                    'honoured (`type major:minor access`, `*` for any); a malformed rule fails the start with '
                    "`invalid device cgroup rule format: '<rule>'`, as under dockerd."),
            },
            'DeviceRequests': {
                'description': berth(
                    "berth has no device driver (dockerd's are NVIDIA's and CDI), so any request is a 400 "
                    '`could not select device driver "" with capabilities: [[gpu]]` at create.'),
            },
            'KernelMemoryTCP': {
                'description': berth(
                    'applied on cgroup v1 (`memory.kmem.tcp.limit_in_bytes`) where the kernel has it; elsewhere '
                    "discarded with a warning in dockerd's style (`Your kernel does not support kernel memory "
                    'TCP limit capabilities or the cgroup is not mounted. Limitation discarded.`), where '
                    'dockerd passes it to a runtime that ignores it.'),
            },
            'MemorySwappiness': {
                'description': berth(
                    "`-1` means unset. Applied on cgroup v1; on a cgroup v2 host discarded with dockerd's "
                    'warning (v2 has no swappiness).'),
            },
            'OomKillDisable': {
                'description': berth(
                    "applied on cgroup v1 (`memory.oom_control`); on cgroup v2 discarded with dockerd's warning "
                    '`Your kernel does not support OomKillDisable. OomKillDisable discarded.` Without a memory '
                    "limit dockerd's warning about running out of resources is given."),
            },
            'Ulimits': {
                'description': berth(
                    "honoured for the container's processes and its exec processes; each replaces berth's "
                    "default of its name (`nofile` 1048576, `nproc` unlimited, lowered to the engine's own hard "
                    'limits). As under dockerd, the runtime refuses an unknown name (`wrong rlimit value: '
                    "RLIMIT_<NAME>`) or a soft limit above the hard one at start. The daemon's "
                    '`default-ulimits` (`--default-ulimit`) apply to the names a container does not set; '
                    'inspect shows only its own, as dockerd.'),
            },
            'CpuCount': {
                'description': Replace(
                    'The number of usable CPUs (Windows only).\n\n**berth:** a 400 `invalid option: CPU count '
                    'configuration is not\nsupported on linux` (dockerd on Linux drops it unapplied).\n\nOn '
                    'Windows Server containers, the processor resource controls are\nmutually exclusive. The '
                    'order of precedence is `CPUCount` first, then\n`CPUShares`, and `CPUPercent` last.\n'),
            },
            'CpuPercent': {
                'description': Replace(
                    'The usable percentage of the available CPUs (Windows only).\n\n**berth:** as dockerd on '
                    'Linux: discarded with the warning `linux\ndoes not support CPU percent. Percent '
                    'discarded.`\n\nOn Windows Server containers, the processor resource controls are\nmutually '
                    'exclusive. The order of precedence is `CPUCount` first, then\n`CPUShares`, and '
                    '`CPUPercent` last.\n'),
            },
            'IOMaximumIOps': {
                'description': berth(
                    'as dockerd on Linux, this and `IOMaximumBandwidth` are a 400 (`invalid option: QoS maximum '
                    '... configuration is not supported on linux`).'),
            },
        },
    },
})

# Every other create option: honoured as dockerd does. EveryHostConfigFieldTest (engine-server)
# fails when a HostConfig field is neither applied nor refused; SpecTest here when one lacks a fact.
add_notes(BERTH_SCHEMAS, {
    "HostConfig": {"allOf": {1: {"properties": {
        "Binds": {"description": berth(
            "honoured: `volume:/path[:opts]` (a named volume, created if missing, filled from the image unless "
            "`nocopy`) and `/host/path:/path[:opts]`, with `ro`/`rw`, a propagation mode, `z`/`Z` (no effect "
            "without SELinux, as under dockerd) and `nocopy`; a bad mode is a 400 `invalid mode: X`.")},
        "ContainerIDFile": {"description": berth(
            "the client's: the docker CLI writes the file; berth neither reads nor keeps it (inspect shows it "
            "empty).")},
        "NetworkMode": {"description": berth(
            "honoured: `default`/`bridge`, `none`, `host`, `container:<name|id>` and a user-defined network's "
            "name or id.")},
        "PortBindings": {"description": berth(
            "honoured: published on the host (`HostIp`, `HostPort`, ranges, an empty port picks a free one) "
            "while the container runs.")},
        "RestartPolicy": {"description": berth(
            "honoured: `no`, `always`, `unless-stopped`, `on-failure[:N]`, with dockerd's back-off, also "
            "across a berthd restart.")},
        "AutoRemove": {"description": berth(
            "honoured: the container is removed when it exits (with a restart policy, a 400 as dockerd).")},
        "VolumeDriver": {"description": berth(
            "only `local` (or empty) exists; another driver is a 404 as for a missing plugin.")},
        "VolumesFrom": {"description": berth("honoured: `name[:ro|rw]`, as dockerd.")},
        "ConsoleSize": {"description": berth("honoured: the TTY's size from its start.")},
        "CapAdd": {"description": berth("honoured (`ALL` too); an unknown capability is a 400, as dockerd.")},
        "CapDrop": {"description": berth("honoured (`ALL` too); an unknown capability is a 400, as dockerd.")},
        "Dns": {"description": berth("honoured: written to the container's `/etc/resolv.conf`.")},
        "DnsOptions": {"description": berth("honoured: written to the container's `/etc/resolv.conf`.")},
        "DnsSearch": {"description": berth("honoured: written to the container's `/etc/resolv.conf`.")},
        "Privileged": {"description": berth(
            "honoured: every capability, the host's devices, no seccomp filter and no masked or read-only "
            "paths, as dockerd.")},
        "PublishAllPorts": {"description": berth(
            "honoured: every exposed port is published on a free host port.")},
        "ReadonlyRootfs": {"description": berth("honoured: the root filesystem is mounted read-only.")},
        "Tmpfs": {"description": berth("honoured: a tmpfs at each path, with the options given.")},
        "ShmSize": {"description": berth(
            "honoured: the size of the container's own `/dev/shm` (64 MiB by default).")},
        "Mounts": {"description": berth(
            "honoured: `bind`, `volume` and `tmpfs` with their options, checked with dockerd's messages.")},
        "Init": {"description": berth(
            "honoured: the host's tini as PID 1 (`/sbin/docker-init`); none in the host's or another "
            "container's PID namespace, as dockerd.")},
        "LogConfig": {"description": berth(
            "see `Type`; inspect shows the driver and options as filled in at create.")},
    }}}},
    "Resources": {"properties": {
        name: {"description": berth(
            "applied to the container's cgroups at start and changed live by `docker update`, with dockerd's "
            "checks and messages.")}
        for name in ("CpuShares", "Memory", "NanoCpus", "CpuPeriod", "CpuQuota", "CpusetCpus", "CpusetMems",
                     "MemoryReservation", "MemorySwap", "PidsLimit")
    } | {
        name: {"description": berth(
            "as `BlkioWeight`: applied where the host's block I/O controller has the file (the throttles on "
            "cgroup v1 `blkio.throttle.*`, v2 `io.max`; weights `blkio.weight_device`/`io.weight`), else "
            "discarded with dockerd's warning; a path that is not a device fails the start as under dockerd.")}
        for name in ("BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
                     "BlkioDeviceWriteIOps")
    } | {
        "CpuRealtimePeriod": {"description": berth("see `CpuRealtimeRuntime`.")},
        "IOMaximumBandwidth": {"description": berth("see `IOMaximumIOps`: a 400 on Linux, as dockerd.")},
    }},
    "EndpointSettings": {"properties": {
        "DriverOpts": {"description": berth(
            "not supported yet: a non-empty map is a 400 (`berth does not support endpoint driver options yet: "
            "<keys>`), at create and at network connect.")},
        "GwPriority": {"description": berth(
            "not supported yet: anything but 0 is a 400 (`berth does not support gateway priorities on endpoints "
            "yet: N`).")},
    }},
    "ContainerConfig": {"properties": {"Labels": {"description": berth(
        "a `null` value reads as empty, as Go's decoder reads it; a number, boolean, list or object is a 400 "
        "(`invalid JSON: json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Config.Labels "
        "of type string`).")}, "NetworkDisabled": {"description": berth(
        "honoured as dockerd: the container joins no network, so on the default bridge it runs as `none` "
        "(inspect shows `none`); with `host` or `container:` it keeps that namespace. With a user-defined "
        "network it is a 400 `conflicting options: NetworkDisabled and network X`.")}}},
})

# Docker's spec lists a 400 for some operations only; dockerd and berth answer one wherever a body
# or a query parameter does not read (Go's encoding/json, strconv), so every such operation has it.
BAD_INPUT = ("a body that is not JSON or has a value of the wrong type (a number for a string, a string for a "
             "number, a string for a list of strings), or a query parameter that does not read (`t=soon`).")

add_notes(BERTH_OPERATIONS, {
    "NetworkCreate": {"responses": {"409": error(
        "name conflict", "a network of that name exists already (`network with name X already exists`), as dockerd answers.")}},
    "ContainerStart": {"responses": {"400": error(
        "bad parameter", "the container's program cannot be started, e.g. it is not in the image (`failed to create "
        "task for container: OCI runtime create failed: ... executable file not found in $PATH`), as dockerd answers.")}},
})

# Fields dockerd sends as null when unset (its Go types in api/types: no omitempty), and berth too.
add_notes(BERTH_SCHEMAS, {
    "HostConfig": {"allOf": {1: dockerd_nulls("Binds", "VolumesFrom", "CapAdd", "CapDrop", "ExtraHosts", "GroupAdd",
                                              "Links", "SecurityOpt")}},
    "Resources": dockerd_nulls("DeviceCgroupRules", "DeviceRequests", "MemorySwappiness", "OomKillDisable", "Ulimits"),
    "ContainerConfig": dockerd_nulls("Volumes"),
    "EndpointSettings": dockerd_nulls("Links", "Aliases", "DNSNames"),
    "SystemInfo": dockerd_nulls("GenericResources"),
    "PluginsInfo": dockerd_nulls("Authorization"),
    "Volume": dockerd_nulls("Options"),
    "VolumeListResponse": dockerd_nulls("Warnings"),
    "ImageSummary": dockerd_nulls("Labels"),
    "IPAM": dockerd_nulls("Options"),
})
add_notes(BERTH_OPERATIONS, {"ExecInspect": {"responses": {"200": {"content": {"application/json": {"schema":
    dockerd_nulls("ExitCode")}}}}}})

BERTH_EXTRA_SCHEMAS = {
    "JSONMessage": {
        "description": "**berth:** one line of a JSON-lines progress stream (load, import, pull), as dockerd's "
                       "`jsonmessage.JSONMessage`. Docker's spec leaves these bodies undescribed.\n",
        "type": "object",
        "properties": {
            "stream": {"type": "string", "description": "Text for the user, e.g. `Loaded image: busybox:latest\\n`."},
            "status": {"type": "string"},
            "id": {"type": "string"},
            "progress": {"type": "string"},
            "progressDetail": {"$ref": "#/components/schemas/ProgressDetail"},
            "errorDetail": {"$ref": "#/components/schemas/ErrorDetail"},
            "error": {"type": "string", "description": "The same message as `errorDetail.message`."},
        },
    },
}

INFO_DESCRIPTION = f"""\
berth serves the Docker Engine API v1.51 on a Unix socket. This document describes exactly the
routes berthd serves, and nothing more. Operations, parameters and schemas are Docker's
(moby v28.5.2 `api/swagger.yaml`) converted to OpenAPI 3.1; paragraphs that start with
**berth:** say where berth differs or where Docker's spec is silent. A test
(`SpecMatchesRoutesTest`) fails when this document and `DockerApi.routeTable()` disagree.

# Versioning

Every path is served both without a prefix and under a version prefix
`/v{MIN_VERSION[0]}.{MIN_VERSION[1]}` … `/v{MAX_VERSION[0]}.{MAX_VERSION[1]}` (see `servers`):
`/containers/json` and `/v1.44/containers/json` are the same operation. A path without a prefix
is served as the newest version, {MAX_VERSION[0]}.{MAX_VERSION[1]}. A prefix outside that range is a `400`
(`client version 1.12 is too old. Minimum supported API version is 1.24, ...` /
`client version 1.60 is too new. Maximum supported API version is 1.51`). Some answers depend on
the version; the operation says so where they do.

# HTTP

HTTP/1.1 as Go's server (dockerd) speaks it. Connections are kept alive without an idle timeout.
`Connection: close` closes the connection right after the answer, a stream's included when it
ends. An HTTP/1.0 request is answered (`HTTP/1.0` status line, a streamed body without chunked
framing) and the connection then closed. A body the client did not finish or framed wrongly is a
`400` in Go's words (`invalid JSON: unexpected EOF`), after which the connection is closed.

# Errors

An error is an HTTP status with the body `{{"message": "..."}}` (schema `ErrorResponse`) and a
`Content-Type` of exactly `application/json`. 400: a bad argument; 404: no such object, or an
unknown path, or a known path with the wrong method (`page not found`; there is never a 405);
409: a conflict; 500: an internal error; 503: unavailable. `304 Not Modified` is a success with an
empty body. Once a streamed `200` has begun (load, import), errors travel in-band.

# Headers on every response

`Api-Version: 1.51`, `Ostype: linux`, `Docker-Experimental: false`, `Server: berth/<version> (linux)`.

# Open schema model

Clients must ignore properties they do not know in responses. berth ignores unknown query
parameters and unknown request body properties, and matches JSON keys case-insensitively, as Go does.
"""


# --- assembly ---------------------------------------------------------------------------------

def read_operations(path):
    ops = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            method, route = line.split()
            ops.append((method.lower(), route))
    return ops


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for x in node:
            yield from refs(x)


def reachable_schemas(paths, schemas):
    """Names of the schemas `paths` refers to, directly or through other schemas."""
    prefix = "#/components/schemas/"
    todo = [r[len(prefix):] for r in refs(paths) if r.startswith(prefix)]
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            raise SystemExit(f"no schema {name}")
        seen.add(name)
        todo.extend(r[len(prefix):] for r in refs(schemas[name]))
    return sorted(seen)


def build(docker, operations):
    paths = {}
    for method, route in operations:
        op = (docker["paths"].get(route) or {}).get(method)
        if op is None:
            raise SystemExit(f"{method.upper()} {route} is not in Docker's spec")
        converted = convert_operation(op, method, REQUEST_MEDIA)
        merge(converted, BERTH_OPERATIONS.get(op["operationId"], {}))
        takes_input = "requestBody" in converted or any(p["in"] == "query" for p in converted.get("parameters", []))
        if takes_input and "400" not in converted["responses"]:
            converted["responses"]["400"] = error("bad parameter", BAD_INPUT)
        converted["responses"] = dict(sorted(converted["responses"].items()))
        paths.setdefault(route, {})[method] = converted

    all_schemas = {name: convert_schema(s) for name, s in docker["definitions"].items()}
    for name, patch in BERTH_SCHEMAS.items():
        merge(all_schemas[name], patch)
    all_schemas.update(copy.deepcopy(BERTH_EXTRA_SCHEMAS))
    make_dockerd_nulls_nullable(all_schemas)
    make_dockerd_nulls_nullable(paths)
    schemas = {name: all_schemas[name] for name in reachable_schemas(paths, all_schemas)}

    used_tags = {t for ops in paths.values() for op in ops.values() for t in op.get("tags", [])}
    versions = [f"{MAX_VERSION[0]}.{minor}" for minor in range(MIN_VERSION[1], MAX_VERSION[1] + 1)]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "berth Engine API",
            "version": f"{MAX_VERSION[0]}.{MAX_VERSION[1]}",
            "description": INFO_DESCRIPTION,
        },
        "servers": [
            {"url": "/v{version}",
             "description": "With a version prefix: every path is served under each of these versions.",
             "variables": {"version": {"default": versions[-1], "enum": versions}}},
            {"url": "/", "description": "Without a prefix: served as the newest version."},
        ],
        "tags": [t for t in docker["tags"] if t["name"] in used_tags],
        "paths": paths,
        "components": {"schemas": schemas},
    }


# --- output -----------------------------------------------------------------------------------

class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def represent_str(dumper, s):
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(s), style=style)


Dumper.add_representer(str, represent_str)
Dumper.add_representer(Append, represent_str)

HEADER = """\
# berth.yaml: the Docker Engine API as berthd serves it (OpenAPI 3.1).
# Generated by openapi/generate.py from Docker's v1.51 spec and openapi/operations.txt.
# Do not edit by hand: change operations.txt or generate.py and run `python3 openapi/generate.py`.
"""


def render(doc):
    body = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def find_docker_spec():
    for folder in HERE.parents:
        candidate = folder / DOCKER_SPEC_NAME
        if candidate.is_file():
            return candidate
    raise SystemExit(f"{DOCKER_SPEC_NAME} not found above {HERE}; pass --docker-spec")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docker-spec", type=Path, help="Docker's v1.51 swagger.yaml")
    ap.add_argument("--check", action="store_true", help="fail if berth.yaml is out of date")
    args = ap.parse_args()
    docker = yaml.safe_load((args.docker_spec or find_docker_spec()).read_text())
    text = render(build(docker, read_operations(OPERATIONS)))
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is out of date: run python3 {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
