//! What the shop can say to a person, as codes with parameters.
//!
//! Services never build sentences: they return a [`Problem`] (a stable code such as
//! `sold_out_meanwhile` and its parameters), a [`Thing`] that was not found, or a
//! [`FieldName`] inside a problem. Words are made at the edge, from one table per language:
//! [`en`] is the English one, and the only place an English error sentence is written. A new
//! language is a new module with the same three functions.
//!
//! On the wire a problem is `{"code": "only_left", "available": 2, "can_add": 1}`; the codes are
//! stable, so a client or a log reader may match on them.

pub mod en;

use crate::money::Money;
use crate::order::OrderStatus;
use serde::{Deserialize, Serialize};

/// A value for every parameter type, so that tests can render every code.
pub trait Sample {
    fn sample() -> Self;
}

impl Sample for String {
    fn sample() -> Self {
        "sample".into()
    }
}

macro_rules! sample_numbers {
    ($($t:ty),*) => { $(impl Sample for $t { fn sample() -> Self { 7 } })* };
}
sample_numbers!(u32, u64, i64);

impl Sample for Money {
    fn sample() -> Self {
        Money::new(1250, crate::money::Currency::EUR)
    }
}

impl Sample for OrderStatus {
    fn sample() -> Self {
        OrderStatus::Paid
    }
}

impl<T: Sample> Sample for Option<T> {
    fn sample() -> Self {
        Some(T::sample())
    }
}

impl Sample for Box<Problem> {
    fn sample() -> Self {
        Box::new(Problem::SoldOut)
    }
}

impl<T: Sample> Sample for Vec<T> {
    fn sample() -> Self {
        vec![T::sample()]
    }
}

impl Sample for Problem {
    fn sample() -> Self {
        Problem::SoldOut
    }
}

impl Sample for PictureTrouble {
    fn sample() -> Self {
        PictureTrouble::Answered { status: 404 }
    }
}

impl Sample for FieldName {
    fn sample() -> Self {
        FieldName::Description
    }
}

