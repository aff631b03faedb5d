//! Synonyms set by the merchant: groups of words a shopper may use for one another ("sneakers,
//! trainers, kicks"). Applied when a query is built, so changing them needs no re-index.

use super::index::analyzer;
use crate::platform::ids::new_id;
use shop_types::Problem;
use std::collections::HashMap;

/// Most terms in one group, and longest term.
pub const MAX_TERMS: usize = 20;
pub const MAX_TERM_CHARS: usize = 40;

/// The groups in force, as analysed words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synonyms {
    /// Each group's terms; a term is one or more analysed words.
    groups: Vec<Vec<Vec<String>>>,
    /// One-word term → the groups it belongs to.
    by_word: HashMap<String, Vec<usize>>,
}

/// Cuts text into analysed words (lower case, accents folded).
pub fn words(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

impl Synonyms {
    /// Builds the lookup from groups written as comma-separated terms.
    pub fn from_groups<'a>(groups: impl IntoIterator<Item = &'a str>) -> Self {
        let mut synonyms = Self::default();
        for group in groups {
            let terms: Vec<Vec<String>> = group
                .split(',')
                .map(words)
                .filter(|w| !w.is_empty())
                .collect();
            if terms.len() < 2 {
                continue;
            }
            let g = synonyms.groups.len();
            for term in &terms {
                if let [word] = term.as_slice() {
                    synonyms.by_word.entry(word.clone()).or_default().push(g);
                }
            }
            synonyms.groups.push(terms);
        }
        synonyms
    }

    /// Other ways to say `word`: each a sequence of analysed words.
    pub fn alternatives(&self, word: &str) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for &g in self
            .by_word
            .get(word)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            for term in &self.groups[g] {
                let is_word_itself = term.len() == 1 && term[0] == word;
                if !is_word_itself && !out.contains(term) {
                    out.push(term.clone());
                }
            }
        }
        out
    }
}

/// Checks a group typed by the merchant and returns it tidied ("Sneakers ,trainers" →
/// "Sneakers, trainers"), or says what is wrong.
pub fn parse_group(text: &str) -> Result<String, Problem> {
    let terms: Vec<String> = text
        .split(',')
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .collect();
    if terms.len() < 2 {
        return Err(Problem::SynonymsTooFew);
    }
    if terms.len() > MAX_TERMS {
        return Err(Problem::SynonymsTooMany {
            max: MAX_TERMS as u32,
        });
    }
    if let Some(long) = terms.iter().find(|t| t.chars().count() > MAX_TERM_CHARS) {
        return Err(Problem::SynonymTermTooLong {
            term: long.clone(),
            max: MAX_TERM_CHARS as u32,
        });
    }
    if terms.iter().any(|t| words(t).is_empty()) {
        return Err(Problem::SynonymTermNoLetters);
    }
    Ok(terms.join(", "))
}

/// The groups stored, oldest first: (id, terms).
pub async fn list(conn: &mut sqlx::AnyConnection) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, terms FROM search_synonyms ORDER BY created_at, id")
        .fetch_all(conn)
        .await
}

/// Stores a checked group (see [`parse_group`]).
pub async fn add(conn: &mut sqlx::AnyConnection, terms: &str) -> Result<String, sqlx::Error> {
    let id = new_id().to_string();
    sqlx::query("INSERT INTO search_synonyms (id, terms, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(terms)
        .bind(crate::platform::clock::now().millis())
        .execute(conn)
        .await?;
    Ok(id)
}

/// Removes a group; false when there was none with that id.
pub async fn remove(conn: &mut sqlx::AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM search_synonyms WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_a_group_point_to_each_other() {
        let s = Synonyms::from_groups(["Sneakers, trainers, running shoes", "tee, T-shirt"]);
        assert_eq!(
            s.alternatives("sneakers"),
            vec![
                vec!["trainers".to_owned()],
                vec!["running".to_owned(), "shoes".to_owned()]
            ]
        );
        assert_eq!(
            s.alternatives("tee"),
            vec![vec!["t".to_owned(), "shirt".to_owned()]]
        );
        assert!(s.alternatives("boots").is_empty());
    }

    #[test]
    fn merchant_groups_are_checked() {
        assert_eq!(
            parse_group(" Sneakers ,trainers,, "),
            Ok("Sneakers, trainers".into())
        );
        assert!(parse_group("alone").is_err());
        assert!(parse_group("a, !!!").is_err());
        assert!(parse_group(&format!("a, {}", "x".repeat(41))).is_err());
    }
}
