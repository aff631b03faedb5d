use super::views::{IMAGE_WIDTHS, ImageRef};
use leptos::prelude::*;

/// The address of `image` at `width`.
pub fn image_url(image: &ImageRef, width: u32) -> String {
    format!("/media/{}/{width}.webp", image.key)
}

/// A responsive picture: WebP at every offered width in `srcset`, width and height set so the
/// page does not shift while it loads, lazy unless `eager` (above the fold).
#[component]
pub fn ProductImage(
    image: ImageRef,
    /// The `sizes` attribute: how wide the picture is shown.
    #[prop(into)]
    sizes: String,
    #[prop(optional)] eager: bool,
) -> impl IntoView {
    let srcset = IMAGE_WIDTHS
        .iter()
        .map(|w| format!("{} {w}w", image_url(&image, *w)))
        .collect::<Vec<_>>()
        .join(", ");
    let src = image_url(&image, IMAGE_WIDTHS[1]);
    view! {
        <img
            src=src
            srcset=srcset
            sizes=sizes
            width=image.width.to_string()
            height=image.height.to_string()
            alt=image.alt
            loading=if eager { "eager" } else { "lazy" }
            decoding="async"
            fetchpriority=if eager { "high" } else { "auto" }
        />
    }
}
