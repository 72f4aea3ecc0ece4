#!/usr/bin/env python3
"""Times the same docker CLI workload against several engines, side by side.

    bench/bench.py [--runs N] [--containers M] [--storage-runs K] [--pull-registry HOST:PORT [--pull-runs K]]
                   NAME=DOCKER_HOST [NAME=DOCKER_HOST ...]

e.g.  bench/bench.py berth=unix:///run/berth/berth.sock dockerd=unix:///var/run/docker.sock

Each engine gets a busybox image (imported from the host's static busybox if missing), then:
  run   `docker run --rm --network none busybox true`, N times after 3 warm-ups
  exec  `docker exec <ctr> true` in a running container, N times after 3 warm-ups
  ps    `docker ps -a` with M extra stopped containers present, N times
  cp in    `docker cp <100 MB file> <ctr>:/tmp/big.bin`, K times after 1 warm-up
  cp out   `docker cp <ctr>:/tmp/big.bin <local file>`, K times after 1 warm-up
  commit   `docker commit` of a stopped container holding 10,000 small files, K times; the
           image is removed (untimed) after each, so every commit writes its layer afresh
Times are wall-clock for the whole CLI command, as a user sees them. Containers use
`--network none` so every engine does the same work (no bridge set-up). `--storage-runs 0`
skips the storage workloads.

With --daemon NAME='COMMAND', bench.py starts engine NAME itself (COMMAND is run by sh and must
exec the daemon, so its PID is the daemon's; it must listen on the engine's DOCKER_HOST) and adds:
  start-up   launch to the first answered `GET /_ping`, with a warm data root: one untimed start
             (which may create the data root), then --start-runs timed ones, each stopped by SIGTERM
  RSS        the daemon's VmRSS at rest (1 s after its first ping), after the workloads, with
             --running-containers `sleep` containers running (and per running container), and
             after they are removed
The daemon is stopped (SIGTERM to its PID) at the end.

With --ps-containers M2[,M3...], `ps -a` again with M2 (then M3, ...) stopped containers (created
through the API, not the CLI, to save time), N times through the CLI and N times as the API call
alone (`GET /containers/json?all=1`: the engine's share, without the CLI's own start-up), then N
times that call right after a write (a rename of one of them), which no cached list can answer.

With --network-runs K (> 0), the network workloads:
  run bridge    `docker run --rm busybox true` on the default bridge network, N times after 3 warm-ups
  run none      the same with `--network none`, for the pair's difference: the bridge's cost
  TCP           container to container over a user-defined bridge: `wget` of a 1000 MiB file that
                busybox httpd serves from a tmpfs, timed inside the client with `time`, K times
Traffic stays on the engine's own bridge; nothing leaves the machine.

With --build-runs K (> 0), `docker build` with the classic builder (DOCKER_BUILDKIT=0) of a
10-step Dockerfile from busybox (ENV, ARG, WORKDIR, two COPYs, two RUNs, LABEL, CMD), RUN with
`--network none` so every engine does the same work:
  build cold    `docker build --no-cache`, K times
  build cached  `docker build` with every step in the cache, K times after 1 warm-up
--build-only skips the other workloads.

With --pull-registry (a registry the engines reach over plain HTTP, e.g. docker-registry on
127.0.0.1), a 50 MB image of 5 incompressible 10 MB layers is put there with skopeo, and then:
  pull cold   `docker pull` after `docker rmi` of the image (its layers are unique, so they go too), K times
  pull warm   `docker pull` of the image already present, K times after 1 warm-up
  warm API    the same warm pull as one `POST /images/create` on the engine's socket, without the
              CLI's own start-up: the engine's time

With --logs-mb M (> 0), the log workloads on the default json-file driver:
  write       a container writes M MiB to its log, `yes | head -c <M MiB>` (lines of "y"; with
              --logs-line TEXT, `yes TEXT`): MiB/s from `docker run -d` to its exit
  logs        `docker logs` of the whole log to /dev/null, once per 10 runs
  tail 100    `docker logs --tail 100`, N times
  tail API    the same as one `GET /containers/{id}/logs?tail=100` on the engine's socket: the engine's time
With --scale CREATED,RUNNING[,CYCLES] (e.g. 1000,100,1000) and --daemon for the engine, the scale
workloads (containers made through the API, to save time; --scale-only skips all the others):
  set-up     CREATED containers created (label berth-bench-group=0..99 in turn), the first RUNNING
             of them started running `sleep`
  queries    N times each, through the CLI and as the API call alone: `ps -a`, `ps`, `inspect` of
             one container, `events --since/--until` over the set-up (a bounded replay),
             `stats --no-stream` of one container and of all running ones, and
             `GET /containers/json?all=1&filters={"label":["berth-bench-group=7"]}`
  RSS        the daemon's at rest, after the set-up, after the queries and after removing all
  cycles     CYCLES create/start/wait/rm cycles of `true`, with the daemon's fds (/proc/<pid>/fd) and
             threads (/proc/<pid>/task), the host's mounts naming its data or exec root, the cgroup
             directories under its --cgroup-parent, the files in <exec-root>/netns and the processes
             naming its exec root (conmon, or containerd and its shims) counted at rest, before and
             after, and once more after 65 s idle (pool threads end after their keep-alive)
The roots and cgroup parent are read from the --daemon command line (--data-root, --exec-root,
--cgroup-parent).
"""
import argparse
import hashlib
import http.client
import io
import json
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOTFS = os.path.join(HERE, "..", "packaging", "busybox-rootfs.sh")
LABEL = "berth-bench=1"


