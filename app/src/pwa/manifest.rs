//! The web app manifest, made from the store's settings, and the app icons, painted by the
//! server (so a new shop is installable before anyone designs an icon).

use serde_json::{Value, json};

/// The shop's colours (the same as `style/main.css`'s `--brand` and `--paper`).
pub const THEME_COLOUR: &str = "#1f3a5f";
pub const BACKGROUND_COLOUR: &str = "#ffffff";
const BRAND_RGB: [u8; 3] = [0x1f, 0x3a, 0x5f];

/// Icon sizes offered (Chromium wants 192 and 512).
pub const ICON_SIZES: [u32; 2] = [192, 512];

/// A short name for the home screen: the store's name when it fits under an icon, else its
/// first word (cut to 12 characters).
pub fn short_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= 12 {
        return name.to_owned();
    }
    let first = name.split_whitespace().next().unwrap_or(name);
    first.chars().take(12).collect()
}

/// The manifest for a store called `name`.
pub fn manifest(name: &str) -> Value {
    let name = if name.trim().is_empty() {
        "Shop"
    } else {
        name.trim()
    };
    let mut icons: Vec<Value> = Vec::new();
    for size in ICON_SIZES {
        icons.push(json!({
            "src": format!("/icons/{size}.png"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": "any",
        }));
        icons.push(json!({
            "src": format!("/icons/maskable-{size}.png"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": "maskable",
        }));
    }
    let shortcut = |label: &str, url: &str| {
        json!({
            "name": label,
            "short_name": label,
            "url": url,
            "icons": [{ "src": "/icons/192.png", "sizes": "192x192", "type": "image/png" }],
        })
    };
    json!({
        "id": "/",
        "name": name,
        "short_name": short_name(name),
        "description": format!("Shop at {name}: browse, save favourites and check out, online or off."),
        "lang": "en",
        "dir": "ltr",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["shopping"],
        "icons": icons,
        "screenshots": [
            {
                "src": "/screenshots/narrow.png",
                "sizes": "390x844",
                "type": "image/png",
                "form_factor": "narrow",
                "label": "A product page on a phone",
            },
            {
                "src": "/screenshots/wide.png",
                "sizes": "1280x800",
                "type": "image/png",
                "form_factor": "wide",
                "label": "The shop's home page",
            },
        ],
        "shortcuts": [
            shortcut("Search", "/search"),
            shortcut("Cart", "/cart"),
            shortcut("Orders", "/account/orders"),
        ],
    })
}

/// A square PNG icon of `size` pixels: a white shopping bag on the brand colour. `maskable`
/// fills the whole square and keeps the bag inside the central safe zone (a circle of 80 %);
/// otherwise the square has rounded corners.
pub fn icon_png(size: u32, maskable: bool) -> Result<Vec<u8>, image::ImageError> {
    let s = size as f32;
    let mut img = image::RgbaImage::new(size, size);
    // The bag's geometry in units of the icon (0..1), smaller for maskable icons.
    let scale = if maskable { 0.55 } else { 0.7 };
    let offset = (1.0 - scale) / 2.0;
    let radius = 0.22;
    for (x, y, px) in img.enumerate_pixels_mut() {
        let u = (x as f32 + 0.5) / s;
        let v = (y as f32 + 0.5) / s;
        let inside_square = maskable || rounded_square(u, v, radius);
        if !inside_square {
            *px = image::Rgba([0, 0, 0, 0]);
            continue;
        }
        // Bag coordinates.
        let bu = (u - offset) / scale;
        let bv = (v - offset) / scale;
        let body = (0.12..=0.88).contains(&bu) && (0.32..=0.95).contains(&bv);
        let dx = bu - 0.5;
        let dy = bv - 0.34;
        let ring = (dx * dx + dy * dy).sqrt();
        let handle = bv <= 0.34 && (0.17..=0.25).contains(&ring);
        *px = if body || handle {
            image::Rgba([255, 255, 255, 255])
        } else {
            image::Rgba([BRAND_RGB[0], BRAND_RGB[1], BRAND_RGB[2], 255])
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn rounded_square(u: f32, v: f32, r: f32) -> bool {
    let cx = u.clamp(r, 1.0 - r);
    let cy = v.clamp(r, 1.0 - r);
    let (dx, dy) = (u - cx, v - cy);
    dx * dx + dy * dy <= r * r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_meets_the_install_criteria() {
        let m = manifest("Northwind Outfitters");
        assert_eq!(m["name"], "Northwind Outfitters");
        assert_eq!(m["short_name"], "Northwind");
        assert_eq!(m["display"], "standalone");
        assert_eq!(m["start_url"], "/?source=app");
        let icons = m["icons"].as_array().unwrap();
        for (size, purpose) in [
            ("192x192", "any"),
            ("512x512", "any"),
            ("512x512", "maskable"),
        ] {
            assert!(
                icons
                    .iter()
                    .any(|i| i["sizes"] == size && i["purpose"] == purpose),
                "{size} {purpose}"
            );
        }
        let shortcuts: Vec<&str> = m["shortcuts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["url"].as_str().unwrap())
            .collect();
        assert_eq!(shortcuts, ["/search", "/cart", "/account/orders"]);
        assert_eq!(short_name("Tiny"), "Tiny");
        assert_eq!(manifest("  ")["name"], "Shop");
    }

    #[test]
    fn icons_are_pngs_of_the_asked_size() {
        for maskable in [false, true] {
            let png = icon_png(192, maskable).unwrap();
            let img = image::load_from_memory(&png).unwrap();
            assert_eq!((img.width(), img.height()), (192, 192));
            let rgba = img.to_rgba8();
            // Rounded icons have transparent corners; maskable ones are full bleed.
            assert_eq!(rgba.get_pixel(0, 0)[3] == 0, !maskable);
            // The centre of the bag is white.
            assert_eq!(rgba.get_pixel(96, 120).0, [255, 255, 255, 255]);
        }
    }
}
