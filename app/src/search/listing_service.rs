//! Category, collection and search pages, answered from the index: the matching products,
//! filtered, counted per facet, sorted and cut into pages.
//!
//! Facet counts follow the usual shop rule: each group is counted with every *other* filter
//! applied, so a shopper sees what choosing a value would give. All of it is computed over the
//! matches' fast fields in one pass, so a deep page costs the same as the first.

use super::index::{FACET_SEP, SearchError, SearchIndex};
use super::query::{self, QueryWord};
use crate::search::views::{
    FacetGroup, Facets, Filters, ImageRef, Listing, PAGE_SIZE, ProductSummary, Scope, SellerRef,
    Sort,
};
use shop_types::{Currency, Money};
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

/// One match with what listings need of it; strings are interned per query.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    pub addr: DocAddress,
    pub score: Score,
    pub price: i64,
    pub created: i64,
    pub sold: i64,
    pub in_stock: bool,
    pub brand: u32,
    /// The interned `slug␟name` of its seller (0: the shop's own).
    pub seller: u32,
    /// Range into [`Hits::facet_ids`].
    pub facets: (u32, u32),
}

/// Every match of a query.
#[derive(Debug, Default)]
pub(super) struct Hits {
    pub hits: Vec<Hit>,
    pub facet_ids: Vec<u32>,
    /// Interned strings: brands, sellers and `name␟value` facets share one table.
    pub strings: Vec<String>,
}

/// Collects every match (with its score when `scored`) and its fast fields.
pub(super) struct AllHits {
    pub scored: bool,
}

pub(super) struct SegmentHits {
    segment: SegmentOrdinal,
    price: Column<i64>,
    created: Column<i64>,
    sold: Column<i64>,
    in_stock: Column<u64>,
    brand: Option<StrColumn>,
    facet: Option<StrColumn>,
    seller: Option<StrColumn>,
    hits: Vec<Hit>,
    /// Segment-local term ordinals, resolved to strings at harvest.
    brand_ords: Vec<u64>,
    seller_ords: Vec<u64>,
    facet_ords: Vec<u64>,
}

