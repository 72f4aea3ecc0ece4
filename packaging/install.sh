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
cp "$top/packaging/berthd.service" /etc/systemd/system/berthd.service
systemctl daemon-reload
say "installed; start it with: systemctl enable --now berthd"
