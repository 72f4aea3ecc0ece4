#!/usr/bin/env python3
"""Times the same docker CLI workload against several engines, side by side.

    bench/bench.py [--runs N] [--containers M] NAME=DOCKER_HOST [NAME=DOCKER_HOST ...]

e.g.  bench/bench.py berth=unix:///run/berth/berth.sock dockerd=unix:///var/run/docker.sock

Each engine gets a busybox image (imported from the host's static busybox if missing), then:
  run   `docker run --rm --network none busybox true`, N times after 3 warm-ups
  exec  `docker exec <ctr> true` in a running container, N times after 3 warm-ups
  ps    `docker ps -a` with M extra stopped containers present, N times
Times are wall-clock for the whole CLI command, as a user sees them. Containers use
`--network none` so every engine does the same work (no bridge set-up).
"""
import argparse
import os
import statistics
import subprocess
import sys
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
    p.add_argument("engines", nargs="+", metavar="NAME=DOCKER_HOST")
    a = p.parse_args()
    rows = []
    for spec in a.engines:
        name, _, host = spec.partition("=")
        print(f"benchmarking {name} at {host} ...", file=sys.stderr)
        rows.append((name, *bench(name, host, a.runs, a.containers)))
    print(f"| engine | `run --rm true` median | p95 | `exec true` median | p95 | `ps -a` ({a.containers} containers) median | p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (rm, rp), (em, ep), (pm, pp) in rows:
        print(f"| {name} | {rm:.0f} ms | {rp:.0f} ms | {em:.0f} ms | {ep:.0f} ms | {pm:.0f} ms | {pp:.0f} ms |")
    print(f"\n{a.runs} timed runs each after 3 warm-ups; `docker` CLI {docker_version()}; {os.uname().release}, "
          f"{os.cpu_count()} CPUs")


def docker_version():
    return subprocess.run(["docker", "--version"], capture_output=True).stdout.decode().split(",")[0].split()[-1]


if __name__ == "__main__":
    main()
