//! `sqlx::migrate!` embeds the migrations at compile time but does not tell cargo to watch
//! their folder: a new migration alone left the shared target dir's build as it was, and the
//! server started without it. This makes cargo rebuild when a migration is added or changed.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
