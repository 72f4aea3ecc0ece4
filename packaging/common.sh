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

java_feature_version() {
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
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
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

is_debian_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

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

check_runtime_prerequisites() {
  [ "$(id -u)" = 0 ] || die "berthd must run as root (it mounts filesystems and creates namespaces and cgroups)"
  if command -v apt-get >/dev/null 2>&1; then
    ensure_packages "${BERTH_RUNTIME_PACKAGES[@]}"
  fi
  command -v conmon >/dev/null 2>&1 || die "conmon is not installed"
  command -v runc >/dev/null 2>&1 || command -v crun >/dev/null 2>&1 || die "neither runc nor crun is installed"
  [ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || die "the CNI plugins are not installed (containernetworking-plugins)"
  command -v iptables >/dev/null 2>&1 || die "iptables is not installed (the CNI portmap and firewall plugins use it)"
  if ! grep -qw overlay /proc/filesystems; then
    modprobe overlay 2>/dev/null || true
    grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem"
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
