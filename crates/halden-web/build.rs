//! Embeds htmx from the npm package pinned in the repository's `package-lock.json`
//! (`npm ci` puts it in `node_modules/`). Without it the pages still work; htmx only enhances them.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let source = manifest.join("../../node_modules/htmx.org/dist/htmx.min.js");
    println!("cargo::rerun-if-changed={}", source.display());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("htmx.min.js");
    let bytes = fs::read(&source).unwrap_or_else(|_| {
        println!(
            "cargo::warning=htmx not found at {}; run `npm ci` (the pages work without it)",
            source.display()
        );
        b"/* htmx is not installed: run `npm ci` */".to_vec()
    });
    if let Err(e) = fs::write(&out, bytes) {
        println!("cargo::error=cannot write {}: {e}", out.display());
    }
}
