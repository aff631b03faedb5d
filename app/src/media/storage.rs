//! Where pictures live and how sized copies are made.
//!
//! Layout under the media folder: `originals/<key>.png` and `sized/<width>/<key>.webp`. Keys
//! are checked (letters, digits and hyphens) before any path is built, so a request can never
//! leave the folder. Copies are written to a temporary name and renamed, so a reader never
//! sees half a file, and two requests racing for the same copy both succeed.

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use shop_types::catalog::IMAGE_WIDTHS;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Something went wrong making or finding a picture.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("no such picture")]
    NotFound,
    #[error("picture file {0}: {1}")]
    Io(String, std::io::Error),
    #[error("picture could not be processed: {0}")]
    Image(#[from] image::ImageError),
    /// More pixels than [`MAX_PIXELS`]: refused before it is decoded, so a small file that
    /// unpacks into gigabytes (a decompression bomb) costs nothing.
    #[error("picture of {width}×{height} pixels is larger than allowed")]
    TooLarge { width: u32, height: u32 },
    /// Every resizing slot stayed busy for too long; the client may ask again shortly.
    #[error("too many pictures are being made at once")]
    Busy,
}

/// The most pixels a picture may have (40 megapixels, e.g. 8000×5000). Checked from the
/// file's header before decoding; decoding is also capped in memory.
pub const MAX_PIXELS: u64 = 40_000_000;

/// Memory the decoder may use for one picture (an RGBA picture of [`MAX_PIXELS`] and some).
const MAX_DECODE_BYTES: u64 = 200 * 1024 * 1024;

/// Decodes a picture within the limits: dimensions read from the header first.
fn decode<R: std::io::BufRead + std::io::Seek>(
    reader: image::ImageReader<R>,
    dimensions: (u32, u32),
) -> Result<DynamicImage, MediaError> {
    let (width, height) = dimensions;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooLarge { width, height });
    }
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width.max(1));
    limits.max_image_height = Some(height.max(1));
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    Ok(reader.decode()?)
}

