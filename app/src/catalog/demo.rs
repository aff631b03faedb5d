//! A generated demo catalog that looks like a real shop: departments and categories, plausible
//! product names, brands, prices, descriptions, and sizes or colours as variants.
//!
//! Deterministic: the same count gives the same catalog (a small xorshift generator seeded per
//! product), so demo data, tests and benchmarks are reproducible. No downloads.

use super::product_store;
use crate::platform::clock::now;
use crate::platform::db::Db;
use crate::platform::ids::new_id;
use shop_types::Timestamp;

/// Departments and their categories: (department, [(category, singular noun, base price in
/// cents, variant kind)]).
/// (category name, singular noun, base price in cents, variant kind).
type CategorySpec = (&'static str, &'static str, i64, Kind);

const DEPARTMENTS: &[(&str, &[CategorySpec])] = &[
    (
        "Clothing",
        &[
            ("T-shirts", "T-shirt", 2500, Kind::Sizes),
            ("Shirts", "Shirt", 4900, Kind::Sizes),
            ("Sweaters", "Sweater", 6900, Kind::Sizes),
            ("Jackets", "Jacket", 12900, Kind::Sizes),
            ("Trousers", "Trousers", 7900, Kind::Sizes),
        ],
    ),
    (
        "Shoes",
        &[
            ("Sneakers", "Sneakers", 8900, Kind::ShoeSizes),
            ("Boots", "Boots", 14900, Kind::ShoeSizes),
            ("Sandals", "Sandals", 4900, Kind::ShoeSizes),
            ("Running shoes", "Running Shoes", 11900, Kind::ShoeSizes),
            ("Slippers", "Slippers", 2900, Kind::ShoeSizes),
        ],
    ),
    (
        "Home",
        &[
            ("Blankets", "Blanket", 5900, Kind::Colours),
            ("Cushions", "Cushion", 2900, Kind::Colours),
            ("Lamps", "Lamp", 7900, Kind::Colours),
            ("Vases", "Vase", 3400, Kind::Colours),
            ("Rugs", "Rug", 9900, Kind::Colours),
        ],
    ),
    (
        "Kitchen",
        &[
            ("Mugs", "Mug", 1400, Kind::Colours),
            ("Knives", "Knife", 4900, Kind::Single),
            ("Pans", "Pan", 5900, Kind::Single),
            ("Cutting boards", "Cutting Board", 3200, Kind::Single),
            ("Teapots", "Teapot", 3900, Kind::Colours),
        ],
    ),
    (
        "Outdoor",
        &[
            ("Backpacks", "Backpack", 8900, Kind::Colours),
            ("Tents", "Tent", 24900, Kind::Single),
            ("Water bottles", "Water Bottle", 2400, Kind::Colours),
            ("Sleeping bags", "Sleeping Bag", 12900, Kind::Single),
            ("Headlamps", "Headlamp", 3900, Kind::Single),
        ],
    ),
    (
        "Accessories",
        &[
            ("Wallets", "Wallet", 3900, Kind::Colours),
            ("Belts", "Belt", 3400, Kind::Sizes),
            ("Hats", "Hat", 2900, Kind::Sizes),
            ("Scarves", "Scarf", 3900, Kind::Colours),
            ("Sunglasses", "Sunglasses", 6900, Kind::Single),
        ],
    ),
    (
        "Office",
        &[
            ("Notebooks", "Notebook", 1200, Kind::Colours),
            ("Pens", "Pen", 900, Kind::Colours),
            ("Desk lamps", "Desk Lamp", 5900, Kind::Colours),
            ("Planners", "Planner", 1900, Kind::Single),
            ("Laptop bags", "Laptop Bag", 7900, Kind::Colours),
        ],
    ),
    (
        "Care",
        &[
            ("Soaps", "Soap", 700, Kind::Single),
            ("Candles", "Candle", 1900, Kind::Single),
            ("Towels", "Towel", 2400, Kind::Colours),
            ("Brushes", "Brush", 1500, Kind::Single),
            ("Lotions", "Lotion", 1700, Kind::Single),
        ],
    ),
];

