//! Where pictures live and how sized copies are made.
//!
//! Layout under the media folder: `originals/<key>.png` and `sized/<width>/<key>.webp`. Keys
//! are checked (letters, digits and hyphens) before any path is built, so a request can never
//! leave the folder. Copies are written to a temporary name and renamed, so a reader never
//! sees half a file, and two requests racing for the same copy both succeed.

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use shop_types::catalog::IMAGE_WIDTHS;
use std::path::{Path, PathBuf};

/// Something went wrong making or finding a picture.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("no such picture")]
    NotFound,
    #[error("picture file {0}: {1}")]
    Io(String, std::io::Error),
    #[error("picture could not be processed: {0}")]
    Image(#[from] image::ImageError),
}

/// Whether `key` may name a picture: 1 to 100 ASCII letters, digits and hyphens.
pub fn valid_key(key: &str) -> bool {
    (1..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MediaError + '_ {
    move |e| MediaError::Io(path.display().to_string(), e)
}

/// The original of `key`: read from disk, or painted for a demo key (and then kept).
fn original(root: &Path, key: &str) -> Result<DynamicImage, MediaError> {
    let path = root.join("originals").join(format!("{key}.png"));
    match image::open(&path) {
        Ok(img) => Ok(img),
        Err(image::ImageError::IoError(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            let painted = super::demo_images::paint(key).ok_or(MediaError::NotFound)?;
            let img = DynamicImage::ImageRgb8(painted);
            write_atomically(&path, |tmp| {
                img.save_with_format(tmp, ImageFormat::Png)
                    .map_err(Into::into)
            })?;
            Ok(img)
        }
        Err(e) => Err(e.into()),
    }
}

fn write_atomically(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), MediaError>,
) -> Result<(), MediaError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        crate::platform::ids::new_id()
    ));
    let result = write(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(io(path)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The file of `key` at `width` (one of [`IMAGE_WIDTHS`]) as WebP, made if missing. Blocking:
/// call from a blocking task.
pub fn sized(root: &Path, key: &str, width: u32) -> Result<PathBuf, MediaError> {
    if !valid_key(key) || !IMAGE_WIDTHS.contains(&width) {
        return Err(MediaError::NotFound);
    }
    let path = root
        .join("sized")
        .join(width.to_string())
        .join(format!("{key}.webp"));
    if path.is_file() {
        return Ok(path);
    }
    let img = original(root, key)?;
    let height =
        (u64::from(img.height()) * u64::from(width) / u64::from(img.width().max(1))) as u32;
    let resized = if img.width() > width {
        img.resize_exact(width, height.max(1), FilterType::Lanczos3)
    } else {
        img
    };
    let rgb = DynamicImage::ImageRgb8(resized.to_rgb8());
    write_atomically(&path, |tmp| {
        rgb.save_with_format(tmp, ImageFormat::WebP)
            .map_err(Into::into)
    })?;
    Ok(path)
}

/// Stores an uploaded picture (any format the `image` crate reads) as the original of a new
/// key and returns (key, width, height).
pub fn store_original(root: &Path, bytes: &[u8]) -> Result<(String, u32, u32), MediaError> {
    let img = image::load_from_memory(bytes)?;
    let key = crate::platform::ids::new_id()
        .to_string()
        .to_ascii_lowercase();
    let path = root.join("originals").join(format!("{key}.png"));
    let (w, h) = (img.width(), img.height());
    write_atomically(&path, |tmp| {
        img.save_with_format(tmp, ImageFormat::Png)
            .map_err(Into::into)
    })?;
    Ok((key, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_folder() {
        assert!(valid_key("demo-mug-black-front"));
        for bad in ["", "../x", "a/b", "a.b", "a b", &"x".repeat(101)] {
            assert!(!valid_key(bad), "{bad}");
        }
    }

    #[test]
    fn demo_pictures_are_painted_resized_and_kept() {
        let root =
            std::env::temp_dir().join(format!("shop-media-{}", crate::platform::ids::new_id()));
        let path = sized(&root, "demo-shoe-rust-front", 320).expect("made");
        let img = image::open(&path).expect("readable webp");
        assert_eq!((img.width(), img.height()), (320, 320));
        assert!(root.join("originals/demo-shoe-rust-front.png").is_file());
        assert!(matches!(
            sized(&root, "demo-shoe-rust-front", 333),
            Err(MediaError::NotFound)
        ));
        assert!(matches!(
            sized(&root, "nothing-here", 320),
            Err(MediaError::NotFound)
        ));
        let _ = std::fs::remove_dir_all(root);
    }
}