impl Collector for AllHits {
    type Fruit = Hits;
    type Child = SegmentHits;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        let ff = reader.fast_fields();
        Ok(SegmentHits {
            segment,
            price: ff.i64("price")?,
            created: ff.i64("created")?,
            sold: ff.i64("sold")?,
            in_stock: ff.u64("in_stock")?,
            brand: ff.str("brand")?,
            facet: ff.str("facet")?,
            seller: ff.str("seller_facet")?,
            hits: Vec::new(),
            brand_ords: Vec::new(),
            seller_ords: Vec::new(),
            facet_ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Hits> {
        let mut out = Hits::default();
        let mut interned: HashMap<String, u32> = HashMap::new();
        for fruit in fruits {
            let offset = out.facet_ids.len() as u32;
            let map: Vec<u32> = fruit
                .strings
                .into_iter()
                .map(|s| {
                    let next = interned.len() as u32;
                    *interned.entry(s.clone()).or_insert_with(|| {
                        out.strings.push(s);
                        next
                    })
                })
                .collect();
            out.facet_ids
                .extend(fruit.facet_ids.iter().map(|&i| map[i as usize]));
            out.hits.extend(fruit.hits.into_iter().map(|mut h| {
                h.brand = map[h.brand as usize];
                h.seller = map[h.seller as usize];
                h.facets = (h.facets.0 + offset, h.facets.1 + offset);
                h
            }));
        }
        Ok(out)
    }
}

/// A segment's matches, with strings local to it.
pub(super) struct SegmentFruit {
    hits: Vec<Hit>,
    facet_ids: Vec<u32>,
    strings: Vec<String>,
}

impl SegmentCollector for SegmentHits {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let start = self.facet_ords.len() as u32;
        if let Some(facet) = &self.facet {
            self.facet_ords.extend(facet.term_ords(doc));
        }
        let brand = self
            .brand
            .as_ref()
            .and_then(|b| b.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        self.brand_ords.push(brand);
        let seller = self
            .seller
            .as_ref()
            .and_then(|s| s.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        self.seller_ords.push(seller);
        self.hits.push(Hit {
            addr: DocAddress::new(self.segment, doc),
            score,
            price: self.price.first(doc).unwrap_or(0),
            created: self.created.first(doc).unwrap_or(0),
            sold: self.sold.first(doc).unwrap_or(0),
            in_stock: self.in_stock.first(doc).unwrap_or(0) == 1,
            brand: 0,
            seller: 0,
            facets: (start, self.facet_ords.len() as u32),
        });
    }

    fn harvest(self) -> SegmentFruit {
        // Resolve each distinct ordinal once; index 0 is the empty string (no brand).
        let mut strings = vec![String::new()];
        let mut brand_map: HashMap<u64, u32> = HashMap::new();
        let mut seller_map: HashMap<u64, u32> = HashMap::new();
        let mut facet_map: HashMap<u64, u32> = HashMap::new();
        let resolve = |column: &Option<StrColumn>,
                       map: &mut HashMap<u64, u32>,
                       strings: &mut Vec<String>,
                       ord: u64|
         -> u32 {
            if ord == u64::MAX {
                return 0;
            }
            *map.entry(ord).or_insert_with(|| {
                let mut s = String::new();
                if let Some(c) = column {
                    let _ = c.ord_to_str(ord, &mut s);
                }
                strings.push(s);
                strings.len() as u32 - 1
            })
        };
        let mut hits = self.hits;
        for (hit, &ord) in hits.iter_mut().zip(&self.brand_ords) {
            hit.brand = resolve(&self.brand, &mut brand_map, &mut strings, ord);
        }
        for (hit, &ord) in hits.iter_mut().zip(&self.seller_ords) {
            hit.seller = resolve(&self.seller, &mut seller_map, &mut strings, ord);
        }
        let facet_ids = self
            .facet_ords
            .iter()
            .map(|&ord| resolve(&self.facet, &mut facet_map, &mut strings, ord))
            .collect();
        SegmentFruit {
            hits,
            facet_ids,
            strings,
        }
    }
}

/// Where a listing looks.
pub enum Within {
    Category(String),
    Collection(String),
    /// A seller's products (its slug).
    Seller(String),
    Everything,
}

/// Runs `within` (and the search `text`, if any) with `filters`, `sort` and `page`.
pub fn listing(
    index: &SearchIndex,
    scope: Scope,
    within: Within,
    text: &str,
    filters: Filters,
    sort: Sort,
    page: u32,
) -> Result<Listing, SearchError> {
    let f = index.fields;
    let synonyms = index.synonyms.read().map(|s| s.clone()).unwrap_or_default();
    let words = query::parse(text, &synonyms, false);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match within {
        Within::Category(slug) => clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.category, &slug),
                IndexRecordOption::Basic,
            )),
        )),
        Within::Collection(slug) => clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.collection, &slug),
                IndexRecordOption::Basic,
            )),
        )),
        Within::Seller(slug) => clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.seller, &slug),
                IndexRecordOption::Basic,
            )),
        )),
        Within::Everything => {}
    }
    let searching = !words.is_empty();
    if let Some(text_query) = query::build(&query::weighted_fields(&f, false), &words) {
        clauses.push((Occur::Must, text_query));
    }
    let searcher = index.reader.searcher();
    let hits = if clauses.is_empty() {
        if matches!(scope, Scope::Search { .. }) {
            // An empty search shows nothing rather than the whole catalog.
            Hits::default()
        } else {
            searcher.search(&AllQuery, &AllHits { scored: false })?
        }
    } else {
        let q = BooleanQuery::new(clauses);
        searcher.search(
            &q,
            &AllHits {
                scored: searching && sort == Sort::Relevance,
            },
        )?
    };

    let selected = Selection::new(&hits, &filters);
    let currency = currency_of(&searcher, &hits);
    let facets = count_facets(&hits, &selected, currency);
    let mut shown: Vec<&Hit> = hits
        .hits
        .iter()
        .filter(|h| selected.passes(&hits, h, None))
        .collect();
    sort_hits(&mut shown, sort);
    let total = shown.len() as u64;
    let pages = total.div_ceil(u64::from(PAGE_SIZE)).max(1) as u32;
    let page = page.min(pages);
    let products = shown
        .iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|h| {
            summary(
                index,
                &searcher,
                h.addr,
                searching.then_some(words.as_slice()),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Listing {
        scope,
        products,
        total,
        page,
        pages,
        sort,
        filters,
        facets,
    })
}

fn currency_of(searcher: &tantivy::Searcher, hits: &Hits) -> Currency {
    hits.hits
        .first()
        .and_then(|h| searcher.doc::<TantivyDocument>(h.addr).ok())
        .and_then(|d| {
            d.get_first(searcher.schema().get_field("currency").ok()?)
                .and_then(|v| v.as_str().map(str::to_owned))
        })
        .and_then(|c| Currency::parse(&c).ok())
        .unwrap_or(Currency::EUR)
}

