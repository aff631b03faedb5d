//! Pictures: originals kept on disk under the media folder, and the resized WebP copies pages
//! ask for (`/media/<key>/<width>.webp`), made on first request and kept beside them.

#[cfg(feature = "ssr")]
pub mod storage;

/// Reading an uploaded picture from a form, and keeping it.
#[cfg(feature = "ssr")]
pub mod upload;

/// The demo catalog's pictures, painted on first request instead of shipped as files.
#[cfg(feature = "ssr")]
pub mod demo_images;
