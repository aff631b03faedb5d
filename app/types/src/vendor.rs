//! Marketplace vendors: where a seller stands (`VendorStatus`) and what moves it
//! (`VendorStep`), what a member of a vendor's team may do (`VendorRole`, `VendorArea`), the
//! checklist a vendor completes before review (`Requirement`), and the checks of an
//! application (`VendorApplication::check`: IBAN by its checksum, VAT number by its shape).
//! Pure rules, so the server, the browser and tests share them.

use crate::address::AddressInput;
use crate::messages::Problem;
use serde::{Deserialize, Serialize};

/// Where a vendor stands with the marketplace.
///
/// `Applied` → (operator accepts) `Onboarding` → (vendor submits its completed checklist)
/// `InReview` → (operator) `Approved` or `Rejected`; the operator may ask for changes (back to
/// `Onboarding`), suspend an approved vendor and reinstate it; operator or owner may close a
/// vendor for good. Only an approved vendor sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorStatus {
    Applied,
    Onboarding,
    InReview,
    Approved,
    Rejected,
    Suspended,
    Closed,
}

impl VendorStatus {
    /// Every status, in the order of the journey.
    pub const ALL: [VendorStatus; 7] = [
        Self::Applied,
        Self::Onboarding,
        Self::InReview,
        Self::Approved,
        Self::Rejected,
        Self::Suspended,
        Self::Closed,
    ];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Onboarding => "onboarding",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
            Self::Closed => "closed",
        }
    }

    /// Reads a stored value back.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the vendor's products may be sold and its storefront shown.
    pub fn sells(self) -> bool {
        self == Self::Approved
    }

    /// Whether the vendor's team may still change its profile and products.
    pub fn open(self) -> bool {
        !matches!(self, Self::Rejected | Self::Closed)
    }
}

/// Who moves a vendor from one status to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Staff of the marketplace (the console).
    Operator,
    /// The vendor's owner (the vendor dashboard).
    Owner,
}

/// A step in a vendor's journey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorStep {
    /// The operator lets an application into onboarding.
    Accept,
    /// The vendor hands in its completed checklist.
    SubmitForReview,
    /// The operator approves: the vendor sells.
    Approve,
    /// The operator sends the vendor back to onboarding with what to change.
    RequestChanges,
    /// The operator turns down an application or a review.
    Reject,
    /// The operator stops an approved vendor's sales for a while.
    Suspend,
    /// The operator lets a suspended vendor sell again.
    Reinstate,
    /// The vendor stops for good (operator or owner).
    Close,
}

impl VendorStep {
    /// Every step.
    pub const ALL: [VendorStep; 8] = [
        Self::Accept,
        Self::SubmitForReview,
        Self::Approve,
        Self::RequestChanges,
        Self::Reject,
        Self::Suspend,
        Self::Reinstate,
        Self::Close,
    ];

    /// The value forms send.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::SubmitForReview => "submit_for_review",
            Self::Approve => "approve",
            Self::RequestChanges => "request_changes",
            Self::Reject => "reject",
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
            Self::Close => "close",
        }
    }

    /// Reads a form's value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the step needs a reason the vendor is told (rejecting, suspending, asking
    /// for changes).
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::Suspend | Self::RequestChanges)
    }

    /// Who may take this step.
    pub fn allowed_to(self, actor: Actor) -> bool {
        match self {
            Self::SubmitForReview => actor == Actor::Owner,
            Self::Close => true,
            _ => actor == Actor::Operator,
        }
    }

    /// The status this step leads to from `from`; `None` if it does not apply there.
    /// `review_required` false makes a submitted checklist approve the vendor at once.
    pub fn from(self, from: VendorStatus, review_required: bool) -> Option<VendorStatus> {
        use VendorStatus as S;
        match (self, from) {
            (Self::Accept, S::Applied) => Some(S::Onboarding),
            (Self::SubmitForReview, S::Onboarding) if review_required => Some(S::InReview),
            (Self::SubmitForReview, S::Onboarding) => Some(S::Approved),
            (Self::Approve, S::InReview) => Some(S::Approved),
            (Self::RequestChanges, S::InReview) => Some(S::Onboarding),
            (Self::Reject, S::Applied | S::Onboarding | S::InReview) => Some(S::Rejected),
            (Self::Suspend, S::Approved) => Some(S::Suspended),
            (Self::Reinstate, S::Suspended) => Some(S::Approved),
            (Self::Close, s) if s != S::Closed && s != S::Rejected => Some(S::Closed),
            _ => None,
        }
    }

    /// The operator's steps that apply to a vendor in `status`, for the console's buttons.
    pub fn for_operator(status: VendorStatus) -> Vec<VendorStep> {
        Self::ALL
            .into_iter()
            .filter(|s| s.allowed_to(Actor::Operator) && s.from(status, true).is_some())
            .collect()
    }
}

