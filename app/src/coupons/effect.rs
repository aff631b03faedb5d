//! What a coupon takes off, as pricing applies it.

/// What a coupon takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponEffect {
    /// Whole percent of the goods, 1..=100.
    Percent(i64),
    /// A fixed amount in minor units, at most the goods' price.
    Fixed(i64),
    /// Shipping costs nothing.
    FreeShipping,
}

impl CouponEffect {
    /// Reads the stored kind and value.
    pub fn from_row(kind: &str, value: i64) -> Option<Self> {
        match kind {
            "percent" if (1..=100).contains(&value) => Some(Self::Percent(value)),
            "fixed" if value > 0 => Some(Self::Fixed(value)),
            "free_shipping" => Some(Self::FreeShipping),
            _ => None,
        }
    }

    /// The discount on goods worth `subtotal_minor`.
    pub fn discount_on(self, subtotal_minor: i64) -> i64 {
        match self {
            Self::Percent(p) => round_div(i128::from(subtotal_minor) * i128::from(p), 100),
            Self::Fixed(amount) => amount.min(subtotal_minor),
            Self::FreeShipping => 0,
        }
        .clamp(0, subtotal_minor.max(0))
    }
}

/// `numerator / denominator` rounded half away from zero (denominator > 0).
pub fn round_div(numerator: i128, denominator: i128) -> i64 {
    let half = denominator / 2;
    let q = if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    };
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}
