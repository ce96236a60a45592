# Shared by scripts/start and scripts/test: one target dir outside the clone, so every
# clone on this machine reuses the same build; tools from cargo and npm on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/uchet/target}"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# What cargo-leptos sets when it builds the server; exported here too so `cargo test` sees
# the same environment and reuses the release build instead of compiling it again.
export LEPTOS_OUTPUT_NAME=uchet
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
SERVER_BIN="$CARGO_TARGET_DIR/release/server"