/// What a member of a vendor's team does. The owner does everything, including the team and
/// the business details; the others one area each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VendorRole {
    Owner,
    Catalog,
    Orders,
    Finance,
}

/// A part of the vendor dashboard, guarded by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VendorArea {
    /// The dashboard's home: status, checklist, storefront profile.
    Overview,
    /// Products, stock, listings.
    Catalog,
    /// Orders, parcels, returns, messages.
    Orders,
    /// Earnings, payouts, analytics.
    Finance,
    /// Team members and the business details (legal, bank).
    Business,
}

impl VendorRole {
    /// Every role.
    pub const ALL: [VendorRole; 4] = [Self::Owner, Self::Catalog, Self::Orders, Self::Finance];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Catalog => "catalog",
            Self::Orders => "orders",
            Self::Finance => "finance",
        }
    }

    /// Reads a stored value back.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// Whether a member with this role may work in `area`.
    pub fn may(self, area: VendorArea) -> bool {
        matches!(
            (self, area),
            (Self::Owner, _)
                | (_, VendorArea::Overview)
                | (Self::Catalog, VendorArea::Catalog)
                | (Self::Orders, VendorArea::Orders)
                | (Self::Finance, VendorArea::Finance)
        )
    }
}

/// Something a vendor must have done before its review (the checklist).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// The marketplace terms, accepted with the application.
    TermsAccepted,
    /// A storefront description and a returns policy.
    ProfileComplete,
    /// A bank account for payouts.
    PayoutAccount,
    /// At least this many products listed (the operator's setting).
    Products { minimum: u32 },
}

/// One line of the checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub requirement: Requirement,
    pub done: bool,
}

/// Whether every line is done.
pub fn checklist_complete(items: &[ChecklistItem]) -> bool {
    items.iter().all(|i| i.done)
}

/// The legal forms an application offers.
pub const LEGAL_FORMS: &[(&str, &str)] = &[
    ("sole_trader", "Sole trader"),
    ("partnership", "Partnership"),
    ("limited_company", "Limited company"),
    ("cooperative", "Cooperative"),
    ("other", "Other"),
];

/// The version of the marketplace terms an applicant accepts (a new text gets a new
/// version, and the version accepted is kept with the vendor).
pub const TERMS_VERSION: &str = "2026-12";

/// A "Sell with us" application as the form sends it (every field text; checked by
/// [`VendorApplication::check`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VendorApplication {
    pub business_name: String,
    pub legal_form: String,
    pub registration_number: String,
    pub tax_number: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub billing: AddressInput,
    /// Empty means "the same as billing".
    pub returns: Option<AddressInput>,
    pub account_holder: String,
    pub iban: String,
    pub accepts_terms: bool,
}

/// A problem with one field of an application (its form name, e.g. `billing.postal_code`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationError {
    pub field: String,
    pub problem: Problem,
}

fn app_err(field: &str, problem: Problem) -> ApplicationError {
    ApplicationError {
        field: field.to_owned(),
        problem,
    }
}