def docker(host, *args, stdin=None, check=True):
    env = dict(os.environ, DOCKER_HOST=host)
    env.pop("DOCKER_API_VERSION", None)
    r = subprocess.run(["docker", *args], env=env, input=stdin, capture_output=True)
    if check and r.returncode != 0:
        sys.exit(f"docker {' '.join(args)} against {host} failed: {r.stderr.decode().strip()}")
    return r


def timed(host, args, n):
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        docker(host, *args)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def stats(samples):
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return statistics.median(s), p95


def ensure_busybox(host):
    if docker(host, "image", "inspect", "busybox:latest", check=False).returncode == 0:
        return
    tar = subprocess.run([ROOTFS], capture_output=True, check=True).stdout
    docker(host, "import", "--change", 'CMD ["sh"]', "-", "busybox:latest", stdin=tar)


def cleanup(host):
    ids = docker(host, "ps", "-aq", "--filter", "label=" + LABEL).stdout.decode().split()
    for i in range(0, len(ids), 50):
        docker(host, "rm", "-f", *ids[i:i + 50])


BIG_MB = 100
SMALL_FILES = 10000


def storage_bench(host, runs, workdir):
    """cp of a 100 MB file both ways, and commit of a container with 10k small files."""
    big = os.path.join(workdir, "big.bin")
    if not os.path.exists(big):
        with open(big, "wb") as f:
            for _ in range(BIG_MB):
                f.write(os.urandom(1024 * 1024))
    out = os.path.join(workdir, "big.out")
    ctr = docker(host, "run", "-d", "--network", "none", "--label", LABEL, "busybox", "sleep", "600").stdout.decode().strip()
    cp_in = ["cp", big, ctr + ":/tmp/big.bin"]
    cp_out = ["cp", ctr + ":/tmp/big.bin", out]
    timed(host, cp_in, 1)
    in_ms = stats(timed(host, cp_in, runs))
    timed(host, cp_out, 1)
    out_ms = stats(timed(host, cp_out, runs))
    with open(big, "rb") as a, open(out, "rb") as b:
        if a.read() != b.read():
            sys.exit(f"docker cp against {host} did not round-trip the file")
    os.remove(out)
    docker(host, "rm", "-f", ctr)

    script = f"mkdir /many; i=0; while [ $i -lt {SMALL_FILES} ]; do echo $i > /many/f$i; i=$((i+1)); done"
    many = docker(host, "create", "--network", "none", "--label", LABEL, "busybox", "sh", "-c", script).stdout.decode().strip()
    docker(host, "start", "-a", many)
    samples = []
    for i in range(runs):
        tag = f"berth-bench-commit:{i}"
        t0 = time.perf_counter()
        docker(host, "commit", many, tag)
        samples.append((time.perf_counter() - t0) * 1000)
        docker(host, "rmi", tag)
    commit_ms = stats(samples)
    docker(host, "rm", "-f", many)
    return in_ms, out_ms, commit_ms


BUILD_DOCKERFILE = """FROM busybox
ENV A=1
ARG B=2
WORKDIR /app
COPY a.txt .
RUN echo $A $B > /app/b.txt
COPY dir/ ./dir/
RUN cat a.txt b.txt > c.txt
LABEL berth-bench=1
CMD ["cat", "/app/c.txt"]
"""


def bench_build(host, runs, workdir):
    """docker build of a 10-step Dockerfile with the classic builder: cold (--no-cache) and fully cached."""
    ctx = os.path.join(workdir, "build-context")
    os.makedirs(os.path.join(ctx, "dir"), exist_ok=True)
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write(BUILD_DOCKERFILE)
    with open(os.path.join(ctx, "a.txt"), "w") as f:
        f.write("a\n")
    for i in range(20):
        with open(os.path.join(ctx, "dir", f"f{i}"), "w") as f:
            f.write(f"{i}\n")
    env = dict(os.environ, DOCKER_HOST=host, DOCKER_BUILDKIT="0")
    env.pop("DOCKER_API_VERSION", None)

    def build(*args):
        t0 = time.perf_counter()
        r = subprocess.run(["docker", "build", "--network", "none", *args, ctx], env=env, capture_output=True)
        if r.returncode != 0:
            sys.exit(f"docker build against {host} failed: {r.stderr.decode()}")
        return (time.perf_counter() - t0) * 1000, r.stdout.decode()

    cold = [build("--no-cache", "-t", "berth-bench-build:cold")[0] for _ in range(runs)]
    build("-t", "berth-bench-build:warm")
    cached = []
    for _ in range(runs):
        ms, out = build("-t", "berth-bench-build:warm")
        if out.count("Using cache") != 9:
            sys.exit(f"the cached build against {host} was not all cached:\n{out}")
        cached.append(ms)
    docker(host, "rmi", "berth-bench-build:cold", "berth-bench-build:warm", check=False)
    docker(host, "image", "prune", "-f", check=False)
    return stats(cold), stats(cached)


