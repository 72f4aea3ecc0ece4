#!/usr/bin/env python3
"""Times the same docker CLI workload against several engines, side by side.

    bench/bench.py [--runs N] [--containers M] [--storage-runs K] NAME=DOCKER_HOST [NAME=DOCKER_HOST ...]

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
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--containers", type=int, default=200)
    p.add_argument("--storage-runs", type=int, default=5)
    p.add_argument("engines", nargs="+", metavar="NAME=DOCKER_HOST")
    a = p.parse_args()
    rows = []
    storage_rows = []
    workdir = tempfile.mkdtemp(prefix="berth-bench-")
    try:
        for spec in a.engines:
            name, _, host = spec.partition("=")
            print(f"benchmarking {name} at {host} ...", file=sys.stderr)
            rows.append((name, *bench(name, host, a.runs, a.containers)))
            if a.storage_runs > 0:
                ensure_busybox(host)
                storage_rows.append((name, *storage_bench(host, a.storage_runs, workdir)))
                cleanup(host)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
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
