//! From what a shopper typed to a tantivy query, and back to highlighted text.
//!
//! Every word must match (AND), in any of the text fields, weighted title > brand = category >
//! tags = options > SKU > description. Words match exactly or within an edit distance that
//! grows with their length (typo tolerance: "blak sneakrs" finds "Black Sneakers"); the last
//! word also matches as a prefix while the shopper is still typing; each word may be replaced
//! by a synonym the merchant set.

use super::index::{Fields, analyzer};
use super::synonyms::Synonyms;
use crate::search::views::TextRun;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

/// Most words of a query that count; the rest are ignored.
pub const MAX_WORDS: usize = 8;

/// One analysed word of a query and how loosely it may match.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryWord {
    pub word: String,
    /// Edits allowed (insertions, deletions, substitutions, swaps of neighbours).
    pub distance: u8,
    /// Whether longer words that start with it match too.
    pub prefix: bool,
    /// Synonyms, each a sequence of words that must all match.
    pub alternatives: Vec<Vec<String>>,
}

/// Edits allowed for a word of this many characters: none for short words, whose near
/// neighbours are mostly other real words.
pub fn distance_for(word: &str) -> u8 {
    // Numbers (sizes, SKUs, years) are exact: 000123 is not a typo of 000124.
    if word.chars().any(|c| c.is_ascii_digit()) {
        return 0;
    }
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Analyses query text. `prefix_last`: the shopper may still be typing the last word.
pub fn parse(text: &str, synonyms: &Synonyms, prefix_last: bool) -> Vec<QueryWord> {
    let mut words = super::synonyms::words(text);
    words.truncate(MAX_WORDS);
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .enumerate()
        .map(|(i, word)| QueryWord {
            distance: distance_for(&word),
            prefix: prefix_last && i == last,
            alternatives: synonyms.alternatives(&word),
            word,
        })
        .collect()
}

/// Which fields a query looks in, with their weights.
pub fn weighted_fields(fields: &Fields, suggest: bool) -> Vec<(Field, f32)> {
    if suggest {
        vec![
            (fields.title, 3.0),
            (fields.brand_text, 1.5),
            (fields.category_text, 1.5),
        ]
    } else {
        vec![
            (fields.title, 3.0),
            (fields.brand_text, 2.0),
            (fields.category_text, 2.0),
            (fields.tags, 1.5),
            (fields.options_text, 1.5),
            (fields.sku, 1.0),
            (fields.description, 0.5),
        ]
    }
}

fn one_word(fields: &[(Field, f32)], word: &str, distance: u8, prefix: bool) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &(field, weight) in fields {
        let term = Term::from_field_text(field, word);
        let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(exact), weight * 2.0)),
        ));
        // Fuzzy and prefix matching over long descriptions finds more noise than products.
        if field_is_short(fields, field) {
            if distance > 0 {
                let fuzzy = FuzzyTermQuery::new(term.clone(), distance, true);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(fuzzy), weight * 0.6)),
                ));
            }
            if prefix {
                let start = FuzzyTermQuery::new_prefix(term, 0, true);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(start), weight)),
                ));
                if distance > 0 {
                    let loose =
                        FuzzyTermQuery::new_prefix(Term::from_field_text(field, word), 1, true);
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(loose), weight * 0.4)),
                    ));
                }
            }
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

fn field_is_short(fields: &[(Field, f32)], field: Field) -> bool {
    // The description is always last and lightest; everything else is a short field.
    fields.len() < 7 || fields.last().map(|(f, _)| *f) != Some(field)
}

/// The query for `words` over `fields`; `None` when nothing is left to look for.
pub fn build(fields: &[(Field, f32)], words: &[QueryWord]) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    let musts = words
        .iter()
        .map(|w| {
            let mut options: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Should,
                one_word(fields, &w.word, w.distance, w.prefix),
            )];
            for alternative in &w.alternatives {
                let all: Vec<(Occur, Box<dyn Query>)> = alternative
                    .iter()
                    .map(|a| (Occur::Must, one_word(fields, a, distance_for(a), false)))
                    .collect();
                options.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), 0.8)),
                ));
            }
            (
                Occur::Must,
                Box::new(BooleanQuery::new(options)) as Box<dyn Query>,
            )
        })
        .collect();
    Some(Box::new(BooleanQuery::new(musts)))
}

/// Edit distance with swaps of neighbours counted as one edit (optimal string alignment),
/// stopping early once it exceeds `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut two_back: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two_back[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut two_back, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn word_matches(token: &str, w: &QueryWord) -> bool {
    let distance = usize::from(w.distance);
    token == w.word
        || (distance > 0 && edit_distance(token, &w.word, distance) <= distance)
        || (w.prefix && token.starts_with(&w.word))
        || (w.prefix
            && distance > 0
            && token.chars().count() > w.word.chars().count()
            && edit_distance(
                &token
                    .chars()
                    .take(w.word.chars().count())
                    .collect::<String>(),
                &w.word,
                1,
            ) <= 1)
        || w.alternatives
            .iter()
            .any(|alt| alt.iter().any(|a| a == token))
}

/// `text` cut into runs, with the words that match the query marked.
pub fn highlight(text: &str, words: &[QueryWord]) -> Vec<TextRun> {
    let mut runs: Vec<TextRun> = Vec::new();
    let mut push = |piece: &str, hit: bool| {
        if piece.is_empty() {
            return;
        }
        match runs.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(piece),
            _ => runs.push(TextRun {
                text: piece.to_owned(),
                hit,
            }),
        }
    };
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut at = 0;
    while let Some(token) = stream.next() {
        let (from, to) = (token.offset_from, token.offset_to);
        if from < at
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        let hit = words.iter().any(|w| word_matches(&token.text, w));
        push(&text[at..from], false);
        push(&text[from..to], hit);
        at = to;
    }
    push(&text[at..], false);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("blak", "black", 2), 1);
        assert_eq!(edit_distance("sneakrs", "sneakers", 2), 1);
        assert_eq!(edit_distance("shirt", "shrit", 2), 1);
        assert_eq!(edit_distance("lamp", "tent", 1), 2);
        assert_eq!(edit_distance("", "abc", 5), 3);
    }

    #[test]
    fn short_words_must_match_exactly() {
        assert_eq!(distance_for("mug"), 0);
        assert_eq!(distance_for("blak"), 1);
        assert_eq!(distance_for("sneakerss"), 2);
        assert_eq!(distance_for("000123"), 0);
    }

    #[test]
    fn query_words_are_folded_and_bounded() {
        let words = parse(
            "Café  CRÈME one two three four five six seven eight",
            &Synonyms::default(),
            true,
        );
        assert_eq!(words.len(), MAX_WORDS);
        assert_eq!(words[0].word, "cafe");
        assert_eq!(words[1].word, "creme");
        assert!(words[MAX_WORDS - 1].prefix && !words[0].prefix);
    }

    #[test]
    fn highlight_marks_fuzzy_and_prefix_matches() {
        let words = parse("blak sneak", &Synonyms::default(), true);
        let runs = highlight("Classic Black Suede Sneakers", &words);
        let marked: Vec<&str> = runs
            .iter()
            .filter(|r| r.hit)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(marked, vec!["Black", "Sneakers"]);
        let joined: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(joined, "Classic Black Suede Sneakers");
    }

    #[test]
    fn highlight_keeps_markup_as_text() {
        let words = parse("script", &Synonyms::default(), false);
        let runs = highlight("<script>alert(1)</script>", &words);
        let joined: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(joined, "<script>alert(1)</script>");
    }
}
