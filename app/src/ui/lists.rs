//! Lists in the console: filter options, keyset cursors and "Next page" links.
use shop_types::Problem;

/// The options of a list filter: "any" (the empty value) first, then `items` as (value,
/// label), the one equal to `current` chosen.
pub fn filter_options<'a>(
    current: &str,
    any: &'static str,
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    std::iter::once(("", any))
        .chain(items)
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value.to_owned() selected=selected>{label.to_owned()}</option> }
        })
        .collect_view()
        .into_any()
}

/// Reads a keyset cursor (`<milliseconds>_<id>`, as the console's "Next page" links carry it).
pub fn parse_cursor(after: Option<String>) -> Result<Option<(i64, String)>, shop_types::AppError> {
    after
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.split_once('_')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_owned())))
                .filter(|(_, id)| id.len() <= 40)
                .ok_or_else(|| shop_types::AppError::validation("after", Problem::PageLinkBroken))
        })
        .transpose()
}

/// A list page's "Next page" link: `path` with the filters named in `keep` (from `query`) and
/// the cursor.
pub fn next_page(
    path: &str,
    query: &leptos_router::params::ParamsMap,
    keep: &[&str],
    cursor: String,
) -> String {
    let mut pairs: Vec<(String, String)> = keep
        .iter()
        .filter_map(|k| {
            query
                .get(k)
                .filter(|v| !v.is_empty())
                .map(|v| ((*k).to_owned(), v))
        })
        .collect();
    pairs.push(("after".into(), cursor));
    format!("{path}?{}", query_string(&pairs))
}

/// `a=1&b=x%20y` from pairs, for links that keep a list's filters.
pub fn query_string(pairs: &[(String, String)]) -> String {
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
