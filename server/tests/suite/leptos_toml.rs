//! Leptos.toml is the server's configuration and Cargo.toml's metadata is the build's; the
//! keys both need must agree, or the server would look for files the build did not make.

#[test]
fn leptos_toml_and_the_cargo_leptos_block_agree() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let leptos: toml::Value =
        toml::from_str(&std::fs::read_to_string(format!("{root}/Leptos.toml")).unwrap()).unwrap();
    let cargo: toml::Value =
        toml::from_str(&std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap()).unwrap();
    let runtime = &leptos["package"]["metadata"]["leptos"];
    let build = &cargo["workspace"]["metadata"]["leptos"][0];
    for key in [
        "output-name",
        "site-root",
        "site-pkg-dir",
        "site-addr",
        "reload-port",
        "env",
        "hash-files",
    ] {
        assert_eq!(
            runtime.get(key),
            build.get(key),
            "{key} differs between Leptos.toml and Cargo.toml"
        );
    }
}

#[test]
fn the_server_reads_its_config_from_leptos_toml() {
    let c = server::config::Config::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../Leptos.toml"
    )))
    .unwrap();
    assert_eq!(&*c.leptos.output_name, "uchet");
    assert_eq!(c.uchet.session_hours, 12);
}
