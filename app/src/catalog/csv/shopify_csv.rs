//! Shopify's product CSV, read and written. Pure: no database.
//!
//! One product spans several rows with the same `Handle`: the first carries the product's
//! fields and its first variant, later rows carry more variants and/or more pictures (a row
//! with only `Image Src` adds a picture). Each row is checked on its own, so a broken row is
//! reported with its number and the good rows still import; a product whose own fields are
//! broken takes its rows with it.

use shop_types::Problem;
use std::collections::HashMap;

/// Columns we read (others are ignored) and write, in Shopify's names and order.
pub const COLUMNS: [&str; 31] = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "SEO Title",
    "SEO Description",
    "Status",
];

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 200_000;

/// A row that could not be used, by its line in the file (the header is row 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub handle: String,
    pub problem: Problem,
}

/// A cell's value as quoted back in a row error: short, so a stored error stays small.
fn quoted(value: &str) -> String {
    value.chars().take(40).collect()
}

/// A variant as the file describes it (prices still text: the currency decides their form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvVariant {
    pub row: usize,
    pub sku: String,
    pub options: [String; 3],
    pub price: String,
    pub compare_at: String,
    pub grams: i64,
    pub quantity: Option<i64>,
    pub barcode: String,
}

/// A picture to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvImage {
    pub row: usize,
    pub src: String,
    pub position: i64,
    pub alt: String,
}

/// One product and the rows that make it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvProduct {
    /// The first row of the product.
    pub row: usize,
    /// The last row of the product.
    pub last_row: usize,
    pub handle: String,
    pub title: String,
    pub body_html: String,
    /// Shopify's "Vendor" column: the maker, which is our product's brand (a marketplace
    /// seller is something else: `vendors`).
    pub brand: String,
    pub category: String,
    pub product_type: String,
    pub tags: String,
    /// "active", "draft" or "archived".
    pub status: String,
    pub option_names: [String; 3],
    pub variants: Vec<CsvVariant>,
    pub images: Vec<CsvImage>,
    pub seo_title: String,
    pub seo_description: String,
}

/// What a file holds: products in file order, rows refused, and the number of data rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedFile {
    pub products: Vec<CsvProduct>,
    pub errors: Vec<RowError>,
    pub rows: usize,
}

/// Why the whole file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    #[error("{}", Problem::from(self))]
    Empty,
    #[error("{}", Problem::from(self))]
    NoHandle,
    #[error("{}", Problem::from(self))]
    Malformed(usize),
    #[error("{}", Problem::from(self))]
    TooLarge,
}

/// Reads a Shopify product CSV.
pub fn parse(text: &str) -> Result<ParsedFile, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| FileError::Malformed(1))?
        .clone();
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
        .collect();
    if !index.contains_key("handle") {
        return Err(FileError::NoHandle);
    }
    let mut out = ParsedFile::default();
    let mut by_handle: HashMap<String, usize> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        if n >= MAX_ROWS {
            return Err(FileError::TooLarge);
        }
        let record = record.map_err(|_| FileError::Malformed(row))?;
        out.rows += 1;
        let get = |name: &str| -> String {
            index
                .get(&name.to_ascii_lowercase())
                .and_then(|i| record.get(*i))
                .map(crate::platform::export::restore_cell)
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let handle = get("Handle").to_lowercase();
        if record.iter().all(|f| f.trim().is_empty()) {
            out.rows -= 1;
            continue;
        }
        let fail = |problem: Problem, out: &mut ParsedFile| {
            out.errors.push(RowError {
                row,
                handle: handle.clone(),
                problem,
            });
        };
        if handle.is_empty() {
            fail(Problem::CsvHandleMissing, &mut out);
            continue;
        }
        if handle.len() > 120
            || !handle
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            fail(Problem::CsvHandleInvalid, &mut out);
            continue;
        }
        let position = match by_handle.get(&handle) {
            Some(p) => *p,
            None => {
                let title = get("Title");
                if title.is_empty() {
                    fail(Problem::CsvTitleMissing, &mut out);
                    continue;
                }
                let status = match get("Status").to_lowercase().as_str() {
                    "active" => "active",
                    "draft" => "draft",
                    "archived" => "archived",
                    "" => match get("Published").to_lowercase().as_str() {
                        "false" | "no" | "0" => "draft",
                        _ => "active",
                    },
                    other => {
                        fail(
                            Problem::CsvStatusUnknown {
                                value: quoted(other),
                            },
                            &mut out,
                        );
                        continue;
                    }
                };
                out.products.push(CsvProduct {
                    row,
                    last_row: row,
                    handle: handle.clone(),
                    title,
                    body_html: get("Body (HTML)"),
                    brand: get("Vendor"),
                    category: get("Product Category"),
                    product_type: get("Type"),
                    tags: get("Tags"),
                    status: status.into(),
                    option_names: [
                        get("Option1 Name"),
                        get("Option2 Name"),
                        get("Option3 Name"),
                    ],
                    variants: Vec::new(),
                    images: Vec::new(),
                    seo_title: get("SEO Title"),
                    seo_description: get("SEO Description"),
                });
                by_handle.insert(handle.clone(), out.products.len() - 1);
                out.products.len() - 1
            }
        };
        let product = &mut out.products[position];
        product.last_row = row;
        let image_src = get("Image Src");
        if !image_src.is_empty() {
            if !(image_src.starts_with("https://") || image_src.starts_with("http://")) {
                out.errors.push(RowError {
                    row,
                    handle: handle.clone(),
                    problem: Problem::CsvImageSrcInvalid,
                });
            } else {
                product.images.push(CsvImage {
                    row,
                    src: image_src,
                    position: get("Image Position").parse().unwrap_or(i64::MAX),
                    alt: get("Image Alt Text"),
                });
            }
        }
        let price = get("Variant Price");
        let sku = get("Variant SKU");
        let values = [
            get("Option1 Value"),
            get("Option2 Value"),
            get("Option3 Value"),
        ];
        let has_variant =
            !price.is_empty() || !sku.is_empty() || values.iter().any(|v| !v.is_empty());
        if !has_variant {
            continue;
        }
        if price.is_empty() {
            out.errors.push(RowError {
                row,
                handle: handle.clone(),
                problem: Problem::CsvPriceMissing,
            });
            continue;
        }
        let grams = match get("Variant Grams").as_str() {
            "" => 0,
            g => match g.parse::<f64>() {
                Ok(v) if (0.0..=1_000_000.0).contains(&v) => v.round() as i64,
                _ => {
                    out.errors.push(RowError {
                        row,
                        handle: handle.clone(),
                        problem: Problem::CsvGramsInvalid { value: quoted(g) },
                    });
                    continue;
                }
            },
        };
        let quantity = match get("Variant Inventory Qty").as_str() {
            "" => None,
            q => match q.parse::<i64>() {
                Ok(v) if (0..=1_000_000).contains(&v) => Some(v),
                _ => {
                    out.errors.push(RowError {
                        row,
                        handle: handle.clone(),
                        problem: Problem::CsvQuantityInvalid { value: quoted(q) },
                    });
                    continue;
                }
            },
        };
        product.variants.push(CsvVariant {
            row,
            sku,
            options: values,
            price,
            compare_at: get("Variant Compare At Price"),
            grams,
            quantity,
            barcode: get("Variant Barcode"),
        });
    }
    Ok(out)
}

/// Shopify bodies are HTML; our descriptions are Markdown shown safely. Tags become line
/// breaks, list items and emphasis marks; everything else becomes its text.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&decode_entities(&rest[start..]));
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table"
                | "tr",
                _,
            ) if !out.ends_with("\n\n") && !out.is_empty() => {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
            }
            ("li", false) => {
                if !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                out.push_str("- ");
            }
            ("strong" | "b", _) => out.push_str("**"),
            ("em" | "i", _) => out.push('*'),
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(&decode_entities(rest));
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl From<&FileError> for Problem {
    fn from(error: &FileError) -> Self {
        match error {
            FileError::Empty => Problem::CsvEmpty,
            FileError::NoHandle => Problem::CsvNoHandle,
            FileError::Malformed(row) => Problem::CsvMalformed { row: *row as u64 },
            FileError::TooLarge => Problem::CsvTooLarge {
                max: MAX_ROWS as u64,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Position,Image Alt Text,Status
linen-shirt,Linen Shirt,\"<p>Cool <strong>linen</strong>, for summer.</p><ul><li>Breathes</li><li>Light</li></ul>\",Acme,Shirts,\"summer, linen\",TRUE,Size,S,LS-S,200,5,39.00,49.00,https://example.com/a.png,1,Front
linen-shirt,,,,,,,,M,LS-M,210,3,39.00,,https://example.com/b.png,2,Back
linen-shirt,,,,,,,,L,LS-L,220,many,39.00,,,,
,Orphan,,,,,,,,X,,,1.00,,,,,
bad handle!,Bad,,,,,,,,Y,,,1.00,,,,,
mug,,,,,,,,,MUG-1,,,5.00,,,,,
cap,Cap,,Acme,,,FALSE,,,CAP-1,,,12.50,,,,,
";

    #[test]
    fn products_gather_their_rows_and_bad_rows_are_named() {
        let parsed = parse(FILE).unwrap();
        assert_eq!(parsed.rows, 7);
        let handles: Vec<&str> = parsed.products.iter().map(|p| p.handle.as_str()).collect();
        assert_eq!(handles, ["linen-shirt", "cap"]);
        let shirt = &parsed.products[0];
        assert_eq!(shirt.variants.len(), 2, "the L row has a broken quantity");
        assert_eq!(shirt.variants[1].options[0], "M");
        assert_eq!(shirt.variants[0].quantity, Some(5));
        assert_eq!(shirt.images.len(), 2);
        assert_eq!(shirt.status, "active");
        assert_eq!(parsed.products[1].status, "draft");
        let rows: Vec<usize> = parsed.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [4, 5, 6, 7]);
        assert!(matches!(
            parsed.errors[0].problem,
            Problem::CsvQuantityInvalid { .. }
        ));
        assert_eq!(parsed.errors[1].problem, Problem::CsvHandleMissing);
        assert_eq!(parsed.errors[3].problem, Problem::CsvTitleMissing);
    }

    #[test]
    fn whole_file_problems_are_refused() {
        assert_eq!(parse(""), Err(FileError::Empty));
        assert_eq!(parse("Title,Price\nA,1\n"), Err(FileError::NoHandle));
    }

    #[test]
    fn html_bodies_become_markdown_text() {
        assert_eq!(
            html_to_markdown(
                "<p>Cool <strong>linen</strong> &amp; cotton.</p><ul><li>Breathes</li><li>Light</li></ul>"
            ),
            "Cool **linen** & cotton.\n\n- Breathes\n- Light"
        );
        assert_eq!(
            html_to_markdown("<script>alert(1)</script>Hi"),
            "alert(1)Hi"
        );
    }
}