#[derive(Clone, Copy)]
enum Kind {
    Sizes,
    ShoeSizes,
    Colours,
    Single,
}

const ADJECTIVES: &[&str] = &[
    "Classic",
    "Everyday",
    "Heritage",
    "Urban",
    "Alpine",
    "Coastal",
    "Studio",
    "Essential",
    "Field",
    "Harbour",
    "Nordic",
    "Weekend",
    "Trail",
    "Atelier",
    "Meadow",
    "Summit",
];
const MATERIALS: &[&str] = &[
    "Linen",
    "Wool",
    "Cotton",
    "Oak",
    "Leather",
    "Canvas",
    "Ceramic",
    "Bamboo",
    "Merino",
    "Walnut",
    "Copper",
    "Stoneware",
    "Recycled",
    "Organic",
    "Suede",
    "Cork",
];
const BRANDS: &[&str] = &[
    "Northwind",
    "Fjordline",
    "Tidewell",
    "Oak & Ash",
    "Kettle Co.",
    "Brightfield",
    "Lumen",
    "Stillwater",
    "Greywood",
    "Marlow",
    "Haven",
    "Ridgeback",
];
const COLOURS: &[&str] = &["Black", "Sand", "Forest", "Navy", "Rust", "Stone"];
const SIZES: &[&str] = &["XS", "S", "M", "L", "XL"];
const SHOE_SIZES: &[&str] = &["38", "39", "40", "41", "42", "43", "44", "45"];

/// A tiny deterministic generator (xorshift64*): demo data must not depend on the OS RNG.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Turns a title into a URL slug: lower case, ASCII letters and digits joined by hyphens.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The demo department's index for a picture shape (see `demo_images::SHAPES`).
fn shape_of(department: &str) -> &'static str {
    let d = DEPARTMENTS
        .iter()
        .position(|(name, _)| *name == department)
        .unwrap_or(0);
    crate::media::demo_images::SHAPES[d % crate::media::demo_images::SHAPES.len()]
}

/// Curated demo collections: (slug, title, description, every n-th product, offset).
const COLLECTIONS: &[(&str, &str, &str, usize, usize)] = &[
    (
        "staff-picks",
        "Staff picks",
        "What our team reaches for every day.",
        23,
        3,
    ),
    (
        "gift-ideas",
        "Gift ideas",
        "Presents that feel personal, for every budget.",
        17,
        5,
    ),
    (
        "made-to-last",
        "Made to last",
        "Materials and making that see out the decade.",
        29,
        11,
    ),
];

/// One demo category: (id, singular noun, base price, variant kind, department).
type DemoCategory = (String, &'static str, i64, Kind, &'static str);

/// Creates the demo categories, collections and stock location where missing; returns the
/// categories, the collection ids and the location id.
async fn ensure_structure(
    tx: &mut crate::platform::db::WriteTx,
    start: i64,
) -> Result<(Vec<DemoCategory>, Vec<String>, String), sqlx::Error> {
    async fn category_id(
        tx: &mut crate::platform::db::WriteTx,
        slug: &str,
        name: &str,
        parent: Option<&str>,
        position: i64,
        start: i64,
    ) -> Result<String, sqlx::Error> {
        if let Some(id) =
            sqlx::query_scalar::<_, String>("SELECT id FROM categories WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&mut **tx)
                .await?
        {
            return Ok(id);
        }
        super::category_store::insert(tx, parent, slug, name, Some(position), start).await
    }
    let mut categories = Vec::new();
    for (d, (department, subs)) in DEPARTMENTS.iter().enumerate() {
        let parent =
            category_id(tx, &slugify(department), department, None, d as i64, start).await?;
        for (s, (name, noun, base, kind)) in subs.iter().enumerate() {
            let id = category_id(tx, &slugify(name), name, Some(&parent), s as i64, start).await?;
            categories.push((id, *noun, *base, *kind, *department));
        }
    }
    let mut collections = Vec::new();
    for (position, (slug, title, description, _, _)) in COLLECTIONS.iter().enumerate() {
        let existing =
            sqlx::query_scalar::<_, String>("SELECT id FROM collections WHERE slug = $1")
                .bind(*slug)
                .fetch_optional(&mut **tx)
                .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                super::collection_store::insert(
                    tx,
                    slug,
                    title,
                    description,
                    true,
                    Some(position as i64),
                    start,
                )
                .await?
            }
        };
        collections.push(id);
    }
    let location = super::stock_ledger::location_named(tx, WAREHOUSE, start).await?;
    Ok((categories, collections, location))
}