def bench(name, host, runs, containers):
    ensure_busybox(host)
    cleanup(host)
    run = ["run", "--rm", "--network", "none", "--label", LABEL, "busybox", "true"]
    timed(host, run, 3)
    run_ms = stats(timed(host, run, runs))
    ctr = docker(host, "run", "-d", "--network", "none", "--label", LABEL, "busybox", "sleep", "600").stdout.decode().strip()
    timed(host, ["exec", ctr, "true"], 3)
    exec_ms = stats(timed(host, ["exec", ctr, "true"], runs))
    docker(host, "rm", "-f", ctr)
    for _ in range(containers):
        docker(host, "create", "--network", "none", "--label", LABEL, "busybox", "true")
    timed(host, ["ps", "-a"], 3)
    ps_ms = stats(timed(host, ["ps", "-a"], runs))
    cleanup(host)
    return run_ms, exec_ms, ps_ms


NET_MIB = 1000


def bench_network(host, runs, tcp_runs):
    ensure_busybox(host)
    cleanup(host)
    bridge = ["run", "--rm", "--label", LABEL, "busybox", "true"]
    none = ["run", "--rm", "--network", "none", "--label", LABEL, "busybox", "true"]
    timed(host, bridge, 3)
    bridge_ms = stats(timed(host, bridge, runs))
    timed(host, none, 3)
    none_ms = stats(timed(host, none, runs))
    net = "berth-bench-net"
    docker(host, "network", "rm", net, check=False)
    docker(host, "network", "create", "--label", LABEL, net)
    try:
        docker(host, "run", "-d", "--name", "berth-bench-srv", "--network", net, "--label", LABEL,
               "--tmpfs", f"/www:size={NET_MIB + 100}m", "busybox", "sh", "-c",
               f"dd if=/dev/zero of=/www/big bs=1M count={NET_MIB} 2>/dev/null && touch /www/ready "
               "&& exec httpd -f -p 8080 -h /www")
        deadline = time.monotonic() + 60
        while docker(host, "exec", "berth-bench-srv", "test", "-f", "/www/ready", check=False).returncode != 0:
            if time.monotonic() > deadline:
                sys.exit(f"the bench server on {host} did not get ready")
            time.sleep(0.1)
        rates = []
        for _ in range(tcp_runs):
            r = docker(host, "run", "--rm", "--network", net, "--label", LABEL, "busybox", "sh", "-c",
                       "time wget -qO /dev/null http://berth-bench-srv:8080/big")
            # busybox time: "real\t0m 0.45s" on stderr
            real = [l for l in r.stderr.decode().splitlines() if l.startswith("real")][0].split()
            seconds = float(real[1].rstrip("m")) * 60 + float(real[2].rstrip("s"))
            rates.append(NET_MIB * 1048576 / 1e6 / seconds)
    finally:
        docker(host, "rm", "-f", "berth-bench-srv", check=False)
        docker(host, "network", "rm", net, check=False)
    return bridge_ms, none_ms, (statistics.median(rates), min(rates))


PULL_REPO = "berth-bench/pull"
PULL_TAG = "50mb"
PULL_LAYERS = 5
PULL_LAYER_BYTES = 10 * 1000 * 1000


def _tar_of(name, data):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 1704067200
        t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def put_pull_image(registry):
    """A docker-save archive of 5 layers of seeded random bytes, copied into the registry with skopeo."""
    rnd = random.Random(20240101)
    layers = [_tar_of(f"data/layer{i}.bin", rnd.randbytes(PULL_LAYER_BYTES)) for i in range(PULL_LAYERS)]
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"COPY layer{i}"} for i in range(PULL_LAYERS)],
    }).encode()
    with tempfile.TemporaryDirectory() as d:
        archive = os.path.join(d, "image.tar")
        with tarfile.open(archive, "w") as t:
            def add(name, data):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            add("config.json", config)
            for i, l in enumerate(layers):
                add(f"layer{i}.tar", l)
            add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": [f"{PULL_REPO}:{PULL_TAG}"],
                                              "Layers": [f"layer{i}.tar" for i in range(PULL_LAYERS)]}]).encode())
        subprocess.run(["skopeo", "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false",
                        "docker-archive:" + archive, f"docker://{registry}/{PULL_REPO}:{PULL_TAG}"], check=True)


