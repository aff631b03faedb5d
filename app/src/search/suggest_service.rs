//! Suggestions while a shopper types: categories whose names match, and products whose title,
//! brand or category start with what was typed (typos forgiven).

use super::index::{SearchError, SearchIndex};
use super::listing_service::AllHits;
use super::query::{self, QueryWord};
use crate::search::views::{CategorySuggestion, ProductSuggestion, Suggestions};

/// A category as suggestions see it.
#[derive(Clone, Debug)]
pub struct CategoryEntry {
    pub slug: String,
    pub name: String,
    /// Analysed words of its name.
    pub words: Vec<String>,
}

/// How many of each kind a suggestion list shows.
pub const MAX_PRODUCTS: usize = 6;
pub const MAX_CATEGORIES: usize = 4;

fn category_matches(entry: &CategoryEntry, words: &[QueryWord]) -> bool {
    words.iter().all(|w| {
        entry.words.iter().any(|name_word| {
            name_word == &w.word
                || (w.prefix && name_word.starts_with(&w.word))
                || (w.distance > 0
                    && query::edit_distance(name_word, &w.word, w.distance.into())
                        <= w.distance.into())
        })
    })
}

/// Suggestions for `text` (already cleaned); empty below two characters.
pub fn suggest(index: &SearchIndex, text: &str) -> Result<Suggestions, SearchError> {
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Ok(Suggestions::default());
    }
    let synonyms = index.synonyms.read().map(|s| s.clone()).unwrap_or_default();
    let words = query::parse(text, &synonyms, true);
    let categories = index
        .categories
        .read()
        .map(|c| {
            c.iter()
                .filter(|e| category_matches(e, &words))
                .take(MAX_CATEGORIES)
                .map(|e| CategorySuggestion {
                    slug: e.slug.clone(),
                    name: e.name.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(q) = query::build(&query::weighted_fields(&index.fields, true), &words) else {
        return Ok(Suggestions::default());
    };
    let searcher = index.reader.searcher();
    let mut hits = searcher.search(&q, &AllHits { scored: true })?.hits;
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.sold.cmp(&a.sold))
            .then(a.addr.doc_id.cmp(&b.addr.doc_id))
    });
    let products = hits
        .iter()
        .take(MAX_PRODUCTS)
        .map(|h| {
            let s = super::listing_service::summary(index, &searcher, h.addr, Some(&words))?;
            Ok(ProductSuggestion {
                slug: s.slug,
                title: s.highlighted.unwrap_or_default(),
                price: s.price,
            })
        })
        .collect::<Result<Vec<_>, SearchError>>()?;
    Ok(Suggestions {
        categories,
        products,
    })
}
