//! Pictures: originals kept on disk under the media folder, and the resized WebP copies pages
//! ask for (`/media/<key>/<width>.webp`), made on first request and kept beside them.

#[cfg(feature = "ssr")]
pub mod storage;