/// The demo's one stock location.
const WAREHOUSE: &str = "Main warehouse";

/// Adds `count` demo products in `currency` (creating the demo categories, collections and
/// stock location first if missing), one transaction per 500 products; `progress(done)` is
/// called after each. Numbering continues after the products already there, so the command
/// can be run again to grow a catalog. Returns the number created.
pub async fn generate(db: &Db, count: usize, currency: &str) -> Result<usize, sqlx::Error> {
    generate_with_progress(db, count, currency, &mut |_| {}).await
}

/// [`generate`], reporting progress.
pub async fn generate_with_progress(
    db: &Db,
    count: usize,
    currency: &str,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<usize, sqlx::Error> {
    let start = now().millis();
    let mut tx = db.begin_write().await?;
    let (categories, collections, location) = ensure_structure(&mut tx, start).await?;
    let offset: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
        .fetch_one(&mut *tx)
        .await?;
    let offset = offset as usize;
    for n in 0..count {
        if n > 0 && n % 500 == 0 {
            tx.commit().await?;
            progress(n);
            tx = db.begin_write().await?;
        }
        let i = offset + n;
        let mut rng = Rng::new(i as u64 + 1);
        let (category_id, noun, base, kind, department) = &categories[i % categories.len()];
        let adjective = rng.pick(ADJECTIVES);
        let material = rng.pick(MATERIALS);
        let colour = COLOURS[rng.below(COLOURS.len())];
        // Clothes and shoes come in one colour and several sizes; the colour is in the name.
        let title = match kind {
            Kind::Sizes | Kind::ShoeSizes => format!("{adjective} {colour} {material} {noun}"),
            _ => format!("{adjective} {material} {noun}"),
        };
        let slug = format!("{}-{}", slugify(&title), i + 1);
        let brand = rng.pick(BRANDS);
        // Prices end in ,90 or ,00 like a real shop's: base ±40 %.
        let price = ((base * (60 + rng.below(81) as i64) / 100) / 100) * 100
            + if rng.below(2) == 0 { 90 } else { 0 };
        let description = format!(
            "The **{title}** by {brand} is made to be used every day and kept for years.\n\n\
             Part of our {department} range, it is designed in small batches and checked by hand before it ships.\n\n\
             - {material} throughout\n\
             - Free returns within 30 days\n\
             - Repairs for life: [read our care guide](/pages/care)"
        );
        let product_id = new_id().to_string();
        // Spread creation times over the past year so "newest" means something.
        let created = start - (count - n) as i64 * (365 * Timestamp::DAY / count.max(1) as i64);
        // A few products sell a lot, most a little.
        let sold = {
            let r = rng.below(1000) as i64;
            r * r / 2000
        };
        let (option_name, variants): (Option<&str>, Vec<String>) = match kind {
            Kind::Sizes => (Some("Size"), SIZES.iter().map(|s| s.to_string()).collect()),
            Kind::ShoeSizes => (
                Some("Size"),
                SHOE_SIZES.iter().map(|s| format!("EU {s}")).collect(),
            ),
            Kind::Colours => (
                Some("Colour"),
                (0..2 + rng.below(3))
                    .map(|k| COLOURS[(i + k) % COLOURS.len()].to_string())
                    .collect(),
            ),
            Kind::Single => (None, vec!["Standard".to_string()]),
        };
        let option_names: Vec<String> = option_name.map(str::to_owned).into_iter().collect();
        let row = product_store::ProductRow {
            slug: &slug,
            title: &title,
            description: &description,
            brand,
            status: "active",
            category_id: Some(category_id),
            product_type: "",
            seo_title: "",
            seo_description: "",
            option_names: &option_names,
            price_minor: price,
            currency,
        };
        product_store::insert_product(&mut tx, &product_id, &row, created, sold).await?;
        let on_sale = rng.below(5) == 0;
        for (position, variant) in variants.iter().enumerate() {
            let stock = if rng.below(6) == 0 {
                0
            } else {
                rng.below(40) as i64 + 1
            };
            let variant_id = new_id().to_string();
            let sku = format!("SKU-{:06}-{:02}", i + 1, position + 1);
            let barcode = format!("40{:011}", (i + 1) * 10 + position);
            let options: Vec<String> = option_name.map(|_| variant.clone()).into_iter().collect();
            let row = product_store::VariantRow {
                sku: &sku,
                title: variant,
                price_minor: price,
                compare_at_minor: on_sale.then_some(price + price / 4),
                position: position as i64,
                options: &options,
                weight_grams: 150 + (rng.below(20) as i64) * 50,
                barcode: Some(&barcode),
            };
            product_store::insert_variant(&mut tx, &variant_id, &product_id, &row).await?;
            super::stock_ledger::receive(&mut tx, &variant_id, &location, stock, "demo").await?;
        }
        let mut attributes = vec![("Material", material.to_owned())];
        if matches!(kind, Kind::Sizes | Kind::ShoeSizes) {
            attributes.push(("Colour", colour.to_owned()));
        }
        for (position, (name, value)) in attributes.iter().enumerate() {
            product_store::add_attribute(&mut tx, &product_id, name, value, position as i64)
                .await?;
        }
        let tags = [
            department.to_lowercase(),
            material.to_lowercase(),
            adjective.to_lowercase(),
        ];
        product_store::set_tags(&mut tx, &product_id, &tags, false).await?;
        // Pictures: the colour it is shown in (its first colour option, or its own colour).
        let picture_colour = match kind {
            Kind::Colours => variants[0].as_str(),
            _ => colour,
        };
        let shape = shape_of(department);
        for (position, view) in crate::media::demo_images::VIEWS.iter().enumerate() {
            let alt = if position == 0 {
                format!("{title} in {}", picture_colour.to_lowercase())
            } else {
                format!(
                    "Close-up of the {title}, showing the {} finish",
                    material.to_lowercase()
                )
            };
            let key = crate::media::demo_images::key(shape, picture_colour, view);
            let side = i64::from(crate::media::demo_images::SIDE);
            let image = product_store::ImageRow {
                position: Some(position as i64),
                file_key: &key,
                alt: &alt,
                width: side,
                height: side,
                source_url: None,
            };
            product_store::insert_image(&mut tx, &product_id, &image, created).await?;
        }
        for ((_, _, _, every, from), collection) in COLLECTIONS.iter().zip(&collections) {
            if i % every == *from {
                super::collection_store::add_product(
                    &mut tx,
                    collection,
                    &product_id,
                    Some(i as i64),
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    progress(count);
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slugify("Oak & Ash: Classic Linen T-shirt"),
            "oak-ash-classic-linen-t-shirt"
        );
        assert_eq!(slugify("  --Hello--  "), "hello");
    }

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next()).collect()
        };
        assert_eq!(a, b);
        assert_eq!(DEPARTMENTS.iter().map(|(_, c)| c.len()).sum::<usize>(), 40);
    }
}
