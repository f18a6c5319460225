#!/usr/bin/env bash
# Builds the container images that Stevedore's tests run, without any registry:
# a tiny root file system made from Debian's static busybox, loaded with `docker import`.
#
#   stevedore-test/busybox:latest   /bin/busybox + applet links (sh, httpd, sleep, wget, nc, ...),
#                                   /etc/passwd with root and nobody, /tmp, /var/www/index.html; CMD ["sh"]
#
# Idempotent: each image carries a label with a digest of its recipe (this script and the busybox
# binary); an image whose label matches is left alone, otherwise it is rebuilt.
set -euo pipefail

# A newer docker client may come first on PATH; it can refuse to talk to Debian's older engine.
DOCKER=/usr/bin/docker
BUSYBOX=/bin/busybox
IMAGE=stevedore-test/busybox:latest
RECIPE_LABEL=dev.stevedore.test-image.recipe

[[ -x "$DOCKER" ]] || { echo "build-test-images: $DOCKER missing (run bin/setup-test-env)" >&2; exit 1; }
[[ -x "$BUSYBOX" ]] || { echo "build-test-images: $BUSYBOX missing (apt-get install busybox-static)" >&2; exit 1; }
"$BUSYBOX" --list >/dev/null 2>&1 || { echo "build-test-images: $BUSYBOX is not a working busybox" >&2; exit 1; }

recipe=$(cat "${BASH_SOURCE[0]}" "$BUSYBOX" | sha256sum | cut -c1-16)
current=$("$DOCKER" image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$IMAGE" 2>/dev/null || true)
if [[ "$current" == "$recipe" ]]; then
  echo "build-test-images: $IMAGE up to date ($recipe)"
  exit 0
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT

mkdir -p "$rootfs"/{bin,etc,tmp,root,var/www,proc,sys,dev}
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
install -m 0755 "$BUSYBOX" "$rootfs/bin/busybox"
# Every applet as a link in /bin, so both `sh -c 'wget ...'` and exec-form commands find them.
for applet in $("$BUSYBOX" --list); do
  [[ "$applet" == busybox ]] && continue
  ln -sf busybox "$rootfs/bin/$applet"
done
cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo 'stevedore test page' > "$rootfs/var/www/index.html"

# Fixed owner and times keep the layer's bytes independent of who built it and when.
tar --numeric-owner --owner=0 --group=0 --mtime='2020-01-01 00:00:00Z' --sort=name \
    -C "$rootfs" -cf - . \
  | "$DOCKER" import \
      --change 'CMD ["sh"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "LABEL $RECIPE_LABEL=$recipe" \
      - "$IMAGE" >/dev/null

echo "build-test-images: built $IMAGE ($recipe)"