def api_call(host, method, path, body=None, timeout=60):
    """One API call on the engine's socket; (status, body bytes)."""
    u = urllib.parse.urlparse(host)
    if u.scheme == "unix":
        conn = http.client.HTTPConnection("localhost", timeout=timeout)
        conn.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.sock.settimeout(timeout)
        conn.sock.connect(u.path)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port or 2375, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def api_ms(host, method, path, n):
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, _ = api_call(host, method, path)
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            sys.exit(f"{method} {path} against {host} answered {status}")
    return samples


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Daemon:
    """An engine bench.py starts and stops itself, to time its start-up and read its memory."""

    def __init__(self, host, command):
        self.host, self.command, self.proc = host, command, None

    def start(self, timeout=120):
        """Starts the daemon; milliseconds from launch to the first answered /_ping."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(["sh", "-c", "exec " + self.command], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        while True:
            try:
                status, _ = api_call(self.host, "GET", "/_ping", timeout=5)
                if status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"{self.command!r} exited with {self.proc.returncode} before answering /_ping")
            if time.perf_counter() - t0 > timeout:
                self.stop()
                sys.exit(f"{self.command!r} did not answer /_ping within {timeout} s")
            time.sleep(0.002)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def rss(self):
        return rss_mib(self.proc.pid)


def bench_startup(daemon, runs):
    """One untimed start (the data root may be new, the launcher may build), then `runs` timed starts;
    leaves the daemon running."""
    daemon.start(timeout=900)
    samples = []
    for _ in range(runs):
        daemon.stop()
        samples.append(daemon.start())
    time.sleep(1)
    return stats(samples), min(samples), daemon.rss()


def bench_running(host, daemon, count):
    """RSS with `count` running containers, per container over the RSS before, and after removing them."""
    ensure_busybox(host)
    cleanup(host)
    before = daemon.rss()
    for _ in range(count):
        docker(host, "run", "-d", "--network", "none", "--label", LABEL, "busybox", "sleep", "600")
    time.sleep(1)
    running = daemon.rss()
    cleanup(host)
    time.sleep(1)
    return before, running, (running - before) * 1024 / count, daemon.rss()


def bench_ps_large(host, counts, runs):
    """`ps -a` through the CLI and as the API call alone, with each of `counts` stopped containers; and the
    API call again right after a write (a rename), which leaves no cached list to answer from."""
    ensure_busybox(host)
    cleanup(host)
    body = {"Image": "busybox", "Cmd": ["true"], "Labels": {"berth-bench": "1"}, "HostConfig": {"NetworkMode": "none"}}
    made = 0
    out_rows = []
    for count in sorted(counts):
        for _ in range(count - made):
            status, out = api_call(host, "POST", "/containers/create", body)
            if status != 201:
                sys.exit(f"create against {host} answered {status}: {out[:300]!r}")
            renamed = json.loads(out)["Id"]
        made = count
        timed(host, ["ps", "-a"], 3)
        cli = stats(timed(host, ["ps", "-a"], runs))
        api_ms(host, "GET", "/containers/json?all=1", 3)
        api = stats(api_ms(host, "GET", "/containers/json?all=1", runs))
        after_write = []
        for i in range(runs):
            status, out = api_call(host, "POST", f"/containers/{renamed}/rename?name=berth-bench-ps-{count}-{i}")
            if status != 204:
                sys.exit(f"rename against {host} answered {status}: {out[:300]!r}")
            after_write += api_ms(host, "GET", "/containers/json?all=1", 1)
        out_rows.append((count, cli, api, stats(after_write)))
    cleanup(host)
    return out_rows


SCALE_LABEL = "berth-bench-group"
SCALE_IDLE_S = 65


def daemon_roots(command):
    """--data-root, --exec-root and --cgroup-parent of a daemon's command line."""
    words = shlex.split(command)
    roots = {}
    for i, w in enumerate(words):
        for flag in ("--data-root", "--exec-root", "--cgroup-parent"):
            if w == flag and i + 1 < len(words):
                roots[flag[2:]] = words[i + 1]
            elif w.startswith(flag + "="):
                roots[flag[2:]] = w.split("=", 1)[1]
    return roots


def residue(pid, roots):
    """What a daemon holds and what it has on the host, counted: fds, threads, mounts, cgroups, netns, monitors."""
    counts = {"fds": len(os.listdir(f"/proc/{pid}/fd")), "threads": len(os.listdir(f"/proc/{pid}/task"))}
    named = [r for r in (roots.get("data-root"), roots.get("exec-root")) if r]
    with open("/proc/self/mountinfo") as f:
        counts["mounts"] = sum(1 for line in f if any(r in line for r in named))
    parent = roots.get("cgroup-parent", "").strip("/")
    cgroups = 0
    if parent:
        for controller in os.listdir("/sys/fs/cgroup"):
            top = os.path.join("/sys/fs/cgroup", controller, parent)
            for _, dirs, _ in os.walk(top):
                cgroups += len(dirs)
    counts["cgroups"] = cgroups
    netns = os.path.join(roots.get("exec-root", "/nonexistent"), "netns")
    counts["netns"] = len(os.listdir(netns)) if os.path.isdir(netns) else 0
    monitors = 0
    exec_root = roots.get("exec-root")
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) in (pid, os.getpid()):
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if exec_root and exec_root in cmd:
            monitors += 1
    counts["processes"] = monitors
    return counts


def api_ok(host, method, path, body=None, want=(200, 201, 204)):
    status, out = api_call(host, method, path, body)
    if status not in want:
        sys.exit(f"{method} {path} against {host} answered {status}: {out[:300]!r}")
    return out


def bench_scale(host, daemon, roots, created, running, cycles, runs):
    """CREATED containers, RUNNING of them running: the queries' times, RSS, and residue before/after CYCLES cycles."""
    ensure_busybox(host)
    cleanup(host)
    time.sleep(1)
    rss = {"at rest": daemon.rss()}
    rest = residue(daemon.proc.pid, roots)
    since = int(time.time()) - 1
    ids = []
    for i in range(created):
        body = {"Image": "busybox", "Cmd": ["sleep", "3600"],
                "Labels": {"berth-bench": "1", SCALE_LABEL: str(i % 100)}, "HostConfig": {"NetworkMode": "none"}}
        ids.append(json.loads(api_ok(host, "POST", "/containers/create", body))["Id"])
    for ctr in ids[:running]:
        api_ok(host, "POST", f"/containers/{ctr}/start")
    until = int(time.time()) + 1
    time.sleep(max(0.0, until - time.time()) + 0.1)
    rss["after the set-up"] = daemon.rss()
    one = ids[0]
    label = urllib.parse.quote(json.dumps({"label": [f"{SCALE_LABEL}=7"]}))
    queries = [
        ("`ps -a`", ["ps", "-a"], "/containers/json?all=1"),
        ("`ps`", ["ps"], "/containers/json"),
        ("`inspect` of one", ["inspect", one], f"/containers/{one}/json"),
        (f"`events` replay ({created} + {running} events)", ["events", "--since", str(since), "--until", str(until)],
         f"/events?since={since}&until={until}"),
        ("`stats --no-stream` of one", ["stats", "--no-stream", one], f"/containers/{one}/stats?stream=false"),
        (f"`stats --no-stream`, all {running}", ["stats", "--no-stream"], None),
        ("label filter, 10 of all", ["ps", "-a", "--filter", f"label={SCALE_LABEL}=7"],
         f"/containers/json?all=1&filters={label}"),
    ]
    rows = []
    for title, args, path in queries:
        n = max(3, runs // 5) if args[:2] == ["stats", "--no-stream"] and len(args) == 2 else runs
        timed(host, args, 1)
        cli = stats(timed(host, args, n))
        api = None
        if path is not None:
            api_ms(host, "GET", path, 1)
            api = stats(api_ms(host, "GET", path, n))
        rows.append((title, n, cli, api, load()))
    rss["after the queries"] = daemon.rss()
    for i in range(0, len(ids), 50):
        docker(host, "rm", "-f", *ids[i:i + 50])
    time.sleep(1)
    rss["after removing them"] = daemon.rss()
    before = residue(daemon.proc.pid, roots)
    body = {"Image": "busybox", "Cmd": ["true"], "Labels": {"berth-bench": "1"}, "HostConfig": {"NetworkMode": "none"}}
    t0 = time.perf_counter()
    for _ in range(cycles):
        ctr = json.loads(api_ok(host, "POST", "/containers/create", body))["Id"]
        api_ok(host, "POST", f"/containers/{ctr}/start")
        api_ok(host, "POST", f"/containers/{ctr}/wait")
        api_ok(host, "DELETE", f"/containers/{ctr}")
    cycle_ms = (time.perf_counter() - t0) * 1000 / max(1, cycles)
    time.sleep(2)
    after = residue(daemon.proc.pid, roots)
    rss["after the cycles"] = daemon.rss()
    # Idle pool threads (virtual thread carriers, process reapers) end after their keep-alive.
    time.sleep(SCALE_IDLE_S)
    idle = residue(daemon.proc.pid, roots)
    return rows, rss, rest, before, after, idle, cycle_ms


def load():
    return os.getloadavg()[0]


def api_pull_ms(host, ref, tag):
    """One POST /images/create on the engine's socket, read to the end; milliseconds."""
    u = urllib.parse.urlparse(host)
    if u.scheme == "unix":
        conn = http.client.HTTPConnection("localhost")
        conn.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.sock.connect(u.path)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port or 2375)
    q = urllib.parse.urlencode({"fromImage": ref, "tag": tag})
    t0 = time.perf_counter()
    conn.request("POST", "/images/create?" + q, headers={"X-Registry-Auth": "e30"})
    body = conn.getresponse().read()
    ms = (time.perf_counter() - t0) * 1000
    conn.close()
    if b"Image is up to date" not in body:
        sys.exit(f"warm API pull against {host} did not find the image up to date: {body[-300:]!r}")
    return ms


