//! A generated demo catalog that looks like a real shop: departments and categories, plausible
//! product names, brands, prices, descriptions, and sizes or colours as variants.
//!
//! Deterministic: the same count gives the same catalog (a small xorshift generator seeded per
//! product), so demo data, tests and benchmarks are reproducible. No downloads.

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

/// Creates the demo categories and `count` products in `currency`, in one transaction per
/// 500 products. Returns the number of products created.
pub async fn generate(db: &Db, count: usize, currency: &str) -> Result<usize, sqlx::Error> {
    let start = now().millis();
    let mut tx = db.begin_write().await?;
    let mut categories = Vec::new();
    for (d, (department, subs)) in DEPARTMENTS.iter().enumerate() {
        let parent = new_id().to_string();
        sqlx::query("INSERT INTO categories (id, parent_id, slug, name, position, created_at) VALUES ($1, NULL, $2, $3, $4, $5)")
            .bind(&parent)
            .bind(slugify(department))
            .bind(*department)
            .bind(d as i64)
            .bind(start)
            .execute(&mut *tx)
            .await?;
        for (s, (name, noun, base, kind)) in subs.iter().enumerate() {
            let id = new_id().to_string();
            sqlx::query("INSERT INTO categories (id, parent_id, slug, name, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&id)
                .bind(&parent)
                .bind(slugify(name))
                .bind(*name)
                .bind(s as i64)
                .bind(start)
                .execute(&mut *tx)
                .await?;
            categories.push((id, *noun, *base, *kind, *department));
        }
    }
    for i in 0..count {
        if i > 0 && i % 500 == 0 {
            tx.commit().await?;
            tx = db.begin_write().await?;
        }
        let mut rng = Rng::new(i as u64 + 1);
        let (category_id, noun, base, kind, department) = &categories[i % categories.len()];
        let title = format!("{} {} {}", rng.pick(ADJECTIVES), rng.pick(MATERIALS), noun);
        let slug = format!("{}-{}", slugify(&title), i + 1);
        let brand = rng.pick(BRANDS);
        // Prices end in ,90 or ,00 like a real shop's: base ±40 %.
        let price = ((base * (60 + rng.below(81) as i64) / 100) / 100) * 100
            + if rng.below(2) == 0 { 90 } else { 0 };
        let description = format!(
            "The {title} by {brand} is made to be used every day and kept for years.\n\n\
             Part of our {department} range, it is designed in small batches and checked by hand before it ships. \
             Free returns within 30 days."
        );
        let product_id = new_id().to_string();
        // Spread creation times over the past year so "newest" means something.
        let created = start - (count - i) as i64 * (365 * Timestamp::DAY / count.max(1) as i64);
        let variants: Vec<String> = match kind {
            Kind::Sizes => SIZES.iter().map(|s| s.to_string()).collect(),
            Kind::ShoeSizes => SHOE_SIZES.iter().map(|s| format!("EU {s}")).collect(),
            Kind::Colours => (0..2 + rng.below(3))
                .map(|k| COLOURS[(i + k) % COLOURS.len()].to_string())
                .collect(),
            Kind::Single => vec!["Standard".to_string()],
        };
        sqlx::query(
            "INSERT INTO products (id, slug, title, description, brand, status, category_id, price_minor, currency, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $9)",
        )
        .bind(&product_id)
        .bind(&slug)
        .bind(&title)
        .bind(&description)
        .bind(brand)
        .bind(category_id)
        .bind(price)
        .bind(currency)
        .bind(created)
        .execute(&mut *tx)
        .await?;
        let on_sale = rng.below(5) == 0;
        for (position, variant) in variants.iter().enumerate() {
            let stock = if rng.below(6) == 0 {
                0
            } else {
                rng.below(40) as i64 + 1
            };
            sqlx::query(
                "INSERT INTO variants (id, product_id, sku, title, price_minor, compare_at_minor, stock, position)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id().to_string())
            .bind(&product_id)
            .bind(format!("SKU-{:06}-{:02}", i + 1, position + 1))
            .bind(variant)
            .bind(price)
            .bind(on_sale.then_some(price + price / 4))
            .bind(stock)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
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
