#!/usr/bin/env python3
"""A/B of two (or more) engines on a shared, busy machine: runs alternate between them.

    bench/alternate.py [--runs N] NAME=DOCKER_HOST NAME=DOCKER_HOST [...]

e.g.  bench/alternate.py --runs 60 old=unix:///tmp/a.sock new=unix:///tmp/b.sock

Each round times `docker run --rm --network none busybox true` once against every engine, then
`docker exec <ctr> true` once against every engine (in a `sleep` container started per engine),
the order of the engines reversed every other round, so that load from elsewhere falls on all
of them alike. bench.py runs one engine's workload after the other's, which on a machine others
share compares two different loads; only alternating runs give a fair difference. Each engine
needs a busybox:latest image (bench.py imports one). Medians and quartiles, in ms.
"""
import argparse
import statistics

from bench import docker, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("engines", nargs="+", metavar="NAME=DOCKER_HOST")
    args = parser.parse_args()
    engines = [tuple(e.split("=", 1)) for e in args.engines]
    run = ["run", "--rm", "--network", "none", "busybox", "true"]
    ctr = {name: docker(host, "run", "-d", "--network", "none", "busybox", "sleep", "3600").stdout.decode().strip()
           for name, host in engines}
    samples = {name: {"run": [], "exec": []} for name, _ in engines}
    try:
        for name, host in engines:
            for _ in range(3):
                docker(host, *run)
                docker(host, "exec", ctr[name], "true")
        for i in range(args.runs):
            order = engines if i % 2 == 0 else engines[::-1]
            for name, host in order:
                samples[name]["run"] += timed(host, run, 1)
            for name, host in order:
                samples[name]["exec"] += timed(host, ["exec", ctr[name], "true"], 1)
    finally:
        for name, host in engines:
            docker(host, "rm", "-f", ctr[name])
    for name, _ in engines:
        line = [name]
        for workload in ("run", "exec"):
            s = samples[name][workload]
            q = statistics.quantiles(s, n=4)
            line.append(f"{workload} median {statistics.median(s):.1f} (quartiles {q[0]:.1f}-{q[2]:.1f})")
        print("  ".join(line))


if __name__ == "__main__":
    main()
