#!/usr/bin/env bash
# Installs, once, every tool the build and the tests need on a fresh machine of this kind.
# Each step is skipped when its tool is already there, so a warm machine pays nothing.
# Sourced by scripts/start and scripts/test; safe to run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"

# The wasm-bindgen CLI must match the crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
CARGO_LEPTOS_VERSION="0.3.10"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

need_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
}

need_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ]; then return; fi
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2.5 min)"
  # Not --locked: the CLI's own lockfile pins a yanked crate.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

# A debug build of cargo-leptos: it only drives the build (cargo, wasm-bindgen and wasm-opt
# run as their own programs), and its in-process steps take seconds either way (splitting
# the wasm 2.5 s, minifying the JS 0.4 s, measured). Built unoptimised it installs in about
# 9 minutes instead of 13-16 on this machine kind.
need_cargo_leptos() {
  if command -v cargo-leptos >/dev/null && cargo-leptos --version | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (a debug build, about 9 min, once per machine)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --debug
}

need_npm_packages() {
  # wasm-opt comes from npm binaryen: Debian's wasm-opt 108 breaks hydration silently.
  local stamp="$ROOT/end2end/node_modules/.uchet-lock-sha"
  local want; want="$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)"
  if [ -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  say "installing npm packages (binaryen for wasm-opt, playwright-core, echarts, zxing, leaflet)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

# ECharts (for charming's charts), ZXing (the barcode decoder for browsers without their
# own BarcodeDetector) and Leaflet with its marker clusters (the map of meters) are served from public/vendor, copied from the npm packages so nothing
# is fetched at run time and the versions are the lockfile's.
need_vendor_files() {
  mkdir -p "$ROOT/public/vendor"
  local from to
  for pair in "echarts/dist/echarts.min.js:echarts.min.js" "@zxing/library/umd/index.min.js:zxing.min.js" \
    "leaflet/dist/leaflet.js:leaflet.js" "leaflet/dist/leaflet.css:leaflet.css" \
    "leaflet.markercluster/dist/leaflet.markercluster.js:leaflet.markercluster.js" \
    "leaflet.markercluster/dist/MarkerCluster.css:MarkerCluster.css"; do
    from="$ROOT/end2end/node_modules/${pair%%:*}" to="$ROOT/public/vendor/${pair##*:}"
    [ -f "$to" ] && cmp -s "$from" "$to" && continue
    cp "$from" "$to"
  done
}

need_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "installing Debian chromium and chromium-driver"
  apt_install chromium chromium-driver
}

need_brotli() {
  command -v brotli >/dev/null && command -v curl >/dev/null && return
  apt_install brotli curl
}

# pdftotext reads the PDF reports back in the tests (their Cyrillic headers and numbers).
need_pdftotext() {
  command -v pdftotext >/dev/null && return
  say "installing poppler-utils (pdftotext)"
  apt_install poppler-utils
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The services the test suite talks to: started when installed and stopped, installed when absent.
need_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return; fi
  # Installed means the server's binaries, not a configuration left by a removed package.
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt_install postgresql
  fi
  local v; v="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  if [ ! -d "/etc/postgresql/$v/main" ]; then
    say "creating the PostgreSQL cluster $v/main"
    pg_createcluster "$v" main >/dev/null
  fi
  say "starting PostgreSQL"
  # Trust on loopback, as the test suite connects without a password.
  local hba="/etc/postgresql/$v/main/pg_hba.conf"
  grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && return; sleep 1; done
  echo "PostgreSQL did not start" >&2; return 1
}

need_mosquitto() {
  if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then return; fi
  command -v mosquitto >/dev/null || { say "installing Mosquitto"; apt_install mosquitto; }
  say "starting Mosquitto"
  if [ -f /etc/mosquitto/mosquitto.conf ]; then
    # Debian's configuration writes its pid and log where systemd would have made the
    # directories; without systemd (a container) they must be made here.
    local d; for d in /run/mosquitto /var/log/mosquitto /var/lib/mosquitto; do
      install -d -o mosquitto -g mosquitto "$d" 2>/dev/null || mkdir -p "$d"
    done
    mosquitto -d -c /etc/mosquitto/mosquitto.conf
  else
    mosquitto -d -p 1883
  fi
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && return; sleep 0.5; done
  echo "Mosquitto did not start" >&2; return 1
}

build_tools() { need_wasm_target; need_npm_packages; need_vendor_files; need_wasm_bindgen; need_cargo_leptos; }
services()    { need_postgres; need_mosquitto; }
test_tools()  { build_tools; need_chromium; need_brotli; need_pdftotext; services; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-test}" in
    build) build_tools ;;
    test) test_tools ;;
    services) services ;;
    *) echo "usage: scripts/tools.sh [build|test|services]" >&2; exit 2 ;;
  esac
fi
