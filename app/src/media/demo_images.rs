//! Pictures for the demo catalog, painted here rather than downloaded: a product shape per
//! department in the product's colour, lit from the top left, on a soft background with a
//! shadow. Deterministic, so every machine gets the same images.
//!
//! Keys look like `demo-<shape>-<colour>-<view>`; the media store paints an original the first
//! time a size of it is asked for (see `media::storage`).

use image::{Rgb, RgbImage};

/// Side of a painted original, in pixels.
pub const SIDE: u32 = 960;

/// The shapes, one per demo department.
pub const SHAPES: [&str; 8] = [
    "shirt", "shoe", "vase", "mug", "backpack", "glasses", "notebook", "bottle",
];
/// The views painted of each product.
pub const VIEWS: [&str; 2] = ["front", "detail"];

/// A colour name of the demo catalog as RGB.
pub fn colour(name: &str) -> Option<[f32; 3]> {
    Some(match name {
        "black" => [0.16, 0.17, 0.19],
        "sand" => [0.83, 0.72, 0.55],
        "forest" => [0.18, 0.40, 0.27],
        "navy" => [0.14, 0.22, 0.42],
        "rust" => [0.66, 0.30, 0.17],
        "stone" => [0.56, 0.56, 0.53],
        _ => return None,
    })
}

/// The key of a demo picture.
pub fn key(shape: &str, colour: &str, view: &str) -> String {
    format!("demo-{shape}-{}-{view}", colour.to_ascii_lowercase())
}

/// Paints the picture a demo key names; `None` for any other key.
pub fn paint(key: &str) -> Option<RgbImage> {
    let mut parts = key.strip_prefix("demo-")?.split('-');
    let (shape, colour_name, view) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !SHAPES.contains(&shape) || !VIEWS.contains(&view) {
        return None;
    }
    let base = colour(colour_name)?;
    let detail = view == "detail";
    let n = SIDE as f32;
    // Background: the colour washed out to a pale tint, a little darker towards the bottom.
    let tint = |t: f32| -> [f32; 3] {
        let wash = if detail { 0.72 } else { 0.88 };
        let mut c = [0.0; 3];
        for i in 0..3 {
            c[i] = (base[i] * (1.0 - wash) + wash) * (1.0 - 0.06 * t);
        }
        c
    };
    let zoom = if detail { 1.45 } else { 1.0 };
    let mut img = RgbImage::new(SIDE, SIDE);
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        // Shape space: centred, -1..1, zoomed in for the detail view.
        let (u, v) = ((fx / n - 0.5) * 2.0 / zoom, (fy / n - 0.5) * 2.0 / zoom);
        let mut c = tint(fy / n);
        // Shadow under the object.
        let sd = ((u / 0.62).powi(2) + ((v - 0.68) / 0.07).powi(2)).sqrt();
        let shadow = (1.0 - sd).clamp(0.0, 1.0) * 0.22;
        for ch in &mut c {
            *ch *= 1.0 - shadow;
        }
        let d = distance(shape, u, v);
        // One pixel of anti-aliasing at the edge.
        let px_size = 2.0 / n / zoom;
        let alpha = (0.5 - d / px_size).clamp(0.0, 1.0);
        if alpha > 0.0 {
            let light = 1.0 + 0.22 * (-(u + v) * 0.5);
            let rim = (1.0 + d / 0.04).clamp(0.0, 1.0) * 0.12;
            for i in 0..3 {
                let shaded = (base[i] * light * (1.0 - rim)).clamp(0.0, 1.0);
                c[i] = c[i] * (1.0 - alpha) + shaded * alpha;
            }
        }
        *px = Rgb(c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8));
    }
    Some(img)
}

fn rounded_box(u: f32, v: f32, cx: f32, cy: f32, hw: f32, hh: f32, r: f32) -> f32 {
    let qx = (u - cx).abs() - hw + r;
    let qy = (v - cy).abs() - hh + r;
    let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
    outside + qx.max(qy).min(0.0) - r
}

fn circle(u: f32, v: f32, cx: f32, cy: f32, r: f32) -> f32 {
    ((u - cx).powi(2) + (v - cy).powi(2)).sqrt() - r
}

