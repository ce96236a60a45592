//! Where «Карта приборов» takes its map from: a tile server the company may run itself on a
//! closed network, OpenStreetMap's by default.

/// The default tile server (OpenStreetMap's standard layer).
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The map's tile server, put into every request's context by the web server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapConfig {
    /// A URL template with `{z}`, `{x}` and `{y}` (and `{s}` for sub-domains).
    pub tiles: String,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig { tiles: OSM_TILES.into() }
    }
}

impl MapConfig {
    /// `scheme://host[:port]` of the tile server, for the page's image policy; `None` for
    /// a template that is not an absolute http(s) URL (tiles from Uchet itself need none).
    pub fn origin(&self) -> Option<String> {
        let (scheme, rest) = self.tiles.split_once("://")?;
        if !matches!(scheme, "http" | "https") {
            return None;
        }
        let host = rest.split('/').next().filter(|h| !h.is_empty())?;
        // `{s}.tile.example` names several sub-domains: the policy allows them all
        let host = host.replace("{s}", "*");
        Some(format!("{scheme}://{host}"))
    }

    /// Whether `tiles` is a template the map can use: http(s) with `{z}`, `{x}` and `{y}`.
    pub fn valid(tiles: &str) -> bool {
        (tiles.starts_with("http://") || tiles.starts_with("https://"))
            && ["{z}", "{x}", "{y}"].iter().all(|p| tiles.contains(p))
            && !tiles.contains([' ', '"', '\'', ';'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_servers_origin_goes_into_the_image_policy() {
        assert_eq!(MapConfig::default().origin().as_deref(), Some("https://tile.openstreetmap.org"));
        let own = MapConfig { tiles: "http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png".into() };
        assert_eq!(own.origin().as_deref(), Some("http://10.0.0.5:8080"));
        let subs = MapConfig { tiles: "https://{s}.tile.example.ru/{z}/{x}/{y}.png".into() };
        assert_eq!(subs.origin().as_deref(), Some("https://*.tile.example.ru"));
        assert_eq!(MapConfig { tiles: "/tiles/{z}/{x}/{y}.png".into() }.origin(), None);
    }

    #[test]
    fn a_template_without_its_placeholders_or_with_quotes_is_refused() {
        assert!(MapConfig::valid(OSM_TILES));
        assert!(!MapConfig::valid("https://tile.example/{z}/{x}.png"));
        assert!(!MapConfig::valid("ftp://tile.example/{z}/{x}/{y}.png"));
        assert!(!MapConfig::valid("https://tile.example/{z}/{x}/{y}.png; script-src *"));
    }
}
