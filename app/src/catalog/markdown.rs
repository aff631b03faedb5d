//! Product descriptions: Markdown written by merchants, rendered to HTML that is safe by
//! construction rather than cleaned afterwards.
//!
//! Raw HTML in the source is shown as text (never passed through), links keep only `http`,
//! `https`, `mailto` and same-site addresses and get `rel="nofollow ugc noopener"`, and images are
//! shown as their alternative text, so a description can neither run script nor load
//! third-party content. Everything else is ordinary CommonMark plus tables and strikethrough.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Longest description rendered; the rest is cut (the admin editor enforces it too).
pub const MAX_SOURCE: usize = 20_000;

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if let Some((scheme, _)) = lower.split_once(':')
        && !scheme.contains('/')
        && !scheme.contains('?')
        && !scheme.contains('#')
    {
        return matches!(scheme, "http" | "https" | "mailto");
    }
    // No scheme: a path, query or fragment on this site, but not a protocol-relative address
    // (`//host`, `/\host`, or one hidden behind a tab or a backslash).
    !lower.contains('\\')
        && !lower.chars().any(char::is_control)
        && (shop_types::paths::is_same_site_path(&lower) || !lower.starts_with('/'))
}

/// Renders `source` to safe HTML.
pub fn render(source: &str) -> String {
    let source = match source.char_indices().nth(MAX_SOURCE) {
        Some((cut, _)) => &source[..cut],
        None => source,
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut in_image = 0usize;
    let events = Parser::new_ext(source, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            };
            let link_type = match link_type {
                LinkType::Email => LinkType::Email,
                _ => LinkType::Inline,
            };
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    // pulldown-cmark writes plain `<a href=..>`; every link in a description is user content.
    out.replace("<a href=", "<a rel=\"nofollow ugc noopener\" href=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render("**Warm** wool.\n\n- soft\n- light");
        assert!(html.contains("<strong>Warm</strong>"), "{html}");
        assert!(html.contains("<li>soft</li>"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " data:text/html,x",
            "//evil.example/x",
            "/\\evil.example/x",
            "vbscript:x",
        ] {
            let html = render(&format!("[click]({bad})"));
            assert!(html.contains("href=\"#\""), "{bad}: {html}");
        }
        let ok = render("[care guide](https://example.com/care) and [faq](/pages/faq)");
        assert!(ok.contains("href=\"https://example.com/care\""), "{ok}");
        assert!(ok.contains("href=\"/pages/faq\""), "{ok}");
        assert!(ok.contains("rel=\"nofollow ugc noopener\""), "{ok}");
    }

    #[test]
    fn images_become_their_alt_text() {
        let html = render("![a red mug](https://tracker.example/pixel.gif)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a red mug"), "{html}");
    }
}