fn rotated(u: f32, v: f32, cx: f32, cy: f32, angle: f32) -> (f32, f32) {
    let (s, c) = angle.sin_cos();
    let (x, y) = (u - cx, v - cy);
    (cx + x * c + y * s, cy - x * s + y * c)
}

/// Signed distance (negative inside) from (u, v) to the shape, in shape units.
fn distance(shape: &str, u: f32, v: f32) -> f32 {
    match shape {
        "shirt" => {
            let body = rounded_box(u, v, 0.0, 0.12, 0.34, 0.5, 0.06);
            let (lu, lv) = rotated(u, v, -0.36, -0.24, 0.6);
            let (ru, rv) = rotated(u, v, 0.36, -0.24, -0.6);
            let sleeves = rounded_box(lu, lv, -0.42, -0.2, 0.2, 0.12, 0.05)
                .min(rounded_box(ru, rv, 0.42, -0.2, 0.2, 0.12, 0.05));
            let neck = circle(u, v, 0.0, -0.42, 0.13);
            body.min(sleeves).max(-neck)
        }
        "shoe" => {
            let sole = rounded_box(u, v, 0.0, 0.42, 0.62, 0.07, 0.06);
            let upper = rounded_box(u, v, -0.18, 0.18, 0.42, 0.22, 0.18);
            let toe = circle(u, v, 0.36, 0.3, 0.16);
            let opening = rounded_box(u, v, -0.3, -0.06, 0.18, 0.06, 0.05);
            sole.min(upper).min(toe).max(-opening)
        }
        "vase" => {
            let belly = circle(u, v, 0.0, 0.2, 0.36);
            let neck = rounded_box(u, v, 0.0, -0.32, 0.13, 0.3, 0.04);
            let lip = rounded_box(u, v, 0.0, -0.6, 0.2, 0.04, 0.03);
            belly.min(neck).min(lip)
        }
        "mug" => {
            let body = rounded_box(u, v, -0.08, 0.1, 0.34, 0.42, 0.08);
            let ring = circle(u, v, 0.3, 0.08, 0.2).max(-circle(u, v, 0.3, 0.08, 0.11));
            body.min(ring)
        }
        "backpack" => {
            let bag = rounded_box(u, v, 0.0, 0.08, 0.42, 0.56, 0.2);
            let handle = circle(u, v, 0.0, -0.52, 0.14).max(-circle(u, v, 0.0, -0.52, 0.08));
            let pocket_line = rounded_box(u, v, 0.0, 0.26, 0.3, 0.005, 0.0);
            bag.min(handle).max(-pocket_line)
        }
        "glasses" => {
            let lenses = circle(u, v, -0.3, 0.05, 0.24).min(circle(u, v, 0.3, 0.05, 0.24));
            let holes = circle(u, v, -0.3, 0.05, 0.19).min(circle(u, v, 0.3, 0.05, 0.19));
            let bridge = rounded_box(u, v, 0.0, -0.02, 0.1, 0.025, 0.02);
            lenses.max(-holes).min(bridge)
        }
        "notebook" => {
            let cover = rounded_box(u, v, 0.0, 0.04, 0.4, 0.54, 0.04);
            let band = rounded_box(u, v, 0.24, 0.04, 0.025, 0.54, 0.0);
            cover.max(-band)
        }
        _ => {
            // Bottle.
            let body = rounded_box(u, v, 0.0, 0.16, 0.26, 0.48, 0.12);
            let shoulder = circle(u, v, 0.0, -0.3, 0.16);
            let cap = rounded_box(u, v, 0.0, -0.5, 0.1, 0.1, 0.03);
            body.min(shoulder).min(cap)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_keys_paint_and_others_do_not() {
        let img = paint(&key("mug", "Forest", "front")).expect("painted");
        assert_eq!(img.dimensions(), (SIDE, SIDE));
        // The centre is the object (dark forest green), a corner the pale background.
        let centre = img.get_pixel(SIDE / 2 - 60, SIDE / 2);
        let corner = img.get_pixel(5, 5);
        assert!(centre[1] < 150 && corner[1] > 200, "{centre:?} {corner:?}");
        for bad in [
            "demo-mug-pink-front",
            "demo-cat-black-front",
            "x",
            "demo-mug-black-front-x",
            "../etc/passwd",
        ] {
            assert!(paint(bad).is_none(), "{bad}");
        }
    }
}
