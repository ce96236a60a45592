//! The browser bundle (wasm, js, css under `/pkg`) served brotli-compressed at the best
//! quality, compressed once when the server starts rather than on every request: the field
//! screen's first load on a phone's mobile data is mostly the wasm, and on-the-fly brotli
//! (fast quality) sends about 60 % more bytes than quality 11.

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::Router;
use tower_http::services::ServeDir;

/// Files worth compressing.
const KINDS: [&str; 3] = ["wasm", "js", "css"];

/// Serves `{site_root}/{pkg_dir}` with the `.br` beside each file where there is one.
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &str, pkg_dir: &str) -> Router<S> {
    let dir = Path::new(site_root).join(pkg_dir);
    Router::new().nest_service(
        &format!("/{pkg_dir}"),
        ServeDir::new(dir).precompressed_br(),
    )
}

/// Writes `file.br` for every bundle file that has none or an older one. Returns the files
/// written. Runs on a blocking thread at start; until it is done the bundle goes out
/// compressed on the fly.
pub fn precompress(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| KINDS.contains(&e));
        if !wanted {
            continue;
        }
        let br = PathBuf::from(format!("{}.br", path.display()));
        let fresh = match (std::fs::metadata(&path), std::fs::metadata(&br)) {
            (Ok(src), Ok(out)) => out.modified()? >= src.modified()?,
            _ => false,
        };
        if fresh {
            continue;
        }
        let data = std::fs::read(&path)?;
        let tmp = PathBuf::from(format!("{}.br.tmp", path.display()));
        {
            let file = std::fs::File::create(&tmp)?;
            let mut w = brotli::CompressorWriter::new(file, 1 << 16, 11, 22);
            w.write_all(&data)?;
            w.flush()?;
        }
        std::fs::rename(&tmp, &br)?;
        written.push(br);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn bundle_files_get_a_brotli_copy_that_decodes_to_the_same_bytes() {
        let dir = std::env::temp_dir().join(format!("uchet_pkg_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wasm: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        std::fs::write(dir.join("uchet.abc.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("notes.txt"), b"left alone").unwrap();
        let written = precompress(&dir).unwrap();
        assert_eq!(written, vec![dir.join("uchet.abc.wasm.br")]);
        let mut back = Vec::new();
        brotli::Decompressor::new(std::fs::File::open(&written[0]).unwrap(), 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, wasm);
        assert!(
            precompress(&dir).unwrap().is_empty(),
            "a fresh copy is not made again"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