def bench_pull(host, registry, runs):
    ref = f"{registry}/{PULL_REPO}:{PULL_TAG}"
    cold = []
    for _ in range(runs):
        docker(host, "rmi", "-f", ref, check=False)
        t0 = time.perf_counter()
        docker(host, "pull", "-q", ref)
        cold.append((time.perf_counter() - t0) * 1000)
    timed(host, ["pull", "-q", ref], 1)
    warm = timed(host, ["pull", "-q", ref], runs)
    api = [api_pull_ms(host, f"{registry}/{PULL_REPO}", PULL_TAG) for _ in range(runs)]
    docker(host, "rmi", "-f", ref, check=False)
    return stats(cold), stats(warm), stats(api)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def api_logs_ms(host, ctr, runs):
    samples = []
    for _ in range(runs):
        conn = UnixHTTPConnection(urllib.parse.urlparse(host).path)
        t0 = time.perf_counter()
        conn.request("GET", f"/containers/{ctr}/logs?stdout=1&stderr=1&tail=100")
        conn.getresponse().read()
        samples.append((time.perf_counter() - t0) * 1000)
        conn.close()
    return samples


def bench_logs(host, mb, runs, line):
    """A container's log throughput, and reading a big log whole and its tail."""
    ensure_busybox(host)
    cleanup(host)
    what = "yes" if line is None else "yes " + shlex.quote(line)
    t0 = time.perf_counter()
    ctr = docker(host, "run", "-d", "--network", "none", "--label", LABEL, "busybox", "sh", "-c",
                 f"{what} | head -c {mb * 1024 * 1024}").stdout.decode().strip()
    docker(host, "wait", ctr)
    write_mbs = mb / (time.perf_counter() - t0)
    whole = []
    for _ in range(max(1, runs // 10)):
        env = dict(os.environ, DOCKER_HOST=host)
        t0 = time.perf_counter()
        subprocess.run(["docker", "logs", ctr], env=env, stdout=subprocess.DEVNULL, check=True)
        whole.append((time.perf_counter() - t0) * 1000)
    tail = stats(timed(host, ["logs", "--tail", "100", ctr], runs))
    api = stats(api_logs_ms(host, ctr, runs))
    docker(host, "rm", "-f", ctr)
    return write_mbs, stats(whole), tail, api


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--containers", type=int, default=200)
    p.add_argument("--storage-runs", type=int, default=5)
    p.add_argument("--pull-registry", metavar="HOST:PORT",
                   help="also time pulls of a 50 MB, 5-layer image from this plain-HTTP registry")
    p.add_argument("--pull-runs", type=int, default=5)
    p.add_argument("--pull-only", action="store_true", help="skip run/exec/ps; needs --pull-registry")
    p.add_argument("--network-runs", type=int, default=0, help="also time bridge runs and TCP throughput")
    p.add_argument("--network-only", action="store_true", help="skip the other workloads; needs --network-runs")
    p.add_argument("--daemon", action="append", default=[], metavar="NAME=COMMAND",
                   help="start engine NAME with COMMAND (which must exec it) to time start-up and read its RSS")
    p.add_argument("--start-runs", type=int, default=10)
    p.add_argument("--running-containers", type=int, default=100,
                   help="with --daemon: RSS with this many running containers (0 skips)")
    p.add_argument("--ps-containers", default="", metavar="M2[,M3...]",
                   help="also time `ps -a` with this many containers, e.g. 200,2000")
    p.add_argument("--daemon-only", action="store_true",
                   help="with --daemon: only start-up and RSS (and --ps-containers), not the other workloads")
    p.add_argument("--logs-mb", type=int, default=0, help="also time a container's log of this many MiB")
    p.add_argument("--logs-line", metavar="TEXT", help="the line `yes` repeats for --logs-mb (default y)")
    p.add_argument("--build-runs", type=int, default=0, help="also time docker build (classic builder), cold and cached")
    p.add_argument("--build-only", action="store_true", help="skip the other workloads; needs --build-runs")
    p.add_argument("--scale", default="", metavar="CREATED,RUNNING[,CYCLES]",
                   help="with --daemon: the scale workloads, e.g. 1000,100,1000")
    p.add_argument("--scale-only", action="store_true", help="with --daemon and --scale: only the scale workloads")
    p.add_argument("engines", nargs="+", metavar="NAME=DOCKER_HOST")
    a = p.parse_args()
    if a.pull_only and not a.pull_registry:
        p.error("--pull-only needs --pull-registry")
    if a.network_only and a.network_runs <= 0:
        p.error("--network-only needs --network-runs")
    if a.build_only and a.build_runs <= 0:
        p.error("--build-only needs --build-runs")
    if a.scale_only and not a.scale:
        p.error("--scale-only needs --scale")
    daemons = {}
    for spec in a.daemon:
        name, eq, command = spec.partition("=")
        if not eq or not command:
            p.error(f"--daemon wants NAME=COMMAND, got {spec!r}")
        daemons[name] = command
    rows = []
    daemon_rows = []
    ps_rows = []
    build_rows = []
    net_rows = []
    storage_rows = []
    pulls = []
    log_rows = []
    scale_rows = []
    if a.pull_registry:
        print(f"putting the pull image into {a.pull_registry} ...", file=sys.stderr)
        put_pull_image(a.pull_registry)
    workdir = tempfile.mkdtemp(prefix="berth-bench-")
    try:
        for spec in a.engines:
            name, _, host = spec.partition("=")
            print(f"benchmarking {name} at {host} ...", file=sys.stderr)
            daemon = Daemon(host, daemons[name]) if name in daemons else None
            try:
                if a.scale and daemon is None:
                    sys.exit(f"--scale needs --daemon for {name}, to read its memory, fds and threads")
                if a.scale_only:
                    daemon.start(timeout=900)
                else:
                    bench_engine(a, name, host, daemon, workdir, rows, daemon_rows, ps_rows, net_rows, storage_rows,
                                 pulls, log_rows, build_rows)
                if a.scale:
                    created, running, *cycles = [int(n) for n in a.scale.split(",")]
                    scale_rows.append((name, *bench_scale(host, daemon, daemon_roots(daemons[name]), created, running,
                                                          cycles[0] if cycles else created, a.runs)))
            finally:
                if daemon is not None:
                    daemon.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_scale(a, scale_rows)
    print_results(a, rows, daemon_rows, ps_rows, net_rows, storage_rows, pulls, log_rows, build_rows)


def print_scale(a, scale_rows):
    if not scale_rows:
        return
    print(f"| engine | with {a.scale.split(',')[0]} created, {a.scale.split(',')[1]} running | runs | CLI median | p95 | "
          "API only median | p95 | load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, rows, *_ in scale_rows:
        for title, n, (cm, cp), api, ld in rows:
            a_ = f"{api[0]:.1f} ms | {api[1]:.1f} ms" if api else "- | -"
            print(f"| {name} | {title} | {n} | {cm:.0f} ms | {cp:.0f} ms | {a_} | {ld:.1f} |")
    print()
    names = list(scale_rows[0][2])
    print("| engine | " + " | ".join(f"RSS {k}" for k in names) + " |")
    print("|---|" + "---:|" * len(names))
    for name, _, rss, *_ in scale_rows:
        print(f"| {name} | " + " | ".join(f"{rss[k]:.1f} MiB" for k in names) + " |")
    print()
    keys = list(scale_rows[0][3])
    print("| engine | cycles | ms per cycle | " + " | ".join(f"{k}: at rest, before, after, idle" for k in keys) + " |")
    print("|---|---:|---:|" + "---:|" * len(keys))
    cycles = a.scale.split(",")[2] if len(a.scale.split(",")) > 2 else a.scale.split(",")[0]
    for name, _, _, rest, before, after, idle, cycle_ms in scale_rows:
        print(f"| {name} | {cycles} | {cycle_ms:.0f} | "
              + " | ".join(f"{rest[k]}, {before[k]}, {after[k]}, {idle[k]}" for k in keys) + " |")
    print(f"\nat rest: before the set-up; before: after removing the set-up's containers; after: 2 s after the "
          f"cycles; idle: {SCALE_IDLE_S} s later")
    print(f"cycles: create, start, wait, delete of `true` through the API; `docker` CLI {docker_version()}; "
          f"load at the end {load():.1f}\n")


def bench_engine(a, name, host, daemon, workdir, rows, daemon_rows, ps_rows, net_rows, storage_rows, pulls,
                 log_rows, build_rows):
    if daemon is not None:
        startup = bench_startup(daemon, a.start_runs)
    if a.ps_containers:
        for count, cli, api, after_write in bench_ps_large(host, [int(n) for n in a.ps_containers.split(",")],
                                                           a.runs):
            ps_rows.append((name, count, cli, api, after_write))
    if not (daemon is not None and a.daemon_only):
        bench_workloads(a, name, host, workdir, rows, net_rows, storage_rows, pulls, log_rows, build_rows)
    if daemon is not None:
        after = daemon.rss()
        running = bench_running(host, daemon, a.running_containers) if a.running_containers > 0 else None
        daemon_rows.append((name, startup, after, running))


def bench_workloads(a, name, host, workdir, rows, net_rows, storage_rows, pulls, log_rows, build_rows):
    if a.build_runs > 0:
        ensure_busybox(host)
        build_rows.append((name, *bench_build(host, a.build_runs, workdir)))
    if a.build_only:
        return
    if a.logs_mb > 0:
        log_rows.append((name, *bench_logs(host, a.logs_mb, a.runs, a.logs_line)))
    if a.network_runs > 0:
        net_rows.append((name, *bench_network(host, a.runs, a.network_runs)))
    if a.network_only:
        return
    if not a.pull_only:
        rows.append((name, *bench(name, host, a.runs, a.containers)))
        if a.storage_runs > 0:
            ensure_busybox(host)
            storage_rows.append((name, *storage_bench(host, a.storage_runs, workdir)))
            cleanup(host)
    if a.pull_registry:
        pulls.append((name, *bench_pull(host, a.pull_registry, a.pull_runs)))


def print_results(a, rows, daemon_rows, ps_rows, net_rows, storage_rows, pulls, log_rows, build_rows):
    if daemon_rows:
        print(f"| engine | start to first `/_ping` median | p95 | fastest | RSS at rest | after the workloads | "
              f"{a.running_containers} running | per running container | after removing them |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, ((sm, sp), sf, rest), after, running in daemon_rows:
            r = (f"{running[1]:.1f} MiB | {running[2]:.0f} KiB | {running[3]:.1f} MiB" if running
                 else "- | - | -")
            print(f"| {name} | {sm:.0f} ms | {sp:.0f} ms | {sf:.0f} ms | {rest:.1f} MiB | {after:.1f} MiB | {r} |")
        print(f"\n{a.start_runs} timed starts each after 1 untimed start\n")
    if ps_rows:
        print("| engine | containers | `ps -a` median | p95 | `GET /containers/json?all=1` median | p95 | "
              "the same after a write, median | p95 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, count, (cm, cp), (am, ap), (wm, wp) in ps_rows:
            print(f"| {name} | {count} | {cm:.0f} ms | {cp:.0f} ms | {am:.1f} ms | {ap:.1f} ms | {wm:.1f} ms | "
                  f"{wp:.1f} ms |")
        print(f"\n{a.runs} timed runs each after 3 warm-ups\n")
    if log_rows:
        print(f"| engine | write {a.logs_mb} MiB | `logs` whole median | p95 | `logs --tail 100` median | p95 | "
              "tail, API only median | p95 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, w, (lm, lp), (tm, tp), (am, ap) in log_rows:
            print(f"| {name} | {w:.1f} MiB/s | {lm:.0f} ms | {lp:.0f} ms | {tm:.0f} ms | {tp:.0f} ms | {am:.1f} ms | "
                  f"{ap:.1f} ms |")
        print()
    if build_rows:
        print("| engine | `build` 10 steps cold median | p95 | `build` fully cached median | p95 |")
        print("|---|---:|---:|---:|---:|")
        for name, (cm, cp), (wm, wp) in build_rows:
            print(f"| {name} | {cm:.0f} ms | {cp:.0f} ms | {wm:.0f} ms | {wp:.0f} ms |")
        print(f"\n{a.build_runs} timed builds each (cached after 1 warm-up), DOCKER_BUILDKIT=0; "
              f"`docker` CLI {docker_version()}\n")
        if a.build_only:
            return
    if net_rows:
        print("| engine | `run --rm true` bridge median | p95 | `--network none` median | p95 | "
              f"TCP container to container ({NET_MIB} MiB) median | slowest |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, (bm, bp), (nm, np_), (tm, tl) in net_rows:
            print(f"| {name} | {bm:.0f} ms | {bp:.0f} ms | {nm:.0f} ms | {np_:.0f} ms | {tm:.0f} MB/s | {tl:.0f} MB/s |")
        print(f"\n{a.runs} timed runs each after 3 warm-ups, {a.network_runs} transfers; "
              f"`docker` CLI {docker_version()}\n")
    if pulls:
        print("| engine | `pull` cold (50 MB, 5 layers) median | p95 | `pull` warm median | p95 | warm, API only median | p95 |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, (cm, cp), (wm, wp), (am, ap) in pulls:
            print(f"| {name} | {cm:.0f} ms | {cp:.0f} ms | {wm:.0f} ms | {wp:.0f} ms | {am:.1f} ms | {ap:.1f} ms |")
        print(f"\n{a.pull_runs} timed pulls each from {a.pull_registry}\n")
    if not rows:
        return
    print(f"| engine | `run --rm true` median | p95 | `exec true` median | p95 | `ps -a` ({a.containers} containers) median | p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (rm, rp), (em, ep), (pm, pp) in rows:
        print(f"| {name} | {rm:.0f} ms | {rp:.0f} ms | {em:.0f} ms | {ep:.0f} ms | {pm:.0f} ms | {pp:.0f} ms |")
    print(f"\n{a.runs} timed runs each after 3 warm-ups; `docker` CLI {docker_version()}; {os.uname().release}, "
          f"{os.cpu_count()} CPUs")
    if storage_rows:
        print(f"\n| engine | `cp` {BIG_MB} MB in median | p95 | `cp` {BIG_MB} MB out median | p95 | "
              f"`commit` {SMALL_FILES // 1000}k files median | p95 |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, (im, ip), (om, op), (cm, cp) in storage_rows:
            print(f"| {name} | {im:.0f} ms | {ip:.0f} ms | {om:.0f} ms | {op:.0f} ms | {cm:.0f} ms | {cp:.0f} ms |")
        print(f"\n{a.storage_runs} timed runs each (cp after 1 warm-up)")


def docker_version():
    return subprocess.run(["docker", "--version"], capture_output=True).stdout.decode().split(",")[0].split()[-1]


if __name__ == "__main__":
    main()
