# Shared by ./berthd and ./run-tests: find a JDK, install what this host lacks, build when stale.
# shellcheck shell=bash

BERTH_MIN_JAVA=22   # the FFM API is final from JDK 22; berth is built and run on 25
# busybox-static is for README's first image (packaging/busybox-rootfs.sh); berthd itself does not run it.
# iproute2's ip gives containers their --link-local-ip addresses.
BERTH_RUNTIME_PACKAGES=(conmon runc crun tini busybox-static containernetworking-plugins iptables iproute2)
# berth-enter, exec's static helper in engine-core/src/main/c, is compiled by the build.
BERTH_BUILD_PACKAGES=(gcc libc6-dev)

say() { printf 'berth: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# A JDK's feature version (25 for 25.0.3): from its release file, which every JDK build has, without
# starting a JVM (~0.2 s each); from java itself when that file is missing.
java_feature_version() {
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) line=${line#JAVA_VERSION=}; line=${line//\"/}; line=${line#1.}; echo "${line%%[!0-9]*}"; return ;;
      esac
    done < "$1/release"
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Prints the JAVA_HOME of the newest JDK >= BERTH_MIN_JAVA: $JAVA_HOME, /usr/lib/jvm/*, or java on PATH.
find_java_home() {
  local best="" best_version=0 candidate version
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for candidate in /usr/lib/jvm/*; do [ -x "$candidate/bin/javac" ] && candidates+=("$candidate"); done
  if command -v javac >/dev/null 2>&1; then
    local javac
    javac=$(readlink -f "$(command -v javac)")
    candidates+=("${javac%/bin/javac}")
  fi
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(java_feature_version "$candidate")
    [ -n "$version" ] || continue
    if [ "$version" -ge "$BERTH_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
      best="$candidate"; best_version="$version"
    fi
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

use_java() {
  JAVA_HOME=$(find_java_home) || die "no JDK ${BERTH_MIN_JAVA} or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, PATH); install one, e.g. Temurin 25"
  export JAVA_HOME
}

is_debian_root() { [ "$EUID" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# Installs the Debian packages among "$@" that are missing; says which.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_debian_root || die "missing packages: ${missing[*]} (install them, or run as root on Debian/Ubuntu)"
  say "installing missing packages: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get could not install ${missing[*]}"
  fi
}

# Where the launcher notes that the runtime packages were all installed, and which: valid while
# dpkg's status file is older than it (any install or removal rewrites that file) and the list is
# the same (a berth that needs one more package checks again). Saves ~0.4 s of dpkg-query.
BERTH_CHECKED_STAMP=${BERTH_CHECKED_STAMP:-/run/berth-launcher/packages-checked}

# The launcher runs these on every start: bash builtins rather than a process each (issue 15).
first_line() {
  local line=""
  IFS= read -r line 2>/dev/null < "$1" || true
  printf '%s' "$line"
}
has_overlay() {
  local dev fs
  while read -r dev fs; do
    [ "${fs:-$dev}" = overlay ] && return 0
  done < /proc/filesystems
  return 1
}
check_runtime_prerequisites() {
  [ "$EUID" = 0 ] || die "berthd must run as root (it mounts filesystems and creates namespaces and cgroups)"
  if command -v apt-get >/dev/null 2>&1; then
    if ! [ "$BERTH_CHECKED_STAMP" -nt /var/lib/dpkg/status ] \
        || [ "$(first_line "$BERTH_CHECKED_STAMP")" != "${BERTH_RUNTIME_PACKAGES[*]}" ]; then
      ensure_packages "${BERTH_RUNTIME_PACKAGES[@]}"
      mkdir -p "$(dirname "$BERTH_CHECKED_STAMP")" 2>/dev/null \
        && printf '%s\n' "${BERTH_RUNTIME_PACKAGES[*]}" > "$BERTH_CHECKED_STAMP" 2>/dev/null || true
    fi
  fi
  command -v conmon >/dev/null 2>&1 || die "conmon is not installed"
  command -v runc >/dev/null 2>&1 || command -v crun >/dev/null 2>&1 || die "neither runc nor crun is installed"
  [ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || die "the CNI plugins are not installed (containernetworking-plugins)"
  command -v iptables >/dev/null 2>&1 || die "iptables is not installed (berth keeps its bridges' rules with it; the CNI portmap plugin uses it)"
  if ! has_overlay; then
    modprobe overlay 2>/dev/null || true
    has_overlay || die "the kernel has no overlay filesystem"
  fi
}

# Builds engine-server's jar when it is missing or older than any source or pom.
build_if_stale() {
  local top="$1" jar="$1/engine-server/target/engine-server.jar"
  if [ -f "$jar" ] && [ -z "$(find "$top/pom.xml" "$top"/*/pom.xml "$top"/engine-*/src -newer "$jar" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || { is_debian_root && ensure_packages maven; }
  if command -v apt-get >/dev/null 2>&1; then
    ensure_packages "${BERTH_BUILD_PACKAGES[@]}"
  fi
  command -v gcc >/dev/null 2>&1 || die "gcc (and the C library's static archive, libc6-dev) is needed to build berth-enter"
  say "building berthd"
  # Maven's own guava pokes sun.misc.Unsafe; JDK 24+ warns about it on every run unless told.
  if [ "$(java_feature_version "$JAVA_HOME")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  (cd "$top" && mvn -q -B -ntp -DskipTests -pl engine-server -am package) || die "build failed"
}

# The JVM flags berthd runs with, in BERTHD_JVM_FLAGS; the AOT cache's training run uses the same.
berthd_jvm_flags() {
  # A small young generation: the JVM would otherwise size it from the machine's memory (~100 MB
  # of eden on 24 GiB), and every page of it stays resident once cycled through (docs/benchmarks.md).
  BERTHD_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss512k -Xms16m -XX:MaxNewSize=24m
    -XX:TieredStopAtLevel=1)
  # Memory given back after a burst (issue 15, docs/benchmarks.md): a full collection (berthd asks
  # for one once collections stop, IdleCollector) shrinks the old generation to at most 30% free at
  # once instead of in steps; malloc's freed memory goes back to the kernel every 5 s; C1 compiles
  # only methods run five times as often as by default (its code and metadata were ~9 MiB).
  BERTHD_JVM_FLAGS+=(-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps
    -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=5)
  # Except BigInteger's loops, which C1 then compiles a hundred times sooner: JDK 25's BigDecimal
  # squares 5 sixteen times in its static initialiser, which Jackson's first parser (daemon.json's)
  # runs before the instance lock; interpreted that was ~16 ms of every start, compiled ~7 ms.
  BERTHD_JVM_FLAGS+=(-XX:CompileCommand=quiet
    -XX:CompileCommand=CompileThresholdScaling,java.math.BigInteger::*,0.01)
  # Reflection through the JVM's own accessors rather than method handles spun per member on first
  # use: Jackson makes each record of a container's documents and bodies that way, and spinning them
  # was ~70 ms of the first `docker run` after a start (issue 15, docs/benchmarks.md).
  BERTHD_JVM_FLAGS+=(-Djdk.reflect.useNativeAccessorOnly=true)
  # aircompressor (zstd layers) reads memory through sun.misc.Unsafe, which JDK 24+ warns about unless allowed.
  [ "$(java_feature_version "$JAVA_HOME")" -ge 23 ] && BERTHD_JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
  return 0
}

# Whether the JVM takes the AOT cache $2 for the jar $1 with berthd's flags. It ignores a cache
# made with other flags (e.g. without --enable-native-access) and says so only in its log, so a
# cache is checked before it is kept.
aot_cache_loads() {
  local out
  out=$("$JAVA_HOME/bin/java" "${BERTHD_JVM_FLAGS[@]}" -XX:AOTCache="$2" -Xlog:aot=error:stderr \
    -cp "$1" dev.berth.server.Main --help 2>&1 >/dev/null) || true
  [ -z "$out" ] || { echo "$out"; return 1; }
}

# One training run for ensure_aot_cache; on failure it says why and leaves $cache.failed.
train_aot_cache() {
  local jar="$1" cache="$2" scratch tmp="$2.$$.tmp"   # per launcher: two may train at once
  scratch=$(mktemp -d /tmp/berth-aot.XXXXXX) || return 0
  echo '{}' > "$scratch/daemon.json"
  if timeout 600 "$JAVA_HOME/bin/java" "${BERTHD_JVM_FLAGS[@]}" -XX:AOTCacheOutput="$tmp" \
      -cp "$jar" dev.berth.server.AotTraining -H "unix://$scratch/berth.sock" --data-root "$scratch/data" \
      --exec-root "$scratch/run" --cgroup-parent "berth-aot-training-$$" --config-file "$scratch/daemon.json" \
      --log-level error >"$scratch/training.log" 2>&1 \
    && [ -s "$tmp" ] && aot_cache_loads "$jar" "$tmp" >>"$scratch/training.log" 2>&1; then
    mv -f "$tmp" "$cache"
    rm -f "$cache.failed"
  else
    say "could not make the AOT cache (see below); starting without it"
    tail -n 20 "$scratch/training.log" >&2 || true
    rm -f "$tmp" "$cache"
    : > "$cache.failed"
  fi
  rmdir /sys/fs/cgroup/*/"berth-aot-training-$$" /sys/fs/cgroup/"berth-aot-training-$$" 2>/dev/null || true
  rm -rf "$scratch"
}

# Makes the JDK AOT cache $2 for the jar $1 when it is missing or older than the jar (JDK 25+),
# by a training run (dev.berth.server.AotTraining) on a private data root, socket and cgroup
# parent; sets BERTHD_AOT_FLAGS to use it. With $3 = background the training runs detached and
# this start goes on without the cache (the next one uses it), so a first start never waits for
# it. Never fails: without a cache berthd starts as before, only slower, and the JVM itself
# ignores a cache that does not match its jars.
ensure_aot_cache() {
  local jar="$1" cache="$2" mode="${3:-foreground}"
  BERTHD_AOT_FLAGS=()
  [ "$(java_feature_version "$JAVA_HOME")" -ge 25 ] || return 0
  # A training run that failed for this jar is not retried on every start ($cache.failed).
  if { ! [ -f "$cache" ] || [ "$jar" -nt "$cache" ]; } && ! [ "$cache.failed" -nt "$jar" ]; then
    if [ "$mode" = background ]; then
      # One training at a time: a start while one runs (for at most its 10 minutes) goes on without.
      if [ -n "$(find "$cache.training" -newer "$jar" -mmin -10 2>/dev/null)" ]; then
        return 0
      fi
      say "making the JDK AOT cache for this build in the background (later starts take a fraction of the time)"
      : > "$cache.training" 2>/dev/null || return 0
      # Detached (setsid, its parent subshell gone at once) so it is never berthd's child.
      ( export JAVA_HOME; setsid bash -c '. "$1"; berthd_jvm_flags; train_aot_cache "$2" "$3"; rm -f "$3.training"' \
          bash "${BASH_SOURCE[0]}" "$jar" "$cache" </dev/null >/dev/null 2>&1 & )
      return 0
    fi
    say "making the JDK AOT cache for this build (once; later starts take a fraction of the time)"
    train_aot_cache "$jar" "$cache"
  fi
  [ -f "$cache" ] && BERTHD_AOT_FLAGS=(-XX:AOTCache="$cache" -Xlog:aot*=error)
  return 0
}
