//! The arithmetic of a checkout: shipping rates, coupon discounts and tax. Pure functions over
//! integer minor units, so every rule is tested without a database.
//!
//! Rounding is half away from zero, done once per amount (never on intermediate values).

/// How a shipping rate is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateKind {
    /// One price per parcel.
    Flat,
    /// A base price plus a price for every started kilogram.
    Weight,
}

impl RateKind {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "flat" => Some(Self::Flat),
            "weight" => Some(Self::Weight),
            _ => None,
        }
    }
}

/// One shipping rate of a zone, as the admin set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRule {
    pub id: String,
    pub name: String,
    pub kind: RateKind,
    pub price_minor: i64,
    pub per_kg_minor: i64,
    pub min_weight_g: Option<i64>,
    pub max_weight_g: Option<i64>,
    pub free_over_minor: Option<i64>,
    pub delivery_days: String,
}

impl RateRule {
    /// The rate's price for a parcel of `weight_g` grams holding goods worth `goods_minor`
    /// (after discounts), or `None` when the rate is not offered for that parcel.
    pub fn price_for(&self, weight_g: i64, goods_minor: i64) -> Option<i64> {
        if self.min_weight_g.is_some_and(|min| weight_g < min)
            || self.max_weight_g.is_some_and(|max| weight_g > max)
        {
            return None;
        }
        if self.free_over_minor.is_some_and(|t| goods_minor >= t) {
            return Some(0);
        }
        Some(match self.kind {
            RateKind::Flat => self.price_minor,
            RateKind::Weight => {
                let started_kg = (weight_g.max(0) + 999) / 1000;
                self.price_minor
                    .saturating_add(self.per_kg_minor.saturating_mul(started_kg))
            }
        })
    }
}

/// Whether a zone's country list (codes separated by commas, or `*`) covers `country`.
pub fn zone_covers(countries: &str, country: &str) -> bool {
    countries
        .split(',')
        .map(str::trim)
        .any(|c| c == "*" || c.eq_ignore_ascii_case(country))
}

pub use crate::coupons::CouponEffect;

pub(crate) use crate::coupons::effect::round_div;

/// The tax in `amount_minor` at `rate_bp` basis points: the part of it when prices include
/// tax, or the amount to add when they do not.
pub fn tax_on(amount_minor: i64, rate_bp: i64, inclusive: bool) -> i64 {
    let amount = i128::from(amount_minor);
    let rate = i128::from(rate_bp);
    if inclusive {
        round_div(amount * rate, 10_000 + rate)
    } else {
        round_div(amount * rate, 10_000)
    }
}

/// The money of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    /// Contained in `total` when prices include tax; added to reach it when they do not.
    pub tax: i64,
    pub total: i64,
}

/// Adds an order up: goods, minus the discount, plus shipping, with tax on the goods after the
/// discount and on shipping (one rate: the destination's).
pub fn totals(
    subtotal: i64,
    discount: i64,
    shipping: i64,
    rate_bp: i64,
    inclusive: bool,
) -> Totals {
    let discount = discount.clamp(0, subtotal.max(0));
    let base = subtotal - discount + shipping;
    let tax = tax_on(base, rate_bp, inclusive);
    Totals {
        subtotal,
        discount,
        shipping,
        tax,
        total: if inclusive { base } else { base + tax },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(kind: RateKind) -> RateRule {
        RateRule {
            id: "r".into(),
            name: "Standard".into(),
            kind,
            price_minor: 490,
            per_kg_minor: 100,
            min_weight_g: None,
            max_weight_g: None,
            free_over_minor: None,
            delivery_days: String::new(),
        }
    }

    #[test]
    fn flat_rates_ignore_weight_and_weight_rates_count_started_kilograms() {
        assert_eq!(rate(RateKind::Flat).price_for(12_345, 1000), Some(490));
        let by_weight = rate(RateKind::Weight);
        assert_eq!(by_weight.price_for(0, 1000), Some(490));
        assert_eq!(by_weight.price_for(1, 1000), Some(590));
        assert_eq!(by_weight.price_for(1000, 1000), Some(590));
        assert_eq!(by_weight.price_for(1001, 1000), Some(690));
    }

    #[test]
    fn free_over_a_threshold_and_weight_bounds() {
        let mut r = rate(RateKind::Flat);
        r.free_over_minor = Some(5000);
        assert_eq!(r.price_for(100, 4999), Some(490));
        assert_eq!(r.price_for(100, 5000), Some(0));
        r.max_weight_g = Some(2000);
        r.min_weight_g = Some(10);
        assert_eq!(r.price_for(2001, 100), None);
        assert_eq!(r.price_for(9, 100), None);
        assert_eq!(r.price_for(2000, 100), Some(490));
    }

    #[test]
    fn zones_match_listed_countries_or_everywhere() {
        assert!(zone_covers("DE, AT,fr", "FR"));
        assert!(!zone_covers("DE,AT", "US"));
        assert!(zone_covers("*", "US"));
    }

    #[test]
    fn coupons_never_take_more_than_the_goods() {
        assert_eq!(CouponEffect::Percent(10).discount_on(1995), 200);
        assert_eq!(CouponEffect::Percent(100).discount_on(1995), 1995);
        assert_eq!(CouponEffect::Fixed(5000).discount_on(1995), 1995);
        assert_eq!(CouponEffect::Fixed(500).discount_on(1995), 500);
        assert_eq!(CouponEffect::FreeShipping.discount_on(1995), 0);
        assert_eq!(CouponEffect::from_row("percent", 0), None);
        assert_eq!(CouponEffect::from_row("percent", 101), None);
        assert_eq!(CouponEffect::from_row("fixed", -5), None);
    }

    #[test]
    fn tax_is_extracted_from_inclusive_prices_and_added_to_exclusive_ones() {
        // 119.00 including 19 % holds 19.00 of tax.
        assert_eq!(tax_on(11_900, 1900, true), 1900);
        assert_eq!(tax_on(10_000, 1900, false), 1900);
        // 9.99 including 20 %: 1.665 rounds to 1.67.
        assert_eq!(tax_on(999, 2000, true), 167);
        assert_eq!(tax_on(0, 2000, false), 0);
    }

    #[test]
    fn totals_apply_discount_then_shipping_then_tax() {
        let t = totals(10_000, 1_000, 500, 1900, true);
        assert_eq!(t.total, 9_500);
        assert_eq!(t.tax, tax_on(9_500, 1900, true));
        let t = totals(10_000, 1_000, 500, 1000, false);
        assert_eq!(t.tax, 950);
        assert_eq!(t.total, 10_450);
        let t = totals(100, 500, 0, 0, true);
        assert_eq!(t.discount, 100);
        assert_eq!(t.total, 0);
    }
}
