//! Text for HTML, where pages are written by hand rather than by the view macros (mails, the
//! service worker's offline search page).

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON made safe to place inside a `<script>` element (JSON-LD): `<`, `>` and `&` become
/// `\u003c`, `\u003e` and `\u0026`, and the line separators U+2028 and U+2029 their escapes.
/// Those characters only ever occur inside JSON strings, where the escapes mean the same, so
/// the data is unchanged while no text can close the element (`</script>`), open a comment
/// (`<!--`) that changes how the element is parsed, or break a script that reads it.
pub fn json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            super::escape_html(r#"<a href="x">Tom's & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn json_in_a_script_cannot_end_or_comment_out_the_element() {
        let value = serde_json::json!({"name": "</script><!--<script>a & b\u{2028}"});
        let safe = super::json_for_script(&value.to_string());
        for bad in ["<", ">", "&", "\u{2028}"] {
            assert!(!safe.contains(bad), "{bad:?} in {safe}");
        }
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value, "the data reads back unchanged");
    }
}
