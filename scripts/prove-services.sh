#!/usr/bin/env bash
# Proves that the test command brings up PostgreSQL and Mosquitto on a machine that has
# neither. A fresh Debian (debootstrap, minbase) runs in a network namespace of its own, so
# this machine's services on 127.0.0.1 are out of its sight; slirp4netns gives it the Debian
# mirror and nothing else of the host. There `scripts/tools.sh services` (the same functions
# `scripts/test` calls) installs and starts both; then a real SQL query and a real MQTT
# CONNECT/CONNACK check them. Needs root and the mirror; takes a few minutes. Not part of
# the test suite: CI machines already have both services, so this is run by hand.
#   bash scripts/prove-services.sh [work dir, default /tmp/uchet-fresh-debian]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-/tmp/uchet-fresh-debian}"
MIRROR="http://deb.debian.org/debian"
started=$(date +%s)
say() { printf '\033[1;34m==>\033[0m %s (%ss)\n' "$*" "$(( $(date +%s) - started ))" >&2; }

command -v debootstrap >/dev/null && command -v slirp4netns >/dev/null ||
  { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap slirp4netns >/dev/null; }

# debootstrap once into a pristine base; every run starts from a fresh copy of it
BASE="$WORK.base"
if [ ! -x "$BASE/usr/bin/apt-get" ]; then
  say "debootstrap: a minimal Debian bookworm in $BASE"
  debootstrap --variant=minbase bookworm "$BASE" "$MIRROR" >/dev/null
fi
umount "$WORK/proc" 2>/dev/null || true
rm -rf "$WORK" && cp -a "$BASE" "$WORK"
# services are started by the script under test, not by the packages' maintainer scripts
printf '#!/bin/sh\nexit 101\n' >"$WORK/usr/sbin/policy-rc.d"
chmod +x "$WORK/usr/sbin/policy-rc.d"
echo "nameserver 10.0.2.3" >"$WORK/etc/resolv.conf"
rm -rf "$WORK/uchet" && mkdir -p "$WORK/uchet" && cp -r "$ROOT/scripts" "$ROOT/Cargo.lock" "$WORK/uchet/"

# a process holding the new network namespace, and slirp4netns wiring it to the outside
unshare --net sleep 3600 &
holder=$!
sleep 0.5
slirp4netns --configure --mtu=65520 --disable-host-loopback "$holder" tap0 >/dev/null 2>&1 &
slirp=$!
in_ns() { nsenter --net="/proc/$holder/ns/net" "$@"; }
cleanup() {
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$WORK" ] && kill "${p#/proc/}" 2>/dev/null || true
  done
  kill "$slirp" "$holder" 2>/dev/null || true
  umount "$WORK/proc" 2>/dev/null || true
}
trap cleanup EXIT
in_ns ip link set lo up
for _ in $(seq 1 20); do in_ns ip -4 addr show tap0 2>/dev/null | grep -q 10.0.2 && break; sleep 0.5; done
mountpoint -q "$WORK/proc" || mount -t proc proc "$WORK/proc"
inside() { in_ns chroot "$WORK" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root bash -c "$1"; }

say "before: nothing listens on 5432 or 1883 in the fresh machine"
inside '! command -v psql && ! command -v mosquitto && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null'

say "scripts/tools.sh services"
inside 'bash /uchet/scripts/tools.sh services'

say "after: PostgreSQL answers SQL over 127.0.0.1 with trust auth"
inside 'psql "postgres://postgres@127.0.0.1:5432/postgres" -Atc "SELECT version()"'
inside 'psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "CREATE DATABASE uchet_proof" && psql "postgres://postgres@127.0.0.1:5432/uchet_proof" -Atc "SELECT 1"'

say "after: Mosquitto accepts an MQTT 3.1.1 CONNECT (CONNACK 20 02 00 00)"
inside 'exec 3<>/dev/tcp/127.0.0.1/1883; printf "\x10\x10\x00\x04MQTT\x04\x02\x00\x3c\x00\x04prov" >&3; ack=$(head -c 4 <&3 | od -An -tx1 | tr -d " \n"); echo "CONNACK $ack"; [ "$ack" = 20020000 ]'

say "both services came up from nothing"