fn open_limited(path: &Path) -> Result<DynamicImage, MediaError> {
    let reader = || {
        image::ImageReader::open(path)
            .and_then(|r| r.with_guessed_format())
            .map_err(io(path))
    };
    let dimensions = reader()?.into_dimensions()?;
    decode(reader()?, dimensions)
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
    if path.is_file() {
        return open_limited(&path);
    }
    let painted = super::demo_images::paint(key).ok_or(MediaError::NotFound)?;
    let img = DynamicImage::ImageRgb8(painted);
    write_atomically(&path, |tmp| {
        img.save_with_format(tmp, ImageFormat::Png)
            .map_err(Into::into)
    })?;
    Ok(img)
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
    let path = sized_path(root, key, width);
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

/// Makes sized copies for requests, which anyone can send: at most `slots` copies are made at
/// once (resizing is CPU work), a request waits at most [`Resizer::WAIT`] for a slot, and
/// requests for the same copy wait for the first one to make it instead of making it again
/// (single flight).
pub struct Resizer {
    root: PathBuf,
    slots: tokio::sync::Semaphore,
    in_flight: std::sync::Mutex<HashMap<(String, u32), Gate>>,
    made: AtomicU64,
}

impl Resizer {
    /// How long a request waits for a free slot before it is answered "busy".
    pub const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

    pub fn new(root: PathBuf, slots: usize) -> Self {
        Self {
            root,
            slots: tokio::sync::Semaphore::new(slots.max(1)),
            in_flight: std::sync::Mutex::new(HashMap::new()),
            made: AtomicU64::new(0),
        }
    }

    /// How many copies this resizer has made (not found on disk).
    pub fn made(&self) -> u64 {
        self.made.load(Ordering::Relaxed)
    }

    /// The file of `key` at `width`, made if missing (see [`sized`]).
    pub async fn sized(&self, key: &str, width: u32) -> Result<PathBuf, MediaError> {
        if !valid_key(key) || !IMAGE_WIDTHS.contains(&width) {
            return Err(MediaError::NotFound);
        }
        let path = sized_path(&self.root, key, width);
        if path.is_file() {
            return Ok(path);
        }
        let id = (key.to_owned(), width);
        let gate = self
            .in_flight
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(id.clone())
            .or_default()
            .clone();
        let result = {
            let _only_one = gate.lock().await;
            if path.is_file() {
                // Made by the request this one waited for.
                Ok(path)
            } else {
                self.make(key, width).await
            }
        };
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The map's reference and ours: nobody else is waiting for this copy.
        if Arc::strong_count(&gate) <= 2 {
            in_flight.remove(&id);
        }
        result
    }

    async fn make(&self, key: &str, width: u32) -> Result<PathBuf, MediaError> {
        let _slot = tokio::time::timeout(Self::WAIT, self.slots.acquire())
            .await
            .map_err(|_| MediaError::Busy)?
            .map_err(|_| MediaError::Busy)?;
        let root = self.root.clone();
        let key = key.to_owned();
        let made = tokio::task::spawn_blocking(move || sized(&root, &key, width))
            .await
            .map_err(|e| MediaError::Io("resize task".into(), std::io::Error::other(e)))?;
        if made.is_ok() {
            self.made.fetch_add(1, Ordering::Relaxed);
        }
        made
    }
}

/// Held by the request making one copy; its twins wait on it.
type Gate = Arc<tokio::sync::Mutex<()>>;

fn sized_path(root: &Path, key: &str, width: u32) -> PathBuf {
    root.join("sized")
        .join(width.to_string())
        .join(format!("{key}.webp"))
}

/// Stores an uploaded picture (any format the `image` crate reads) as the original of a new
/// key and returns (key, width, height).
pub fn store_original(root: &Path, bytes: &[u8]) -> Result<(String, u32, u32), MediaError> {
    let reader = || image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format();
    let dimensions = reader()
        .map_err(|e| MediaError::Io("upload".into(), e))?
        .into_dimensions()?;
    let img = decode(
        reader().map_err(|e| MediaError::Io("upload".into(), e))?,
        dimensions,
    )?;
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

    /// A tiny file that claims a huge picture is refused from its header, before anything
    /// is decoded or allocated.
    #[test]
    fn pictures_with_too_many_pixels_are_refused_before_decoding() {
        // A PNG header claiming 20000×20000 pixels, followed by almost nothing.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // An empty image data chunk and the end: the decoder reads the header up to here.
        for (kind, data) in [
            (&b"IDAT"[..], &[0x78u8, 0x9c, 0x03, 0x00][..]),
            (b"IEND", &[]),
        ] {
            let mut chunk = kind.to_vec();
            chunk.extend_from_slice(data);
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(&chunk);
            png.extend_from_slice(&crc32(&chunk).to_be_bytes());
        }
        let root =
            std::env::temp_dir().join(format!("shop-media-{}", crate::platform::ids::new_id()));
        assert!(matches!(
            store_original(&root, &png),
            Err(MediaError::TooLarge {
                width: 20_000,
                height: 20_000
            })
        ));
        // The same file as a stored original: the resized copy is refused too.
        std::fs::create_dir_all(root.join("originals")).unwrap();
        std::fs::write(root.join("originals/bomb.png"), &png).unwrap();
        assert!(matches!(
            sized(&root, "bomb", 320),
            Err(MediaError::TooLarge { .. })
        ));
        let _ = std::fs::remove_dir_all(root);
    }

    /// Sixteen requests for the same missing copy make it once; all get it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_for_the_same_copy_make_it_once() {
        let root =
            std::env::temp_dir().join(format!("shop-media-{}", crate::platform::ids::new_id()));
        let resizer = Arc::new(Resizer::new(root.clone(), 2));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let resizer = resizer.clone();
            tasks.push(tokio::spawn(async move {
                resizer.sized("demo-mug-navy-front", 640).await
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap().unwrap().is_file());
        }
        assert_eq!(resizer.made(), 1);
        assert!(resizer.in_flight.lock().unwrap().is_empty());
        assert!(matches!(
            resizer.sized("../etc", 640).await,
            Err(MediaError::NotFound)
        ));
        let _ = std::fs::remove_dir_all(root);
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