fn squeeze(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl VendorApplication {
    /// Trims and normalises every field (IBAN and VAT number without spaces, upper case) and
    /// checks them in the order the form shows them; the first problem is returned with its
    /// field.
    pub fn check(mut self) -> Result<Self, ApplicationError> {
        self.business_name = squeeze(&self.business_name);
        self.legal_form = self.legal_form.trim().to_owned();
        self.registration_number = squeeze(&self.registration_number);
        self.tax_number = compact(&self.tax_number);
        self.contact_name = squeeze(&self.contact_name);
        self.contact_phone = squeeze(&self.contact_phone);
        self.account_holder = squeeze(&self.account_holder);
        self.iban = compact(&self.iban);

        let name_len = self.business_name.chars().count();
        if name_len < 2 {
            return Err(app_err("business_name", Problem::BusinessNameMissing));
        }
        if name_len > 80 {
            return Err(app_err(
                "business_name",
                Problem::AtMostCharacters { max: 80 },
            ));
        }
        if slug_of(&self.business_name).is_empty() {
            return Err(app_err("business_name", Problem::BusinessNameNeedsLetters));
        }
        if !LEGAL_FORMS.iter().any(|(v, _)| *v == self.legal_form) {
            return Err(app_err("legal_form", Problem::LegalFormUnknown));
        }
        let reg = &self.registration_number;
        if reg.is_empty() {
            return Err(app_err(
                "registration_number",
                Problem::RegistrationNumberMissing,
            ));
        }
        if reg.chars().count() > 40
            || !reg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " -./".contains(c))
        {
            return Err(app_err(
                "registration_number",
                Problem::RegistrationNumberInvalid,
            ));
        }
        if !vat_number_shape(&self.tax_number) {
            return Err(app_err("tax_number", Problem::TaxNumberInvalid));
        }
        if self.contact_name.is_empty() {
            return Err(app_err("contact_name", Problem::ContactNameMissing));
        }
        if self.contact_name.chars().count() > 100 {
            return Err(app_err(
                "contact_name",
                Problem::AtMostCharacters { max: 100 },
            ));
        }
        if self.contact_phone.chars().count() < 6
            || self.contact_phone.chars().count() > 30
            || !self
                .contact_phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
        {
            return Err(app_err("contact_phone", Problem::PhoneCharacters));
        }
        self.billing = std::mem::take(&mut self.billing)
            .validate()
            .map_err(|e| app_err(&format!("billing.{}", e.field), e.problem))?;
        self.returns = match self.returns.take() {
            Some(r) if r != AddressInput::default() => Some(
                r.validate()
                    .map_err(|e| app_err(&format!("returns.{}", e.field), e.problem))?,
            ),
            _ => None,
        };
        if self.account_holder.is_empty() {
            return Err(app_err("account_holder", Problem::AccountHolderMissing));
        }
        if self.account_holder.chars().count() > 70 {
            return Err(app_err(
                "account_holder",
                Problem::AtMostCharacters { max: 70 },
            ));
        }
        if !iban_valid(&self.iban) {
            return Err(app_err("iban", Problem::IbanInvalid));
        }
        if !self.accepts_terms {
            return Err(app_err("accepts_terms", Problem::TermsNotAccepted));
        }
        Ok(self)
    }
}

/// Without spaces, dots and dashes, in capitals (how IBANs and VAT numbers are compared).
pub fn compact(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The length of an IBAN in each country the shop knows (ISO 13616 registry).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AT", 20),
    ("BE", 16),
    ("CH", 21),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("IE", 22),
    ("IT", 27),
    ("LU", 20),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("SE", 24),
];

