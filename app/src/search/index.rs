//! The search index: one tantivy document per active product, on disk under the data folder
//! (or in memory for tests).
//!
//! Besides full-text fields it keeps, as fast fields, what listings filter, count and sort on
//! (brand, option values, price, stock, dates, sales), so category, collection and search pages
//! are all answered from here without touching the database. Each instance keeps its own index
//! and follows the database (see `follower`); the commit payload records how far it has read.

use super::documents::IndexedProduct;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
/// tantivy's error, for callers that wrap their own failures in [`SearchError::Index`].
pub use tantivy::TantivyError;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// The analyzer every text field uses: words, lower-cased, accents folded ("Café" = "cafe").
pub const ANALYZER: &str = "shop";
/// Separates an option's name from its value in the `facet` field.
pub const FACET_SEP: char = '\u{1f}';
/// The index writer's memory budget. tantivy needs at least 15 MB per indexing thread.
const WRITER_HEAP: usize = 40_000_000;

/// The analyzer, for the index and for query text alike.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The fields of a product document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub slug: Field,
    pub title: Field,
    pub brand: Field,
    pub brand_text: Field,
    pub category: Field,
    pub category_text: Field,
    pub collection: Field,
    pub tags: Field,
    pub options_text: Field,
    pub facet: Field,
    pub sku: Field,
    pub description: Field,
    pub price: Field,
    pub compare_at: Field,
    pub currency: Field,
    pub created: Field,
    pub sold: Field,
    pub in_stock: Field,
    pub image: Field,
    /// The seller's slug (none: the shop's own product), for a seller's own listing.
    pub seller: Field,
    /// `slug␟name` of the seller, for its facet and the product's card.
    pub seller_facet: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool, positions: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            });
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        slug: b.add_text_field("slug", STORED),
        title: b.add_text_field("title", text(true, true)),
        brand: b.add_text_field("brand", STRING | FAST | STORED),
        brand_text: b.add_text_field("brand_text", text(false, false)),
        category: b.add_text_field("category", STRING),
        category_text: b.add_text_field("category_text", text(false, false)),
        collection: b.add_text_field("collection", STRING),
        tags: b.add_text_field("tags", text(false, false)),
        options_text: b.add_text_field("options_text", text(false, false)),
        facet: b.add_text_field("facet", STRING | FAST),
        sku: b.add_text_field("sku", text(false, true)),
        description: b.add_text_field("description", text(false, false)),
        price: b.add_i64_field("price", FAST | STORED),
        compare_at: b.add_i64_field("compare_at", STORED),
        currency: b.add_text_field("currency", STORED),
        created: b.add_i64_field("created", FAST | INDEXED),
        sold: b.add_i64_field("sold", FAST),
        in_stock: b.add_u64_field("in_stock", FAST),
        image: b.add_text_field("image", STORED),
        seller: b.add_text_field("seller", STRING),
        seller_facet: b.add_text_field("seller_facet", STRING | FAST | STORED),
    };
    (b.build(), fields)
}

/// The index could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(
        "the search index at {0} is in use by another process (a running shop?): stop it first"
    )]
    Locked(String),
    #[error("search index: reading the catalog: {0}")]
    Database(#[from] sqlx::Error),
}

/// The commit payload: how far into `products.updated_at` the index has read.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Payload {
    watermark: i64,
    /// The database this index was built from (see [`SearchIndex::attach`]).
    #[serde(default)]
    catalog: String,
}

