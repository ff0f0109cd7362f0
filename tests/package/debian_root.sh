# Sourced: a clean Debian 12 root, as a fresh machine or a container base has it.
#
#   debian_base_tarball       path of a tarball of `debootstrap --variant=minbase bookworm`, made
#                             once from Debian's package mirror (~30 s) and cached
#   debian_root_create DIR    unpacks it into DIR, with the machine's apt sources and DNS
#   debian_root_enter DIR     mounts /proc, /dev and /sys into DIR (debian_root_leave undoes it)
#   debian_root_remove DIR    leaves and deletes DIR
# Needs root and the debootstrap package (scripts/deps.sh --test).

SCS_ROOT_CACHE=${SCS_ROOT_CACHE:-/var/cache/scs-conformance}
SCS_DEBIAN_MIRROR=${SCS_DEBIAN_MIRROR:-http://deb.debian.org/debian}

debian_base_tarball() {
  local tarball=$SCS_ROOT_CACHE/debian12-minbase.tar
  if [ ! -s "$tarball" ]; then
    local work
    mkdir -p "$SCS_ROOT_CACHE"
    work=$(mktemp -d "$SCS_ROOT_CACHE/debootstrap.XXXXXX")
    debootstrap --variant=minbase bookworm "$work/root" "$SCS_DEBIAN_MIRROR" >"$work/log" 2>&1 ||
      { tail -5 "$work/log" >&2; rm -rf "$work"; return 1; }
    tar -C "$work/root" -cf "$tarball.new" . && mv "$tarball.new" "$tarball"
    rm -rf "$work"
  fi
  echo "$tarball"
}

debian_root_create() {
  local dir=$1 tarball
  tarball=$(debian_base_tarball) || return 1
  mkdir -p "$dir"
  tar -C "$dir" -xf "$tarball"
  # The same sources as this machine (Debian 12 with updates and security), and its resolver.
  rm -f "$dir/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$dir/etc/apt/sources.list.d/" 2>/dev/null ||
    echo "deb $SCS_DEBIAN_MIRROR bookworm main" >"$dir/etc/apt/sources.list"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
}

debian_root_enter() {
  local dir=$1
  mount -t proc proc "$dir/proc"
  mount --rbind /dev "$dir/dev"
  mount --make-rslave "$dir/dev"
  mount -t sysfs sysfs "$dir/sys"
}

debian_root_leave() {
  local dir=$1 mountpoint
  for mountpoint in sys dev proc; do
    mountpoint -q "$dir/$mountpoint" && umount -R -l "$dir/$mountpoint"
  done
  return 0
}

debian_root_remove() {
  local dir=$1
  [ -d "$dir" ] || return 0
  debian_root_leave "$dir"
  # Never follow a mount into the machine: only remove when nothing is mounted below DIR.
  if grep -q " $(readlink -f "$dir")/" /proc/mounts; then
    echo "still mounted below $dir; not removing it" >&2
    return 1
  fi
  rm -rf "$dir"
}
