#!/usr/bin/env bash
# Writes to stdout a root filesystem tar made from the host's static busybox, for a first image
# without a registry:   packaging/busybox-rootfs.sh | docker import - busybox:latest
set -euo pipefail
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "busybox-rootfs: install busybox-static first" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
  { echo "busybox-rootfs: $busybox is not statically linked; install busybox-static" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,root,tmp,home,var,proc,sys,dev,usr/bin,usr/sbin,sbin}
chmod 755 "$root"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
nogroup:x:65534:
GROUP
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - .
