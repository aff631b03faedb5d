//! Checking a product form: the product's fields and its variant rows, cleaned into what the
//! catalog stores (`CleanProduct`, `CleanVariant`) or refused with a problem on the field.
//! Used by the console's editor and by the CSV import alike.

use super::editor_views::*;
use crate::catalog::demo::slugify;
use shop_types::{Currency, FieldName, Money, Problem, PublicId, Thing};
use std::collections::HashSet;

/// Most variants one product may have (Shopify's limit is 100 too).
pub const MAX_VARIANTS: usize = 100;

/// A refused change; `field` names the form field (`variants.<n>.sku` for a variant's).
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("{problem}")]
    Invalid { field: String, problem: Problem },
    #[error("{}", shop_types::AppError::not_found(Thing::Product))]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl EditorError {
    pub(crate) fn invalid(field: impl Into<String>, problem: Problem) -> Self {
        Self::Invalid {
            field: field.into(),
            problem,
        }
    }

    pub fn into_app_error(self) -> shop_types::AppError {
        match self {
            Self::Invalid { field, problem } => shop_types::AppError::validation(field, problem),
            Self::NotFound => shop_types::AppError::not_found(Thing::Product),
            Self::Db(e) => crate::platform::errors::internal("catalog editor")(e),
        }
    }
}

/// A product checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanProduct {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub brand: String,
    pub status: String,
    pub category_id: Option<String>,
    pub product_type: String,
    pub tags: Vec<String>,
    pub seo_title: String,
    pub seo_description: String,
    pub option_names: Vec<String>,
}

/// A variant checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanVariant {
    pub id: Option<String>,
    pub sku: String,
    pub options: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub weight_grams: i64,
    pub barcode: Option<String>,
    pub initial_stock: i64,
}

fn limit(field: &str, value: &str, max: u32, what: FieldName) -> Result<String, EditorError> {
    let value = value.trim();
    if value.chars().count() > max as usize {
        return Err(EditorError::invalid(
            field,
            Problem::TooLongField { what, max },
        ));
    }
    Ok(value.to_owned())
}

/// Checks the product's own fields.
pub fn clean_product(input: &ProductInput) -> Result<CleanProduct, EditorError> {
    let title = limit("product[title]", &input.title, 200, FieldName::Title)?;
    if title.is_empty() {
        return Err(EditorError::invalid(
            "product[title]",
            Problem::ProductTitleMissing,
        ));
    }
    let slug_given = input.slug.trim();
    let slug = if slug_given.is_empty() {
        slugify(&title)
    } else {
        slug_given.to_lowercase()
    };
    if slug.is_empty()
        || slug.len() > 120
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(EditorError::invalid(
            "product[slug]",
            Problem::ProductSlugInvalid,
        ));
    }
    let status = match input.status.trim() {
        "" => "draft".to_owned(),
        s if ["draft", "active", "archived"].contains(&s) => s.to_owned(),
        _ => {
            return Err(EditorError::invalid(
                "product[status]",
                Problem::ProductStatusUnknown,
            ));
        }
    };
    let mut tags = Vec::new();
    for tag in input
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > 40 {
            return Err(EditorError::invalid("product[tags]", Problem::TagTooLong));
        }
        if !tags.iter().any(|t: &String| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > 30 {
        return Err(EditorError::invalid("product[tags]", Problem::TooManyTags));
    }
    let names = [
        &input.option1_name,
        &input.option2_name,
        &input.option3_name,
    ];
    let mut option_names = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = limit(
            &format!("product[option{}_name]", i + 1),
            name,
            40,
            FieldName::OptionName,
        )?;
        if name.is_empty() {
            if names[i + 1..].iter().any(|n| !n.trim().is_empty()) {
                return Err(EditorError::invalid(
                    format!("product[option{}_name]", i + 1),
                    Problem::OptionsOutOfOrder,
                ));
            }
            break;
        }
        if option_names
            .iter()
            .any(|n: &String| n.eq_ignore_ascii_case(&name))
        {
            return Err(EditorError::invalid(
                format!("product[option{}_name]", i + 1),
                Problem::OptionNameTwice,
            ));
        }
        option_names.push(name);
    }
    Ok(CleanProduct {
        title,
        slug,
        description: limit(
            "product[description]",
            &input.description,
            20_000,
            FieldName::Description,
        )?,
        brand: limit("product[brand]", &input.brand, 100, FieldName::Brand)?,
        status,
        category_id: Some(input.category_id.trim().to_owned()).filter(|c| !c.is_empty()),
        product_type: limit(
            "product[product_type]",
            &input.product_type,
            100,
            FieldName::ProductType,
        )?,
        tags,
        seo_title: limit(
            "product[seo_title]",
            &input.seo_title,
            70,
            FieldName::SearchTitle,
        )?,
        seo_description: limit(
            "product[seo_description]",
            &input.seo_description,
            320,
            FieldName::SearchDescription,
        )?,
        option_names,
    })
}

/// Checks the variants that stay (rows marked for removal and blank new rows are left out).
pub fn clean_variants(
    rows: &[VariantInput],
    option_names: &[String],
    currency: Currency,
) -> Result<Vec<CleanVariant>, EditorError> {
    let mut out = Vec::new();
    let mut skus = HashSet::new();
    let mut combinations = HashSet::new();
    for (n, row) in rows.iter().enumerate() {
        let field = |name: &str| format!("variants[{n}][{name}]");
        let blank_new = row.id.trim().is_empty()
            && [
                &row.sku,
                &row.price,
                &row.option1,
                &row.option2,
                &row.option3,
            ]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank_new || row.remove.trim() == "on" {
            continue;
        }
        let id = Some(row.id.trim().to_owned()).filter(|i| !i.is_empty());
        if let Some(id) = &id
            && PublicId::parse(id).is_err()
        {
            return Err(EditorError::invalid(
                field("id"),
                Problem::VariantNotInProduct,
            ));
        }
        let sku = limit(&field("sku"), &row.sku, 64, FieldName::Sku)?;
        if sku.is_empty() || sku.chars().any(char::is_whitespace) {
            return Err(EditorError::invalid(field("sku"), Problem::SkuInvalid));
        }
        if !skus.insert(sku.to_lowercase()) {
            return Err(EditorError::invalid(
                field("sku"),
                Problem::SkuTwice { sku: sku.clone() },
            ));
        }
        let values = [&row.option1, &row.option2, &row.option3];
        let mut options = Vec::new();
        for (i, name) in option_names.iter().enumerate() {
            let value = limit(
                &field(&format!("option{}", i + 1)),
                values[i],
                60,
                FieldName::OptionValue,
            )?;
            if value.is_empty() {
                return Err(EditorError::invalid(
                    field(&format!("option{}", i + 1)),
                    Problem::OptionValueMissing {
                        sku: sku.clone(),
                        option: name.clone(),
                    },
                ));
            }
            options.push(value);
        }
        let combination = options
            .iter()
            .map(|o| o.to_lowercase())
            .collect::<Vec<_>>()
            .join("\u{1f}");
        if !combinations.insert(combination) {
            return Err(EditorError::invalid(
                field("option1"),
                Problem::OptionsTwice {
                    options: options.join(" / "),
                },
            ));
        }
        let price = Money::parse_decimal(row.price.trim(), currency)
            .ok()
            .filter(|m| m.minor > 0 && m.minor <= 100_000_000_000)
            .ok_or_else(|| {
                EditorError::invalid(field("price"), Problem::PriceMissing { sku: sku.clone() })
            })?;
        let compare_at = match row.compare_at.trim() {
            "" => None,
            text => Some(
                Money::parse_decimal(text, currency)
                    .ok()
                    .filter(|m| m.minor > 0 && m.minor <= 100_000_000_000)
                    .ok_or_else(|| {
                        EditorError::invalid(field("compare_at"), Problem::CompareAtPriceInvalid)
                    })?
                    .minor,
            ),
        };
        let whole = |name: &str, text: &str, what: FieldName| -> Result<i64, EditorError> {
            match text.trim() {
                "" => Ok(0),
                t => t
                    .parse::<i64>()
                    .ok()
                    .filter(|v| (0..=1_000_000).contains(v))
                    .ok_or_else(|| {
                        EditorError::invalid(field(name), Problem::WholeNumberRange { what })
                    }),
            }
        };
        let barcode = limit(&field("barcode"), &row.barcode, 40, FieldName::Barcode)?;
        out.push(CleanVariant {
            id: id.clone(),
            sku,
            options,
            price_minor: price.minor,
            compare_at_minor: compare_at,
            weight_grams: whole("weight_grams", &row.weight_grams, FieldName::WeightInGrams)?,
            barcode: Some(barcode).filter(|b| !b.is_empty()),
            initial_stock: if id.is_none() {
                whole("stock", &row.stock, FieldName::Stock)?
            } else {
                0
            },
        });
    }
    if out.is_empty() {
        return Err(EditorError::invalid(
            "variants[0][sku]",
            Problem::VariantsMissing,
        ));
    }
    if out.len() > MAX_VARIANTS {
        return Err(EditorError::invalid(
            "variants",
            Problem::TooManyVariants {
                max: MAX_VARIANTS as u32,
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(sku: &str, price: &str, option1: &str) -> VariantInput {
        VariantInput {
            sku: sku.into(),
            price: price.into(),
            option1: option1.into(),
            ..VariantInput::default()
        }
    }

    #[test]
    fn a_product_gets_a_slug_from_its_title_and_tags_are_deduplicated() {
        let p = clean_product(&ProductInput {
            title: "Linen Shirt, Blue".into(),
            tags: "summer, Summer, linen,,".into(),
            status: "active".into(),
            option1_name: "Size".into(),
            ..ProductInput::default()
        })
        .unwrap();
        assert_eq!(p.slug, "linen-shirt-blue");
        assert_eq!(p.tags, vec!["summer", "linen"]);
        assert_eq!(p.option_names, vec!["Size"]);
    }

    #[test]
    fn bad_products_are_refused_with_the_field_named() {
        let field_of = |input: ProductInput| match clean_product(&input) {
            Err(EditorError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field_of(ProductInput::default()), "product[title]");
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                slug: "Not a slug!".into(),
                ..Default::default()
            }),
            "product[slug]"
        );
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                option2_name: "Colour".into(),
                ..Default::default()
            }),
            "product[option1_name]"
        );
        assert_eq!(
            field_of(ProductInput {
                title: "T".into(),
                status: "live".into(),
                ..Default::default()
            }),
            "product[status]"
        );
    }

    #[test]
    fn variants_need_unique_skus_options_and_real_prices() {
        let names = vec!["Size".to_owned()];
        let ok = clean_variants(
            &[
                variant("A-S", "19.99", "S"),
                variant("A-M", "21", "M"),
                VariantInput::default(),
            ],
            &names,
            Currency::EUR,
        )
        .unwrap();
        assert_eq!(ok.len(), 2, "the blank row is not a variant");
        assert_eq!(ok[0].price_minor, 1999);
        assert_eq!(ok[1].price_minor, 2100);
        let err = |rows: &[VariantInput]| {
            clean_variants(rows, &names, Currency::EUR)
                .unwrap_err()
                .to_string()
        };
        assert!(err(&[variant("A", "1", "S"), variant("a", "1", "M")]).contains("used twice"));
        assert!(err(&[variant("A", "1", "S"), variant("B", "1", "s")]).contains("Two variants"));
        assert!(err(&[variant("A", "-1", "S")]).contains("price"));
        assert!(err(&[variant("A", "abc", "S")]).contains("price"));
        assert!(err(&[variant("A", "1", "")]).contains("Size"));
        assert!(err(&[]).contains("at least one"));
        let mut removed = variant("A", "1", "S");
        removed.remove = "on".into();
        assert!(err(&[removed]).contains("at least one"));
    }
}

/// A product form as it was posted (the console's editor or a seller's), checked: the product's
/// id (None: a new one; a malformed id is `NotFound`), its fields and its variant rows in the
/// order the form numbered them (`variants[<n>][field]`).
pub struct Submission {
    pub id: Option<String>,
    pub product: CleanProduct,
    pub variants: Vec<CleanVariant>,
}

/// A product's id as an editor sends it: None for a new product (empty, or "new"); a
/// malformed id is `NotFound`.
pub fn product_id(id: Option<String>) -> Result<Option<String>, shop_types::AppError> {
    id.map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty() && i != "new")
        .map(|i| {
            PublicId::parse(&i)
                .map(|p| p.to_string())
                .map_err(|_| shop_types::AppError::not_found(Thing::Product))
        })
        .transpose()
}

/// Reads and checks a posted product form, prices in `currency`.
pub fn read_submission(
    id: Option<String>,
    product: &ProductInput,
    variants: std::collections::BTreeMap<String, VariantInput>,
    currency: Currency,
) -> Result<Submission, shop_types::AppError> {
    use shop_types::AppError;
    let id = product_id(id)?;
    if variants.len() > MAX_VARIANTS + 10 {
        return Err(AppError::validation(
            "variants",
            Problem::TooManyVariantRows,
        ));
    }
    let mut rows: Vec<(usize, VariantInput)> = variants
        .into_iter()
        .map(|(k, v)| {
            k.parse::<usize>()
                .map(|n| (n, v))
                .map_err(|_| AppError::validation("variants", Problem::VariantRowsMisnumbered))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|(n, _)| *n);
    let rows: Vec<VariantInput> = rows.into_iter().map(|(_, v)| v).collect();
    let product = clean_product(product).map_err(EditorError::into_app_error)?;
    let variants = clean_variants(&rows, &product.option_names, currency)
        .map_err(EditorError::into_app_error)?;
    Ok(Submission {
        id,
        product,
        variants,
    })
}