/// Declares the problem codes and a sample of each.
macro_rules! problems {
    ($($(#[$meta:meta])* $name:ident $({ $($field:ident : $ty:ty),* $(,)? })?,)*) => {
        /// Something a person must fix or know, as a code with parameters (see the module doc).
        #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
        #[serde(tag = "code", rename_all = "snake_case")]
        pub enum Problem {
            $($(#[$meta])* $name $({ $($field: $ty),* })?,)*
        }

        // Not derived: see `json_tagged` (the derive made 85 KB of WebAssembly).
        $crate::tagged_deserialize!(Problem, "code", { $($name $({ $($field),* })?),* });

        impl Problem {
            /// One problem of every code, with sample parameters.
            pub fn samples() -> Vec<Problem> {
                vec![$(Problem::$name $({ $($field: <$ty as Sample>::sample()),* })?,)*]
            }
        }
    };
}

problems! {
    AddressBookFull { max: u32 },
    AdjustModeUnknown,
    AmountInvalid,
    AmountMalformed,
    AmountTooLarge,
    AtMostCharacters { max: u32 },
    BadCredentials,
    BulkActionUnknown,
    CardExpiryInPast,
    CardExpiryMalformed,
    CardNotATestCard,
    CardNumberIncorrect,
    CannotShipThere,
    CardPaymentsRecordedByProvider,
    CardPaymentsUnavailable,
    CardSecurityCodeIncomplete,
    CartEmpty,
    CartFull { max: u32 },
    CategoryInsideItself,
    CategoryNameLength,
    CategorySlugTaken,
    CategoryUnknown,
    ChangeIdInvalid { id: String },
    /// What still keeps an order from being placed, in the order the checkout asks for it.
    CheckoutNotReady { missing: Vec<Problem> },
    ContactAndAddressMissing,
    CollectionActionUnknown,
    CollectionSlugTaken,
    CollectionTitleLength,
    CompareAtPriceInvalid,
    CountryCodeInvalid,
    CountryNotDelivered,
    CouponAmountInvalid,
    CouponCodeInvalid,
    CouponCodeTaken,
    CouponEndsBeforeStart,
    CouponExpired,
    CouponKindUnknown,
    CouponMinimum { minimum: Money },
    CouponMinimumInvalid,
    CouponNotYet,
    CouponPercentInvalid,
    CouponUnknown,
    CouponUsedByYou,
    CouponUsedUp,
    CouponUsesInvalid,
    CsvEmpty,
    CsvGramsInvalid { value: String },
    CsvHandleInvalid,
    CsvHandleMissing,
    CsvImageSrcInvalid,
    CsvPriceMissing,
    CsvQuantityInvalid { value: String },
    CsvStatusUnknown { value: String },
    CsvTitleMissing,
    CsvFileMissing,
    CsvMalformed { row: u64 },
    CsvNoHandle,
    CsvNotUtf8,
    CsvTooBig,
    CsvTooLarge { max: u64 },
    CurrencyCodeInvalid,
    CurrencyInvalid,
    CurrencyLockedByProducts,
    CurrencyMismatch,
    DateInvalid,
    DeliveryAddressMissing,
    DisableChoiceUnknown,
    EmailMalformed,
    EmailMissing,
    EmailNotVerified,
    EmailTooLong,
    FormMalformed { detail: String },
    GramsInvalid,
    ItemsUnavailableInQuantity,
    LineNotInOrder,
    LineUnitsMax { max: u32 },
    LinkInvalid,
    LocationDoesNotStock,
    /// A seller's new stock location needs a name.
    LocationNameMissing,
    /// The seller already has a stock location by that name.
    LocationNameTaken,
    LocationNameTooLong { max: u32 },
    LogoTooLarge,
    LowStockThresholdInvalid,
    NewStaffRoleMissing,
    NotInCart,
    /// Follows a colon: "Linen shirt could not be added: it is no longer sold."
    NoLongerSold,
    NoteMissing,
    NothingToChange,
    OnlyLeft { available: i64, can_add: i64 },
    OnlyLeftToSend { sku: String, left: i64 },
    OnlyOnHandAtLocation { on_hand: i64 },
    OptionNameTwice,
    OptionValueMissing { sku: String, option: String },
    OptionsOutOfOrder,
    OptionsTwice { options: String },
    OrderAlreadyPaid,
    OrderChanged,
    OrderFormOutOfDate,
    OrderFormReused,
    /// Held for a risk review: nothing is packed or shipped until staff approve it.
    OrderOnHold,
    /// The order is not (or no longer) waiting for a risk review.
    OrderNotHeld,
    OrderWasCancelled,
    /// The account cannot be erased yet: these orders (numbers) are not finished.
    ErasureWaitsForOrders { orders: Vec<i64> },
    /// Back-office accounts are not erased this way: an admin removes their access first.
    ErasureOnlyForCustomers,
    /// A privacy request is an export or an erasure.
    PrivacyRequestKindUnknown,
    /// A retention period in days outside its kind's range.
    DaysBetween { min: u32, max: u32 },
    /// A privacy request is answered, erased or refused.
    PrivacyRequestActionUnknown,
    /// The request was closed already (by someone else meanwhile).
    PrivacyRequestClosed,
    OwnAdminRights,
    OwnTwoStepReset,
    PageLinkBroken,
    ParentCategoryUnknown,
    /// The review score must be 1 to 100 and the cancel score at least the review score (101:
    /// never cancel).
    RiskScoresInvalid,
    /// A review decision other than approve or reject.
    ReviewDecisionUnknown,
    PasswordCommon,
    PasswordIsEmail,
    PasswordTooShort { min: u32 },
    PasswordWrong,
    /// The browser's answer did not prove the passkey (or it was cancelled or timed out).
    PasskeyFailed,
    /// The passkey was not (or no longer is) registered with this shop.
    PasskeyUnknown,
    /// This passkey is already registered (to this account or another).
    PasskeyAlreadyAdded,
    /// The registration or sign-in waited too long, or was already used.
    PasskeyExpired,
    PasskeyLimit { max: u32 },
    PasskeyNameLength { max: u32 },
    /// The shop's public address is a bare IP address, which passkeys cannot belong to.
    PasskeysUnavailable,
    PaymentMethodMissing,
    PaymentMethodUnavailable,
    PaymentMethodUnknown,
    PermissionUnknown,
    PhoneCharacters,
    PictureActionUnknown,
    PictureFormatUnknown,
    PictureMissing,
    PictureTooLarge,
    /// A picture named in an import could not be brought in.
    PictureNotImported { src: String, trouble: PictureTrouble },
    PostalCodeInvalid { country: String },
    PriceChangeInvalid,
    PriceMissing { sku: String },
    ProductHandleUnknown,
    ProductSlugInvalid,
    ProductSlugTaken,
    ProductSkipped { reason: Box<Problem> },
    ProductSkippedNoVariants,
    ProductStatusUnknown,
    ProductTitleMissing,
    ProductUnavailable,
    ProductsNotSelected,
    PromotionBodyLength,
    PromotionTitleLength,
    PromotionUrlInvalid,
    ProviderRefused { detail: String },
    /// Words from elsewhere, shown as they are: a payment provider's (it speaks the shopper's
    /// language itself), or a record written before codes existed.
    Verbatim { text: String },
    PushEndpointInvalid,
    PushKeysInvalid,
    QuantityTooLarge { max: u32 },
    QuantityTooSmall,
    RangeUnknown,
    ReasonUnknown,
    RecipientMissing,
    RefundBetween { min: Money, max: Money },
    RegionCodeInvalid,
    RegionMissing,
    RemovalKindUnknown,
    ReturnReasonTooLong,
    SavedAddressUnknown,
    SecondFactorAlreadyOn,
    SecondFactorCodeWrong,
    SecondFactorExpired,
    SecondFactorRequired,
    SearchTooLong { max: u32 },
    SelectedProductUnknown,
    ShippingRateKindUnknown,
    ShippingRateNameLength,
    ShippingMethodMissing,
    /// Follows a colon, like [`Problem::NoLongerSold`].
    ShopRefused,
    ShippingRateUnknown,
    SkuInvalid,
    SkuTaken { sku: String },
    SkuTwice { sku: String },
    SlugInvalid,
    SoldOut,
    SoldOutMeanwhile { title: String, available: i64 },
    StaffEmailInvalid,
    StaffEmailTaken,
    StaffRoleUnknown,
    StatusChangeRefused { from: Option<OrderStatus>, to: OrderStatus },
    StatusUnknown,
    StockBelowZero { on_hand: i64 },
    StockChangeRefused { sku: String, reason: Box<Problem> },
    StockItemUnknown,
    StockPromised { sellable: i64 },
    StockUnitsInvalid,
    StoreNameLength,
    StreetMissing,
    SupportEmailInvalid,
    SynonymTermNoLetters,
    SynonymTermTooLong { term: String, max: u32 },
    SynonymsTooFew,
    SynonymsTooMany { max: u32 },
    TagTooLong,
    TaxNameLength,
    TaxRateInvalid,
    TitleWithoutLetters,
    TooLongField { what: FieldName, max: u32 },
    TooManyChanges { max: u32 },
    TooManyLines,
    TooManyProductsSelected,
    TooManyTags,
    TooManyVariantRows,
    TooManyVariants { max: u32 },
    TownMissing,
    TrackingMissing,
    TrackingTooLong { carrier_max: u32, tracking_max: u32 },
    UnitsMissing,
    UnitsNotWhole,
    UnitsOutOfRange,
    UnitsToSendMissing,
    UnitsToSendNegative,
    /// The fallback for a service error that is not the person's to fix (logged in full).
    Unexpected,
    UploadCutOff,
    VariantNotInProduct,
    VariantNotInProductReload,
    VariantRepeats { sku: String },
    VariantRowsMisnumbered,
    VariantsMissing,
    WeightRangeReversed,
    WholeNumberInvalid,
    WholeNumberRange { what: FieldName },
    ZoneCountriesInvalid,
    ZoneNameLength,
    // Marketplace vendors.
    AccountHolderMissing,
    BusinessNameMissing,
    BusinessNameNeedsLetters,
    ContactNameMissing,
    IbanInvalid,
    LegalFormUnknown,
    RegistrationNumberInvalid,
    RegistrationNumberMissing,
    TaxNumberInvalid,
    TermsNotAccepted,
    /// Only a shopper's account may apply to sell (not staff, not a vendor's member).
    VendorApplicantNotCustomer,
    /// The checklist has open lines; they are listed on the dashboard.
    VendorChecklistIncomplete,
    VendorDescriptionLength { min: u32, max: u32 },
    VendorMinimumProducts { max: u32 },
    VendorPolicyLength { min: u32, max: u32 },
    /// Rejecting, suspending or asking for changes tells the vendor why.
    VendorReasonMissing,
    /// The step does not apply to a vendor in its current status (someone else acted first).
    VendorStepNotNow,
    VendorStepUnknown,
    /// The invitation link was used, has expired or never existed.
    VendorInvitationInvalid,
    /// Signed in with another address than the one invited.
    VendorInvitationOtherAddress,
    VendorInvitationsFull { max: u32 },
    /// The account already works for a seller, or is not a shopper's account.
    VendorMemberElsewhere,
    VendorMemberAlready,
    /// A seller keeps at least one owner.
    VendorLastOwner,
    /// Owners do not remove themselves (another owner may).
    VendorRemoveSelf,
    VendorRoleUnknown,
}

impl Problem {
    /// The stable code, as it travels on the wire (`"sold_out"`).
    pub fn code(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Problem {
    /// English, for logs and for the shop until a shopper's language is chosen.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&en::problem(self))
    }
}

/// Why a picture from an outside address could not be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "trouble", rename_all = "snake_case")]
pub enum PictureTrouble {
    AddressInvalid,
    NoHost,
    HostUnknown,
    PrivateNetwork,
    Unreachable,
    Answered { status: u16 },
    CutOff,
    TooLarge,
    Unprocessable,
    NotAPicture,
}

crate::tagged_deserialize!(PictureTrouble, "trouble", {
    AddressInvalid, NoHost, HostUnknown, PrivateNetwork, Unreachable, Answered { status }, CutOff,
    TooLarge, Unprocessable, NotAPicture,
});

impl PictureTrouble {
    /// Every kind, for tests that render them all.
    pub const ALL: [PictureTrouble; 10] = [
        PictureTrouble::AddressInvalid,
        PictureTrouble::NoHost,
        PictureTrouble::HostUnknown,
        PictureTrouble::PrivateNetwork,
        PictureTrouble::Unreachable,
        PictureTrouble::Answered { status: 500 },
        PictureTrouble::CutOff,
        PictureTrouble::TooLarge,
        PictureTrouble::Unprocessable,
        PictureTrouble::NotAPicture,
    ];
}

/// What was not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Address,
    Category,
    Collection,
    Customer,
    Import,
    Item,
    Order,
    Page,
    Payment,
    Picture,
    Product,
    Session,
    Setting,
    ShippingZone,
    StaffAccount,
    Store,
    SynonymGroup,
    Vendor,
}

impl Thing {
    /// Every thing, for tests that render them all.
    pub const ALL: [Thing; 18] = [
        Thing::Address,
        Thing::Category,
        Thing::Collection,
        Thing::Customer,
        Thing::Import,
        Thing::Item,
        Thing::Order,
        Thing::Page,
        Thing::Payment,
        Thing::Picture,
        Thing::Product,
        Thing::Session,
        Thing::Setting,
        Thing::ShippingZone,
        Thing::StaffAccount,
        Thing::Store,
        Thing::SynonymGroup,
        Thing::Vendor,
    ];
}

/// A form field named inside a sentence ("Keep the description under 250 characters.").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Address,
    Barcode,
    Brand,
    DeliveryTime,
    Description,
    Note,
    OptionName,
    OptionValue,
    PhoneNumber,
    ProductType,
    Reason,
    SearchDescription,
    SearchTitle,
    Sku,
    Stock,
    Title,
    WeightInGrams,
}

impl FieldName {
    /// Every field name, for tests that render them all.
    pub const ALL: [FieldName; 17] = [
        FieldName::Address,
        FieldName::Barcode,
        FieldName::Brand,
        FieldName::DeliveryTime,
        FieldName::Description,
        FieldName::Note,
        FieldName::OptionName,
        FieldName::OptionValue,
        FieldName::PhoneNumber,
        FieldName::ProductType,
        FieldName::Reason,
        FieldName::SearchDescription,
        FieldName::SearchTitle,
        FieldName::Sku,
        FieldName::Stock,
        FieldName::Title,
        FieldName::WeightInGrams,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppError;
    use std::collections::HashSet;

    #[test]
    fn every_code_renders_a_whole_english_sentence() {
        let samples = Problem::samples();
        assert!(samples.len() > 150, "samples cover every code");
        for problem in samples {
            let text = en::problem(&problem);
            assert!(!text.is_empty(), "{problem:?} has no words");
            assert!(
                !text.contains('{') && !text.contains('}'),
                "{problem:?} left a placeholder: {text}"
            );
            assert!(
                text.ends_with(['.', '?', ')']) || text.ends_with("sample"),
                "{problem:?} is not a sentence: {text}"
            );
            let first = text.chars().next().unwrap();
            assert!(
                !first.is_lowercase()
                    || text.starts_with("sample")
                    || matches!(problem, Problem::NoLongerSold | Problem::ShopRefused),
                "{problem:?} starts in lower case: {text}"
            );
        }
    }

    #[test]
    fn codes_are_unique_snake_case_and_survive_the_wire() {
        let mut seen = HashSet::new();
        for problem in Problem::samples() {
            let code = problem.code();
            assert!(
                !code.is_empty()
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "bad code {code:?}"
            );
            assert!(seen.insert(code.clone()), "code {code} used twice");
            let json = serde_json::to_string(&problem).unwrap();
            assert_eq!(serde_json::from_str::<Problem>(&json).unwrap(), problem);
        }
    }

    #[test]
    fn problems_with_parameters_survive_inside_an_app_error_and_bad_ones_are_refused() {
        use server_fn::error::FromServerFnError;
        for problem in Problem::samples() {
            let error = AppError::validation("field", problem);
            assert_eq!(AppError::de(error.ser()), error);
        }
        let read = |json: &str| serde_json::from_str::<Problem>(json);
        assert!(read(r#"{"code": "no_such_code"}"#).is_err());
        assert!(
            read(r#"{"code": "cart_full"}"#).is_err(),
            "a missing parameter"
        );
        assert!(read(r#"{"code": "cart_full", "max": "many"}"#).is_err());
        assert!(read(r#"{"max": 3}"#).is_err(), "no code");
        assert_eq!(
            read(r#"{"code": "cart_full", "max": 3, "unknown": true}"#).unwrap(),
            Problem::CartFull { max: 3 }
        );
    }

    #[test]
    fn every_app_error_renders() {
        let mut errors = vec![
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::RateLimited {
                retry_after_secs: 30,
            },
            AppError::Internal {
                reference: "r-1".into(),
            },
            AppError::Unreachable {
                detail: "offline".into(),
            },
            AppError::SavedOffline,
        ];
        errors.extend(Thing::ALL.map(AppError::not_found));
        errors.extend(
            Problem::samples()
                .into_iter()
                .flat_map(|p| [AppError::validation("f", p.clone()), AppError::conflict(p)]),
        );
        for error in errors {
            let text = error.to_string();
            assert!(text.len() > 3 && !text.contains('{'), "{error:?}: {text}");
        }
        for trouble in PictureTrouble::ALL {
            let text = Problem::PictureNotImported {
                src: "https://example.com/a.png".into(),
                trouble,
            }
            .to_string();
            assert!(text.ends_with('.') && !text.contains('{'), "{text}");
        }
        for field in FieldName::ALL {
            assert!(!en::field_name(field).is_empty());
        }
    }

    #[test]
    fn order_history_and_bank_transfers_read_as_sentences() {
        use crate::order::{BankTransfer, HistoryNote, StatusDetail};
        let eur = |minor| Money::new(minor, crate::money::Currency::EUR);
        let notes = [
            HistoryNote::CancelledByCustomer,
            HistoryNote::ReplacedByNewerOrder,
            HistoryNote::NotPaidInTime,
            HistoryNote::FailedRiskCheck,
            HistoryNote::ApprovedAfterReview,
            HistoryNote::RejectedAfterReview,
            HistoryNote::Refunded { amount: eur(1250) },
            HistoryNote::Told {
                detail: StatusDetail::ParcelSent {
                    items: vec![(2, "TEE-M".into())],
                    carrier: "DHL".into(),
                    tracking: "JJD1".into(),
                },
            },
        ];
        for note in &notes {
            let text = en::history_note(note);
            assert!(
                text.ends_with('.') && !text.contains('{'),
                "{note:?}: {text}"
            );
            let json = serde_json::to_string(note).unwrap();
            assert_eq!(&serde_json::from_str::<HistoryNote>(&json).unwrap(), note);
        }
        assert_eq!(
            en::history_note(&notes[7]),
            "Sent: 2 × TEE-M. Carrier: DHL. Tracking number: JJD1."
        );
        let transfer = en::bank_transfer(&BankTransfer {
            total: eur(4990),
            account: "IBAN DE02".into(),
            order_number: 1042,
            pay_by: Some(crate::Timestamp(1_767_225_600_000)),
        });
        assert!(transfer.contains("quoting \"Order 1042\""), "{transfer}");
        assert!(
            transfer.ends_with("If it has not arrived by 2026-01-01, the order is cancelled."),
            "{transfer}"
        );
    }

    #[test]
    fn parameters_land_in_the_sentence() {
        let text = en::problem(&Problem::OnlyLeft {
            available: 2,
            can_add: 1,
        });
        assert_eq!(text, "Only 2 left: you can add 1 more.");
        let nested = Problem::StockChangeRefused {
            sku: "TEE-S".into(),
            reason: Box::new(Problem::StockPromised { sellable: 3 }),
        };
        assert_eq!(
            nested.to_string(),
            "TEE-S: Only 3 can still be sold; the rest is promised to orders. Nothing was changed."
        );
        assert_eq!(
            serde_json::to_value(Problem::OnlyLeft {
                available: 2,
                can_add: 1
            })
            .unwrap(),
            serde_json::json!({"code": "only_left", "available": 2, "can_add": 1})
        );
    }
}
