//! Link flag for the split browser build (`cargo leptos build --split`).
//!
//! In an optimised build the WebAssembly linker merges the data segments and tail-merges equal
//! strings, so a string used only by a lazily loaded page can share bytes with another
//! module's; the splitter then keeps all string data in the main module (cargo-leptos issue
//! 679). Keeping the segments apart lets each page's text travel in that page's chunk.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
}
