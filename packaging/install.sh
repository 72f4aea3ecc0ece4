#!/usr/bin/env bash
# Installs berthd as a systemd service: the tree under /opt/berth, the example config under
# /etc/berth (kept if present), a "berth" group for socket access, and the unit.
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$top/packaging/common.sh"
[ "$(id -u)" = 0 ] || die "install.sh must run as root"
check_runtime_prerequisites
use_java
build_if_stale "$top"
mkdir -p /opt/berth /etc/berth
cp -r "$top"/berthd "$top"/pom.xml "$top"/packaging "$top"/engine-core "$top"/engine-store "$top"/engine-server "$top"/openapi /opt/berth/
[ -f /etc/berth/daemon.json ] || cp "$top/packaging/daemon.json" /etc/berth/daemon.json
getent group berth >/dev/null || groupadd --system berth
# The JDK AOT cache for the installed jar, so that the first start is as quick as the later ones.
berthd_jvm_flags
ensure_aot_cache /opt/berth/engine-server/target/engine-server.jar /opt/berth/engine-server/target/berthd.aot
if grep -q '"hosts"' /etc/berth/daemon.json; then
  say "note: /etc/berth/daemon.json sets \"hosts\"; berthd.service passes -H fd:// (berthd.socket), so remove it there"
fi
cp "$top/packaging/berthd.service" "$top/packaging/berthd.socket" /etc/systemd/system/
systemctl daemon-reload
say "installed; start it with: systemctl enable --now berthd.socket berthd"