/// Which interned strings the shopper's filters chose.
struct Selection {
    brands: Vec<u32>,
    /// Interned sellers chosen; u32::MAX alone when none of the chosen has a match.
    sellers: Vec<u32>,
    /// Per option name: the interned `name␟value` ids chosen. An id of u32::MAX stands for a
    /// value no product has (the group then matches nothing).
    groups: Vec<(String, Vec<u32>)>,
    in_stock: bool,
    min: Option<i64>,
    max: Option<i64>,
}

/// Which filter to leave out when counting a facet group.
#[derive(Clone, Copy, PartialEq)]
enum Skip {
    Brand,
    Seller,
    Group(usize),
    Stock,
    Price,
}

impl Selection {
    fn new(hits: &Hits, filters: &Filters) -> Self {
        let lookup: HashMap<&str, u32> = hits
            .strings
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let find = |s: &str| lookup.get(s).copied().unwrap_or(u32::MAX);
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for (name, value) in &filters.options {
            let id = find(&format!("{name}{FACET_SEP}{value}"));
            match groups.iter_mut().find(|(n, _)| n == name) {
                Some((_, ids)) => ids.push(id),
                None => groups.push((name.clone(), vec![id])),
            }
        }
        let mut sellers: Vec<u32> = Vec::new();
        if !filters.sellers.is_empty() {
            for hit in &hits.hits {
                if hit.seller != 0 && !sellers.contains(&hit.seller) {
                    let slug = seller_of(&hits.strings[hit.seller as usize]).0;
                    if filters.sellers.iter().any(|s| s == slug) {
                        sellers.push(hit.seller);
                    }
                }
            }
            if sellers.is_empty() {
                sellers.push(u32::MAX);
            }
        }
        Self {
            sellers,
            brands: filters.brands.iter().map(|b| find(b)).collect(),
            groups,
            in_stock: filters.in_stock,
            min: filters.min_price,
            max: filters.max_price,
        }
    }

    fn passes(&self, hits: &Hits, hit: &Hit, skip: Option<Skip>) -> bool {
        if skip != Some(Skip::Brand) && !self.brands.is_empty() && !self.brands.contains(&hit.brand)
        {
            return false;
        }
        if skip != Some(Skip::Seller)
            && !self.sellers.is_empty()
            && !self.sellers.contains(&hit.seller)
        {
            return false;
        }
        if skip != Some(Skip::Stock) && self.in_stock && !hit.in_stock {
            return false;
        }
        if skip != Some(Skip::Price)
            && (self.min.is_some_and(|m| hit.price < m) || self.max.is_some_and(|m| hit.price > m))
        {
            return false;
        }
        let facets = &hits.facet_ids[hit.facets.0 as usize..hit.facets.1 as usize];
        self.groups.iter().enumerate().all(|(g, (_, ids))| {
            skip == Some(Skip::Group(g)) || ids.iter().any(|id| facets.contains(id))
        })
    }
}

