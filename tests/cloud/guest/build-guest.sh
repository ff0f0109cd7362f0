#!/usr/bin/env bash
# Builds the test cloud's guest from Debian packages only: Debian 12's cloud kernel
# (linux-image-cloud-amd64) and an initramfs with busybox-static, the few modules a Nova guest
# needs (virtio, the IDE CD-ROM of the pc machine and ISO 9660 for the config drive, virtio-rng), and ./init,
# which runs the config drive's user data as cloud-init would. Nothing is installed on this
# machine but the tools (kmod, cpio); the packages are downloaded and unpacked.
#
#   build-guest.sh [DIR]   writes DIR/vmlinuz and DIR/initrd.gz (default
#                          /var/cache/scs-conformance/guest); kept while the inputs are the same
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/var/cache/scs-conformance/guest}
mkdir -p "$out"

need=()
for tool in kmod cpio; do
  dpkg-query -W -f='${Status}' "$tool" 2>/dev/null | grep -q 'install ok installed' || need+=("$tool")
done
[ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null

kernel_package=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kernel_package" ] || { echo "no linux-image-cloud-amd64 in the package lists" >&2; exit 1; }
stamp="$kernel_package $(apt-cache policy busybox-static | awk '/Candidate/ {print $2}') $(sha256sum "$here/init" "$0" | cut -c1-16 | tr '\n' ' ')"
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$kernel_package" busybox-static >/dev/null 2>&1) ||
  (cd "$work" && apt-get update -q >/dev/null && apt-get download -q "$kernel_package" busybox-static >/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"
version=${kernel_package#linux-image-}
modules=$work/kernel/lib/modules/$version
/sbin/depmod -b "$work/kernel" "$version"

root=$work/initrd
mkdir -p "$root"/{bin,proc,sys,dev,mnt,tmp} "$root/lib/modules/$version"
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
install -m 755 "$here/init" "$root/init"
for module in virtio_pci virtio_rng virtio_blk virtio_net virtio_scsi ata_piix sr_mod isofs; do
  line=$(grep -E "/${module//_/[-_]}\.ko:" "$modules/modules.dep") || { echo "no module $module" >&2; exit 1; }
  for file in ${line%%:*} ${line#*:}; do
    mkdir -p "$root/lib/modules/$version/$(dirname "$file")"
    cp "$modules/$file" "$root/lib/modules/$version/$file"
  done
done
cp "$modules"/modules.order "$modules"/modules.builtin "$modules"/modules.builtin.modinfo "$root/lib/modules/$version/"
/sbin/depmod -b "$root" "$version"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9n >"$work/initrd.gz")
cp "$work/kernel/boot/vmlinuz-$version" "$out/vmlinuz.new"
cp "$work/initrd.gz" "$out/initrd.gz.new"
mv "$out/vmlinuz.new" "$out/vmlinuz"
mv "$out/initrd.gz.new" "$out/initrd.gz"
echo "$stamp" >"$out/stamp"
echo "guest built: kernel $version, initramfs $(du -h "$out/initrd.gz" | cut -f1)" >&2