/// The search index of one instance: reader for queries, one writer for changes.
pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(super) fields: Fields,
    /// Synonym groups in force, lower-case and folded.
    pub(super) synonyms: RwLock<super::synonyms::Synonyms>,
    /// Every category, for suggestions: (slug, name, words).
    pub(super) categories: RwLock<Vec<super::suggest_service::CategoryEntry>>,
    /// Bumped on every change readers can see: caches of rendered pages compare it.
    generation: AtomicU64,
    /// The database this index follows (empty: not checked).
    catalog: Mutex<String>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.reader.searcher().num_docs())
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if missing.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Folder(dir.display().to_string(), e))?;
        let (schema, _) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Index(e.into()))?;
        let index = match Index::open_or_create(directory.clone(), schema.clone()) {
            Ok(index) => index,
            // An index written by an older version of the shop (other fields): it is only a
            // copy of the database, so it is made anew and the follower rebuilds it.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                tracing::info!(dir = %dir.display(), "search index: new fields, rebuilding");
                drop(directory);
                std::fs::remove_dir_all(dir)
                    .and_then(|()| std::fs::create_dir_all(dir))
                    .map_err(|e| SearchError::Folder(dir.display().to_string(), e))?;
                let directory = tantivy::directory::MmapDirectory::open(dir)
                    .map_err(|e| SearchError::Index(e.into()))?;
                Index::create(directory, schema, tantivy::IndexSettings::default())?
            }
            Err(e) => return Err(e.into()),
        };
        Self::from_index(index).map_err(|e| match e {
            SearchError::Index(tantivy::TantivyError::LockFailure(..)) => {
                SearchError::Locked(dir.display().to_string())
            }
            other => other,
        })
    }

    /// An index held in memory (tests).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, _) = schema();
        Self::from_index(Index::create_in_ram(schema))
    }

    fn from_index(index: Index) -> Result<Self, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer());
        let (_, fields) = schema();
        let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            synonyms: RwLock::new(Default::default()),
            categories: RwLock::new(Vec::new()),
            generation: AtomicU64::new(1),
            catalog: Mutex::new(String::new()),
        })
    }

    /// Changes with every commit that readers can see (pages built from the index are stale
    /// once it moves).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Marks everything built from the index as stale (the vocabulary queries use changed).
    pub(super) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Products in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no product.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn payload(&self) -> Payload {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .unwrap_or_default()
    }

    /// The `products.updated_at` up to which the index has read (0: nothing yet).
    pub fn watermark(&self) -> i64 {
        self.payload().watermark
    }

    /// Ties the index to the database `catalog` (its `app_meta` catalog id). An index built
    /// from another database (its file deleted and created anew, a copied data folder) is
    /// emptied, so it is rebuilt rather than left showing products that do not exist. Returns
    /// whether it was emptied.
    pub fn attach(&self, catalog: &str) -> Result<bool, SearchError> {
        let stored = self.payload();
        *self.catalog.lock().unwrap_or_else(|p| p.into_inner()) = catalog.to_owned();
        if stored.catalog == catalog {
            return Ok(false);
        }
        self.clear()?;
        Ok(stored.watermark != 0 || !stored.catalog.is_empty())
    }

    fn payload_json(&self, watermark: i64) -> String {
        serde_json::to_string(&Payload {
            watermark,
            catalog: self
                .catalog
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        })
        .unwrap_or_default()
    }

    /// Replaces the documents of `products` (absent ids are removed: they are no longer
    /// active), records `watermark`, commits and makes the change visible.
    pub fn apply(
        &self,
        upserts: &[IndexedProduct],
        removals: &[String],
        watermark: i64,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        for id in removals {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for product in upserts {
            writer.delete_term(Term::from_field_text(self.fields.id, &product.id));
            writer.add_document(self.document(product))?;
        }
        let payload = self.payload_json(watermark.max(self.watermark()));
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Empties the index (before a rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_all_documents()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&self.payload_json(0));
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    fn document(&self, p: &IndexedProduct) -> TantivyDocument {
        let f = &self.fields;
        let mut d = doc!(
            f.id => p.id.as_str(),
            f.slug => p.slug.as_str(),
            f.title => p.title.as_str(),
            f.brand => p.brand.as_str(),
            f.brand_text => p.brand.as_str(),
            f.description => p.description.as_str(),
            f.price => p.price_minor,
            f.compare_at => p.compare_at_minor.unwrap_or(0),
            f.currency => p.currency.as_str(),
            f.created => p.created_at,
            f.sold => p.sold_count,
            f.in_stock => u64::from(p.in_stock),
        );
        for (slug, name) in &p.categories {
            d.add_text(f.category, slug);
            d.add_text(f.category_text, name);
        }
        for slug in &p.collections {
            d.add_text(f.collection, slug);
        }
        for tag in &p.tags {
            d.add_text(f.tags, tag);
        }
        for sku in &p.skus {
            d.add_text(f.sku, sku);
        }
        // A seller's name finds its products, as a brand does.
        if let Some(seller) = &p.seller {
            d.add_text(f.seller, &seller.slug);
            d.add_text(
                f.seller_facet,
                format!("{}{FACET_SEP}{}", seller.slug, seller.name),
            );
            d.add_text(f.brand_text, &seller.name);
        }
        for (name, value) in &p.facets {
            d.add_text(f.options_text, value);
            d.add_text(f.facet, format!("{name}{FACET_SEP}{value}"));
        }
        if let Some(image) = &p.image {
            d.add_text(f.image, serde_json::to_string(image).unwrap_or_default());
        }
        d
    }
}