/// Whether `iban` (compacted) is an IBAN of a known country with its length and a correct
/// check (the number read with letters as 10..35 is 1 modulo 97).
pub fn iban_valid(iban: &str) -> bool {
    let Some(country) = iban.get(..2) else {
        return false;
    };
    let Some(&(_, length)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
        return false;
    };
    if iban.len() != length || !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    if !iban.as_bytes()[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let rearranged = iban[4..].bytes().chain(iban[..4].bytes());
    let mut rest: u32 = 0;
    for b in rearranged {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest == 1
}

/// The last four characters of an IBAN, for pages that must not show it whole.
pub fn iban_tail(iban: &str) -> String {
    let tail: String = iban.chars().rev().take(4).collect();
    format!("•••• {}", tail.chars().rev().collect::<String>())
}

/// Whether `vat` (compacted) looks like a VAT number: two letters of a country, then 2 to 13
/// letters and digits with at least two digits (the registers check it; this catches typos).
pub fn vat_number_shape(vat: &str) -> bool {
    let bytes = vat.as_bytes();
    bytes.len() >= 4
        && bytes.len() <= 15
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..].iter().all(u8::is_ascii_alphanumeric)
        && bytes[2..].iter().filter(|b| b.is_ascii_digit()).count() >= 2
}

/// A storefront address part made of the name: lower-case letters and digits joined by
/// single dashes, at most 60 characters ("Nordic Wool & Co." → `nordic-wool-co`). Letters
/// with accents lose them where ASCII has the plain one; other scripts are dropped.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => Some('a'),
            'ä' | 'æ' => Some('a'),
            'ç' | 'č' | 'ć' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ě' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ñ' | 'ń' | 'ň' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ů' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            'ß' => Some('s'),
            'ł' => Some('l'),
            'š' | 'ś' => Some('s'),
            'ž' | 'ź' | 'ż' => Some('z'),
            'ř' => Some('r'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        };
        match plain {
            Some(p) => slug.push(p),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> AddressInput {
        AddressInput {
            full_name: "Ana Berg".into(),
            line1: "Hauptstraße 1".into(),
            postal_code: "10115".into(),
            city: "Berlin".into(),
            country: "DE".into(),
            ..AddressInput::default()
        }
    }

    fn application() -> VendorApplication {
        VendorApplication {
            business_name: "  Nordic   Wool & Co. ".into(),
            legal_form: "limited_company".into(),
            registration_number: "HRB 12345".into(),
            tax_number: "de 123 456 789".into(),
            contact_name: "Ana Berg".into(),
            contact_phone: "+49 30 1234567".into(),
            billing: address(),
            returns: Some(AddressInput::default()),
            account_holder: "Nordic Wool GmbH".into(),
            iban: "de89 3704 0044 0532 0130 00".into(),
            accepts_terms: true,
        }
    }

    #[test]
    fn a_complete_application_is_normalised() {
        let a = application().check().expect("valid");
        assert_eq!(a.business_name, "Nordic Wool & Co.");
        assert_eq!(a.iban, "DE89370400440532013000");
        assert_eq!(a.tax_number, "DE123456789");
        assert_eq!(
            a.returns, None,
            "an empty returns address means the billing one"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        type Case = (fn(&mut VendorApplication), &'static str, Problem);
        let cases: Vec<Case> = vec![
            (
                |a| a.business_name = " ".into(),
                "business_name",
                Problem::BusinessNameMissing,
            ),
            (
                |a| a.business_name = "木木木".into(),
                "business_name",
                Problem::BusinessNameNeedsLetters,
            ),
            (
                |a| a.legal_form = "empire".into(),
                "legal_form",
                Problem::LegalFormUnknown,
            ),
            (
                |a| a.registration_number = "".into(),
                "registration_number",
                Problem::RegistrationNumberMissing,
            ),
            (
                |a| a.registration_number = "<script>".into(),
                "registration_number",
                Problem::RegistrationNumberInvalid,
            ),
            (
                |a| a.tax_number = "123".into(),
                "tax_number",
                Problem::TaxNumberInvalid,
            ),
            (
                |a| a.contact_name = "".into(),
                "contact_name",
                Problem::ContactNameMissing,
            ),
            (
                |a| a.contact_phone = "call me".into(),
                "contact_phone",
                Problem::PhoneCharacters,
            ),
            (
                |a| a.billing.postal_code = "ABC".into(),
                "billing.postal_code",
                Problem::PostalCodeInvalid {
                    country: "Germany".into(),
                },
            ),
            (
                |a| {
                    a.returns = Some(AddressInput {
                        city: "Oslo".into(),
                        ..AddressInput::default()
                    })
                },
                "returns.full_name",
                Problem::RecipientMissing,
            ),
            (
                |a| a.account_holder = "".into(),
                "account_holder",
                Problem::AccountHolderMissing,
            ),
            (
                |a| a.iban = "DE89370400440532013001".into(),
                "iban",
                Problem::IbanInvalid,
            ),
            (
                |a| a.accepts_terms = false,
                "accepts_terms",
                Problem::TermsNotAccepted,
            ),
        ];
        for (spoil, field, problem) in cases {
            let mut a = application();
            spoil(&mut a);
            let e = a.check().expect_err(field);
            assert_eq!((e.field.as_str(), e.problem), (field, problem));
        }
    }

    #[test]
    fn ibans_are_checked_by_length_and_checksum() {
        for good in [
            "DE89370400440532013000",
            "GB82WEST12345698765432",
            "NL91ABNA0417164300",
            "FR1420041010050500013M02606",
        ] {
            assert!(iban_valid(good), "{good}");
        }
        for bad in [
            "",
            "DE",
            "DE8937040044053201300",  // one digit short
            "DE88370400440532013000", // wrong check digits
            "XX89370400440532013000", // unknown country
            "GB82WEST1234569876543!", // not alphanumeric
            "NL91ABNA041716430ß",     // non-ASCII
        ] {
            assert!(!iban_valid(bad), "{bad}");
        }
        assert_eq!(iban_tail("DE89370400440532013000"), "•••• 3000");
    }

    #[test]
    fn slugs_are_plain_and_bounded() {
        assert_eq!(slug_of("Nordic Wool & Co."), "nordic-wool-co");
        assert_eq!(slug_of("Café Müller"), "cafe-muller");
        assert_eq!(slug_of("--"), "");
        assert_eq!(slug_of(&"a b ".repeat(50)).len(), 59);
    }

    #[test]
    fn the_journey_allows_only_its_steps() {
        use VendorStatus as S;
        use VendorStep as T;
        assert_eq!(T::Accept.from(S::Applied, true), Some(S::Onboarding));
        assert_eq!(
            T::SubmitForReview.from(S::Onboarding, true),
            Some(S::InReview)
        );
        assert_eq!(
            T::SubmitForReview.from(S::Onboarding, false),
            Some(S::Approved)
        );
        assert_eq!(T::Approve.from(S::InReview, true), Some(S::Approved));
        assert_eq!(
            T::Approve.from(S::Applied, true),
            None,
            "no approval without review"
        );
        assert_eq!(T::Suspend.from(S::Approved, true), Some(S::Suspended));
        assert_eq!(T::Reinstate.from(S::Suspended, true), Some(S::Approved));
        assert_eq!(T::Close.from(S::Closed, true), None);
        assert_eq!(T::Close.from(S::Rejected, true), None);
        assert!(!T::Approve.allowed_to(Actor::Owner));
        assert!(!T::SubmitForReview.allowed_to(Actor::Operator));
        assert_eq!(
            T::for_operator(S::InReview),
            vec![T::Approve, T::RequestChanges, T::Reject, T::Close]
        );
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        for t in T::ALL {
            assert_eq!(T::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn roles_open_their_own_areas() {
        assert!(VendorRole::Owner.may(VendorArea::Business));
        assert!(VendorRole::Catalog.may(VendorArea::Catalog));
        assert!(!VendorRole::Catalog.may(VendorArea::Orders));
        assert!(!VendorRole::Finance.may(VendorArea::Business));
        assert!(VendorRole::Orders.may(VendorArea::Overview));
        for r in VendorRole::ALL {
            assert_eq!(VendorRole::parse(r.as_str()), Some(r));
        }
    }
}