fn count_facets(hits: &Hits, sel: &Selection, currency: Currency) -> Facets {
    let mut brands: HashMap<u32, u64> = HashMap::new();
    let mut sellers: HashMap<u32, u64> = HashMap::new();
    let mut values: HashMap<u32, u64> = HashMap::new();
    let mut in_stock = 0u64;
    let mut range: Option<(i64, i64)> = None;
    for hit in &hits.hits {
        if sel.passes(hits, hit, Some(Skip::Brand)) && hit.brand != 0 {
            *brands.entry(hit.brand).or_default() += 1;
        }
        if hit.seller != 0 && sel.passes(hits, hit, Some(Skip::Seller)) {
            *sellers.entry(hit.seller).or_default() += 1;
        }
        if sel.passes(hits, hit, Some(Skip::Stock)) && hit.in_stock {
            in_stock += 1;
        }
        if sel.passes(hits, hit, Some(Skip::Price)) {
            range = Some(match range {
                None => (hit.price, hit.price),
                Some((lo, hi)) => (lo.min(hit.price), hi.max(hit.price)),
            });
        }
        let facets = &hits.facet_ids[hit.facets.0 as usize..hit.facets.1 as usize];
        for &id in facets {
            let name = hits.strings[id as usize]
                .split(FACET_SEP)
                .next()
                .unwrap_or_default();
            // Count a value with every filter but its own group's.
            let skip = sel
                .groups
                .iter()
                .position(|(n, _)| n == name)
                .map(Skip::Group);
            let passes = match skip {
                Some(s) => sel.passes(hits, hit, Some(s)),
                None => sel.passes(hits, hit, None),
            };
            if passes {
                *values.entry(id).or_default() += 1;
            }
        }
    }
    let mut brands: Vec<(String, u64)> = brands
        .into_iter()
        .map(|(id, n)| (hits.strings[id as usize].clone(), n))
        .collect();
    brands.sort();
    let mut sellers: Vec<(SellerRef, u64)> = sellers
        .into_iter()
        .map(|(id, n)| {
            let (slug, name) = seller_of(&hits.strings[id as usize]);
            let seller = SellerRef {
                slug: slug.to_owned(),
                name: name.to_owned(),
            };
            (seller, n)
        })
        .collect();
    sellers.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.0.slug.cmp(&b.0.slug)));
    let mut groups: Vec<FacetGroup> = Vec::new();
    for (id, n) in values {
        let Some((name, value)) = hits.strings[id as usize].split_once(FACET_SEP) else {
            continue;
        };
        match groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.values.push((value.to_owned(), n)),
            None => groups.push(FacetGroup {
                name: name.to_owned(),
                values: vec![(value.to_owned(), n)],
            }),
        }
    }
    for g in &mut groups {
        g.values.sort_by_key(|v| value_order(&v.0));
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Facets {
        brands,
        sellers,
        options: groups,
        in_stock,
        price_range: range.map(|(lo, hi)| (Money::new(lo, currency), Money::new(hi, currency))),
    }
}

/// A stored `slug␟name` seller value as (slug, name).
fn seller_of(value: &str) -> (&str, &str) {
    value.split_once(FACET_SEP).unwrap_or((value, value))
}

/// Orders facet values the way shoppers expect: clothing sizes by size, numbers (shoe sizes)
/// by number, everything else alphabetically.
fn value_order(value: &str) -> (u8, i64, String) {
    const SIZES: [&str; 9] = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL"];
    if let Some(i) = SIZES.iter().position(|s| s.eq_ignore_ascii_case(value)) {
        return (0, i as i64, String::new());
    }
    let digits: String = value
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if let Ok(n) = digits.parse::<f64>()
        && !digits.is_empty()
    {
        return (1, (n * 10.0) as i64, value.to_owned());
    }
    (2, 0, value.to_lowercase())
}

fn sort_hits(hits: &mut [&Hit], sort: Sort) {
    let tie = |a: &Hit, b: &Hit| {
        (a.addr.segment_ord, a.addr.doc_id).cmp(&(b.addr.segment_ord, b.addr.doc_id))
    };
    match sort {
        Sort::Relevance => hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.sold.cmp(&a.sold))
                .then(tie(a, b))
        }),
        Sort::BestSelling => hits.sort_by(|a, b| {
            b.sold
                .cmp(&a.sold)
                .then(b.created.cmp(&a.created))
                .then(tie(a, b))
        }),
        Sort::Newest => hits.sort_by(|a, b| b.created.cmp(&a.created).then(tie(a, b))),
        Sort::PriceAsc => hits.sort_by(|a, b| a.price.cmp(&b.price).then(tie(a, b))),
        Sort::PriceDesc => hits.sort_by(|a, b| b.price.cmp(&a.price).then(tie(a, b))),
    }
}

/// A stored product document as a list entry; `words` mark search matches in its title.
pub(super) fn summary(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    addr: DocAddress,
    words: Option<&[QueryWord]>,
) -> Result<ProductSummary, SearchError> {
    let f = index.fields;
    let doc: TantivyDocument = searcher.doc(addr)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let number = |field| doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
    let currency = Currency::parse(&text(f.currency)).unwrap_or(Currency::EUR);
    let title = text(f.title);
    let compare_at = number(f.compare_at);
    let seller = doc
        .get_first(f.seller_facet)
        .and_then(|v| v.as_str())
        .map(|s| {
            let (slug, name) = seller_of(s);
            SellerRef {
                slug: slug.to_owned(),
                name: name.to_owned(),
            }
        });
    let image = doc
        .get_first(f.image)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str::<ImageRef>(s).ok());
    Ok(ProductSummary {
        id: text(f.id),
        slug: text(f.slug),
        highlighted: words.map(|w| query::highlight(&title, w)),
        title,
        brand: text(f.brand),
        price: Money::new(number(f.price), currency),
        compare_at: (compare_at > 0).then(|| Money::new(compare_at, currency)),
        image,
        seller,
    })
}
