//! The English table: every sentence the shop's services can make a person read.
//!
//! Kept word for word as the services used to write them; a translation is a sibling module
//! with the same functions. Formatting of money follows `Money`'s display until languages land.

use super::{FieldName, PictureTrouble, Problem, Thing};
use crate::error::AppError;
use crate::offline::{ChangeOutcome, ChangeReport};
use crate::order::{BankTransfer, HistoryNote, StatusDetail};

/// The sentence for a problem.
pub fn problem(this: &Problem) -> String {
    match this {
        Problem::AddressBookFull { max } => format!("Your address book is full ({max} addresses). Delete one first."),
        Problem::AdjustModeUnknown => "Choose add, remove or set.".into(),
        Problem::AmountInvalid => "Enter an amount like 4.90.".into(),
        Problem::AmountMalformed => "Enter an amount such as 12.50.".into(),
        Problem::AmountTooLarge => "That amount is too large.".into(),
        Problem::AtMostCharacters { max } => format!("Use at most {max} characters."),
        Problem::BadCredentials => "The e-mail address or password is wrong.".into(),
        Problem::BulkActionUnknown => "Choose what to do with the products.".into(),
        Problem::CardExpiryInPast => "Your card's expiry date is in the past.".into(),
        Problem::CardExpiryMalformed => "Enter the expiry date as MM/YY.".into(),
        Problem::CardNotATestCard => "This is a test shop: use one of the test card numbers shown on this page.".into(),
        Problem::CardNumberIncorrect => "Your card number is incorrect.".into(),
        Problem::CannotShipThere => "We cannot ship this order to that address.".into(),
        Problem::CardPaymentsRecordedByProvider => "Card payments are recorded by the payment provider.".into(),
        Problem::CardPaymentsUnavailable => "Card payments are not available here yet; choose another way to pay.".into(),
        Problem::CardSecurityCodeIncomplete => "Your card's security code is incomplete.".into(),
        Problem::CartEmpty => "Your cart is empty.".into(),
        Problem::CartFull { max } => format!("Your cart is full ({max} items); save some for later or check out first."),
        Problem::CategoryInsideItself => "A category cannot sit inside itself.".into(),
        Problem::CategoryNameLength => "Give the category a name of at most 80 characters.".into(),
        Problem::CategorySlugTaken => "Another category has this web address.".into(),
        Problem::CategoryUnknown => "Choose a category from the list.".into(),
        Problem::CheckoutNotReady { missing } => {
            missing.iter().map(problem).collect::<Vec<_>>().join(" ")
        }
        Problem::ContactAndAddressMissing => "Enter your e-mail and delivery address.".into(),
        Problem::ChangeIdInvalid { id } => format!("Change id {id:?} is not valid."),
        Problem::CollectionActionUnknown => "Choose what to do with the collection.".into(),
        Problem::CollectionSlugTaken => "A collection with this web address exists.".into(),
        Problem::CollectionTitleLength => "Give the collection a title of at most 120 characters.".into(),
        Problem::CompareAtPriceInvalid => "Enter the compare-at price like 24.99, or leave it empty.".into(),
        Problem::CountryCodeInvalid => "Enter a two-letter country code such as DE.".into(),
        Problem::CountryNotDelivered => "Choose a country we deliver to.".into(),
        Problem::CouponAmountInvalid => "Enter the amount off, like 5.00.".into(),
        Problem::CouponCodeInvalid => "Use 3 to 32 letters, digits, hyphens or underscores.".into(),
        Problem::CouponCodeTaken => "A coupon with this code exists.".into(),
        Problem::CouponEndsBeforeStart => "The coupon must end after it starts.".into(),
        Problem::CouponExpired => "That code has expired.".into(),
        Problem::CouponKindUnknown => "Choose a percentage, a fixed amount or free shipping.".into(),
        Problem::CouponMinimum { minimum } => format!("That code needs an order of at least {minimum}."),
        Problem::CouponMinimumInvalid => "Enter a minimum like 50.00, or leave it empty.".into(),
        Problem::CouponNotYet => "That code is not valid yet.".into(),
        Problem::CouponPercentInvalid => "Enter a whole percentage from 1 to 100.".into(),
        Problem::CouponUnknown => "We do not know that code. Check it and try again.".into(),
        Problem::CouponUsedByYou => "You have already used that code.".into(),
        Problem::CouponUsedUp => "That code has been used up.".into(),
        Problem::CouponUsesInvalid => "Enter a whole number of uses, or leave it empty.".into(),
        Problem::CsvGramsInvalid { value } => format!("Variant Grams {value:?} is not a weight."),
        Problem::CsvHandleInvalid => {
            "The Handle may only hold letters, digits and hyphens (at most 120).".into()
        }
        Problem::CsvHandleMissing => "The Handle is empty.".into(),
        Problem::CsvImageSrcInvalid => "Image Src must be an http(s) address.".into(),
        Problem::CsvPriceMissing => "Variant Price is empty.".into(),
        Problem::CsvQuantityInvalid { value } => format!(
            "Variant Inventory Qty {value:?} is not a whole number from 0 to 1,000,000."
        ),
        Problem::CsvStatusUnknown { value } => {
            format!("Status {value:?} is not active, draft or archived.")
        }
        Problem::CsvTitleMissing => "The first row of a product needs a Title.".into(),
        Problem::CsvEmpty => "The file is empty.".into(),
        Problem::CsvFileMissing => "Choose a CSV file to import.".into(),
        Problem::CsvMalformed { row } => format!("The file is not valid CSV near row {row}."),
        Problem::CsvNotUtf8 => "The file is not UTF-8 text; export it again as CSV (UTF-8).".into(),
        Problem::CsvTooBig => "The file is larger than 50 MB; split it.".into(),
        Problem::CsvNoHandle => "The file has no Handle column; is it a Shopify product CSV?".into(),
        Problem::CsvTooLarge { max } => format!("The file has more than {max} rows; split it."),
        Problem::CurrencyCodeInvalid => "Enter a three-letter currency code such as EUR.".into(),
        Problem::CurrencyInvalid => "A currency is three capital letters, such as EUR.".into(),
        Problem::CurrencyLockedByProducts => "The currency can only change while the shop has no products: prices are not converted.".into(),
        Problem::CurrencyMismatch => "Amounts in different currencies cannot be combined.".into(),
        Problem::DateInvalid => "Enter a date as YYYY-MM-DD.".into(),
        Problem::DeliveryAddressMissing => "Enter your delivery address.".into(),
        Problem::DisableChoiceUnknown => "Choose to disable or enable.".into(),
        Problem::EmailMalformed => "Enter an e-mail address like name@example.com.".into(),
        Problem::EmailMissing => "Enter your e-mail address.".into(),
        Problem::EmailNotVerified => "Please confirm your e-mail address first: use the link we sent you.".into(),
        Problem::EmailTooLong => "That e-mail address is too long.".into(),
        Problem::FormMalformed { detail } => format!("The form was incomplete or malformed ({detail})."),
        Problem::GramsInvalid => "Enter grams as a whole number.".into(),
        Problem::ItemsUnavailableInQuantity => {
            "Some items are not available in the quantity in your cart.".into()
        }
        Problem::LineNotInOrder => "That line is not in the order.".into(),
        Problem::LineUnitsMax { max } => format!("You can buy at most {max} of one item."),
        Problem::LinkInvalid => "This link is invalid, was already used or has expired.".into(),
        Problem::LocationDoesNotStock => "That location does not stock this item.".into(),
        Problem::LocationNameMissing => "Give the location a name.".into(),
        Problem::LocationNameTaken => "You already have a location by that name.".into(),
        Problem::LocationNameTooLong { max } => {
            format!("A location's name can be at most {max} characters long.")
        }
        Problem::LogoTooLarge => "A logo can be at most 2 MB.".into(),
        Problem::LowStockThresholdInvalid => "Enter a whole number from 0 to 10,000.".into(),
        Problem::NewStaffRoleMissing => "Choose staff or admin for a new back-office account.".into(),
        Problem::NotInCart => "That item is not in your cart.".into(),
        Problem::NoLongerSold => "it is no longer sold.".into(),
        Problem::NoteMissing => "Write the note first.".into(),
        Problem::NothingToChange => "Say what to change.".into(),
        Problem::OnlyLeft { available, can_add } => format!("Only {available} left: you can add {can_add} more."),
        Problem::OnlyLeftToSend { sku, left } => format!("{sku}: only {left} left to send."),
        Problem::OnlyOnHandAtLocation { on_hand } => format!("Only {on_hand} on hand at that location."),
        Problem::OptionNameTwice => "Two options cannot have the same name.".into(),
        Problem::OptionValueMissing { sku, option } => format!("Give {sku} a value for {option}."),
        Problem::OptionsOutOfOrder => "Name the options in order: first, then second, then third.".into(),
        Problem::OptionsTwice { options } => format!("Two variants have the options {options}."),
        Problem::OrderAlreadyPaid => "This order is already paid.".into(),
        Problem::OrderChanged => "The order changed meanwhile; reload it and try again.".into(),
        Problem::OrderFormOutOfDate => "The order form is out of date. Reload the page and try again.".into(),
        Problem::OrderFormReused => "This order form was already used for a different cart. Review your order and place it again.".into(),
        Problem::OrderOnHold => "This order is held for a risk review: approve it in the review queue before packing or shipping it.".into(),
        Problem::OrderNotHeld => "This order is not waiting for a review (someone may have decided it already).".into(),
        Problem::ReviewDecisionUnknown => "Choose approve or reject.".into(),
        Problem::RiskScoresInvalid => "The review score must be 1 to 100, and the cancel score at least the review score (101 never cancels).".into(),
        Problem::OrderWasCancelled => "This order was cancelled.".into(),
        Problem::ErasureWaitsForOrders { orders } => format!(
            "Your account can be deleted once these orders are finished: {}. An order waiting for payment can be cancelled on its page.",
            orders.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(", ")
        ),
        Problem::DaysBetween { min, max } => format!("Enter a number of days from {min} to {max}."),
        Problem::PrivacyRequestKindUnknown => "Choose whether the person asks for their data or for erasure.".into(),
        Problem::PrivacyRequestActionUnknown => "Choose to answer, erase or refuse the request.".into(),
        Problem::PrivacyRequestClosed => "This request is closed already (someone may have just answered it).".into(),
        Problem::ErasureOnlyForCustomers => "Back-office accounts are not deleted here: an admin removes their access in Settings.".into(),
        Problem::OwnAdminRights => "You cannot take away your own admin rights.".into(),
        Problem::OwnTwoStepReset => "Another admin must reset your own two-step sign-in.".into(),
        Problem::PageLinkBroken => "That page link is broken.".into(),
        Problem::ParentCategoryUnknown => "Choose a parent from the list.".into(),
        Problem::PasswordCommon => "That password is one of the most common ones. Choose something harder to guess, such as a few unrelated words.".into(),
        Problem::PasswordIsEmail => "Do not use your e-mail address as your password.".into(),
        Problem::PasswordTooShort { min } => format!("Use at least {min} characters."),
        Problem::PasswordWrong => "Your current password is not correct.".into(),
        Problem::PasskeyFailed => "The passkey was not used: it was cancelled, timed out, or could not be checked. Please try again.".into(),
        Problem::PasskeyUnknown => "This passkey is not registered with this shop. Sign in with your password, then add it on your account page.".into(),
        Problem::PasskeyAlreadyAdded => "This passkey is already registered.".into(),
        Problem::PasskeyExpired => "That took too long. Please try again.".into(),
        Problem::PasskeyLimit { max } => format!("An account can have at most {max} passkeys. Remove one you no longer use first."),
        Problem::PasskeyNameLength { max } => format!("Use at most {max} characters for the name."),
        Problem::PasskeysUnavailable => "Passkeys are not available at this shop's address.".into(),
        Problem::SecondFactorAlreadyOn => "Two-step sign-in is already on for this account.".into(),
        Problem::SecondFactorCodeWrong => "That code is wrong or was already used. Enter the current code from your app, or an unused recovery code.".into(),
        Problem::SecondFactorExpired => "This sign-in took too long or had too many wrong codes. Please sign in again.".into(),
        Problem::SecondFactorRequired => "Back-office accounts must keep two-step sign-in on.".into(),
        Problem::PaymentMethodMissing => "Choose how you want to pay.".into(),
        Problem::PaymentMethodUnavailable => "This shop does not take that way to pay; choose another.".into(),
        Problem::PaymentMethodUnknown => "Choose a payment method.".into(),
        Problem::PermissionUnknown => "Choose permissions from the list.".into(),
        Problem::PhoneCharacters => "Use digits, spaces and + - ( ) only.".into(),
        Problem::PictureActionUnknown => "Choose what to do with the picture.".into(),
        Problem::PictureFormatUnknown => "That file is not a PNG, JPEG or WebP picture.".into(),
        Problem::PictureMissing => "Choose a picture to upload.".into(),
        Problem::PictureNotImported { src, trouble } => {
            format!("Picture {src} could not be imported: {}.", picture_trouble(*trouble))
        }
        Problem::PictureTooLarge => "Pictures can be at most 10 MB.".into(),
        Problem::PostalCodeInvalid { country } => format!("Enter a valid postal code for {country}."),
        Problem::PriceChangeInvalid => "Enter a change between -90 and 1000 percent, like -10 or 5.5.".into(),
        Problem::PriceMissing { sku } => format!("Enter a price for {sku}, like 19.99."),
        Problem::ProductHandleUnknown => "No product has this handle or SKU.".into(),
        Problem::ProductSlugInvalid => "Use letters, digits and hyphens for the web address (at most 120).".into(),
        Problem::ProductSlugTaken => "Another product has this web address; choose another.".into(),
        Problem::ProductSkipped { reason } => format!("Product skipped: {}", problem(reason)),
        Problem::ProductSkippedNoVariants => {
            "Product skipped: none of its variant rows could be used.".into()
        }
        Problem::ProductStatusUnknown => "Choose draft, active or archived.".into(),
        Problem::ProductTitleMissing => "Give the product a title.".into(),
        Problem::ProductUnavailable => "This product is not available.".into(),
        Problem::ProductsNotSelected => "Select at least one product.".into(),
        Problem::PromotionBodyLength => "Write a message of 1 to 200 characters.".into(),
        Problem::PromotionTitleLength => "Write a title of 1 to 60 characters.".into(),
        Problem::PromotionUrlInvalid => "Give a page of this shop, starting with / (for example /collections/sale).".into(),
        Problem::ProviderRefused { detail } => format!("The payment provider refused: {detail}"),
        Problem::Verbatim { text } => text.clone(),
        Problem::PushEndpointInvalid => "The push address must be an https address of a push service.".into(),
        Problem::PushKeysInvalid => "The subscription's keys are not valid.".into(),
        Problem::QuantityTooLarge { max } => format!("You can order at most {max} at once."),
        Problem::QuantityTooSmall => "Choose at least one.".into(),
        Problem::RangeUnknown => "Choose day, week, month or year.".into(),
        Problem::ReasonUnknown => "Choose a reason.".into(),
        Problem::RecipientMissing => "Enter the recipient's name.".into(),
        Problem::RefundBetween { min, max } => format!("Refund between {min} and {max}."),
        Problem::RegionCodeInvalid => "Enter the region's code (such as CA) or leave it empty.".into(),
        Problem::RegionMissing => "Enter the state or province.".into(),
        Problem::RemovalKindUnknown => "Choose what to remove.".into(),
        Problem::ReturnReasonTooLong => "Tell us in up to 500 characters why you return it.".into(),
        Problem::SavedAddressUnknown => "Choose one of your addresses.".into(),
        Problem::SearchTooLong { max } => format!("Search for at most {max} characters."),
        Problem::SelectedProductUnknown => "A selected product does not exist.".into(),
        Problem::ShippingRateKindUnknown => "Choose a flat rate or a rate by weight.".into(),
        Problem::ShippingRateNameLength => "Name the rate (such as Standard), at most 60 characters.".into(),
        Problem::ShopRefused => "the shop refused it.".into(),
        Problem::ShippingMethodMissing => "Choose a shipping method.".into(),
        Problem::ShippingRateUnknown => "Choose one of the shipping methods offered.".into(),
        Problem::SkuInvalid => "Give every variant a SKU without spaces.".into(),
        Problem::SkuTaken { sku } => format!("SKU {sku} belongs to another product."),
        Problem::SkuTwice { sku } => format!("SKU {sku} is used twice."),
        Problem::SlugInvalid => "Use letters, digits and hyphens for the web address.".into(),
        Problem::SoldOut => "Sold out.".into(),
        Problem::SoldOutMeanwhile { title, available } => format!("Sorry, {title} sold out meanwhile (only {available} left). Your cart was not charged; update it and try again."),
        Problem::StaffEmailInvalid => "Enter an e-mail address like ann@example.com.".into(),
        Problem::StaffEmailTaken => "An account with this e-mail exists; change its role instead.".into(),
        Problem::StaffRoleUnknown => "Choose staff, admin or no back-office access.".into(),
        Problem::StatusChangeRefused { from, to } => {
            let from = from.map_or("any", |s| s.label());
            format!("An order that is {from} cannot become {}.", to.label())
        }
        Problem::StatusUnknown => "Choose a status.".into(),
        Problem::StockBelowZero { on_hand } => format!("Only {on_hand} on hand there; the count cannot go below zero."),
        Problem::StockChangeRefused { sku, reason } => format!("{sku}: {} Nothing was changed.", problem(reason)),
        Problem::StockItemUnknown => "That item or location does not exist.".into(),
        Problem::StockPromised { sellable } => format!("Only {sellable} can still be sold; the rest is promised to orders."),
        Problem::StockUnitsInvalid => "Enter the units in stock as a whole number from 0 to 1,000,000.".into(),
        Problem::StoreNameLength => "Give the store a name of at most 80 characters.".into(),
        Problem::StreetMissing => "Enter the street and number.".into(),
        Problem::SupportEmailInvalid => "Enter an e-mail address like help@example.com.".into(),
        Problem::SynonymTermNoLetters => "Each term needs at least one letter or digit.".into(),
        Problem::SynonymTermTooLong { term, max } => format!("“{term}” is longer than {max} characters."),
        Problem::SynonymsTooFew => "Give at least two words or phrases, separated by commas.".into(),
        Problem::SynonymsTooMany { max } => format!("A group holds at most {max} terms."),
        Problem::TagTooLong => "Keep each tag under 40 characters.".into(),
        Problem::TaxNameLength => "Name the tax (such as VAT), at most 40 characters.".into(),
        Problem::TaxRateInvalid => "Enter the rate in percent from 0 to 100, such as 19 or 7.25.".into(),
        Problem::TitleWithoutLetters => "Use some letters or digits in the title.".into(),
        Problem::TooLongField { what, max } => format!("Keep the {} under {max} characters.", field_name(*what)),
        Problem::TooManyChanges { max } => format!("Send at most {max} changes at a time."),
        Problem::TooManyLines => "Too many lines.".into(),
        Problem::TooManyProductsSelected => "Change at most 500 products at once.".into(),
        Problem::TooManyTags => "Use at most 30 tags.".into(),
        Problem::TooManyVariantRows => "Too many variants.".into(),
        Problem::TooManyVariants { max } => format!("Use at most {max} variants."),
        Problem::TownMissing => "Enter the town or city.".into(),
        Problem::TrackingMissing => "Enter the carrier and the tracking number.".into(),
        Problem::TrackingTooLong { carrier_max, tracking_max } => format!("Keep the carrier under {carrier_max} and the tracking number under {tracking_max} characters."),
        Problem::UnitsMissing => "Enter at least one unit.".into(),
        Problem::UnitsNotWhole => "Enter whole numbers of units.".into(),
        Problem::UnitsOutOfRange => "Enter a whole number of units from 0 to 1,000,000.".into(),
        Problem::UnitsToSendMissing => "Choose at least one unit to send.".into(),
        Problem::Unexpected => "Something unexpected went wrong. Please try again.".into(),
        Problem::UnitsToSendNegative => "Units to send cannot be negative.".into(),
        Problem::UploadCutOff => "The upload was cut off; try again.".into(),
        Problem::VariantNotInProduct => "That variant is not part of the product.".into(),
        Problem::VariantNotInProductReload => "A variant is not part of this product; reload the page.".into(),
        Problem::VariantRepeats { sku } => {
            format!("Variant {sku} repeats an earlier row's SKU or options.")
        }
        Problem::VariantRowsMisnumbered => "The variant rows are numbered wrongly.".into(),
        Problem::VariantsMissing => "A product needs at least one variant.".into(),
        Problem::WeightRangeReversed => "The upper weight must not be below the lower one.".into(),
        Problem::WholeNumberInvalid => "Enter a whole number.".into(),
        Problem::AccountHolderMissing => "Enter the name the bank account is held in.".into(),
        Problem::BusinessNameMissing => "Enter your business's name.".into(),
        Problem::BusinessNameNeedsLetters => "Use at least one letter or digit from A to Z in the business name.".into(),
        Problem::ContactNameMissing => "Enter the name of the person we may contact.".into(),
        Problem::IbanInvalid => "That IBAN is not right: check the country letters, the length and every digit.".into(),
        Problem::LegalFormUnknown => "Choose your business's legal form.".into(),
        Problem::RegistrationNumberInvalid => "Enter the registration number with letters, digits, spaces, dots, dashes or slashes (at most 40).".into(),
        Problem::RegistrationNumberMissing => "Enter the number your business is registered under.".into(),
        Problem::TaxNumberInvalid => "Enter a VAT number starting with its two country letters, such as DE123456789.".into(),
        Problem::TermsNotAccepted => "Accept the marketplace terms to apply.".into(),
        Problem::VendorApplicantNotCustomer => "Only a shopper's account can apply to sell. Sign in with your own shopping account, or create one.".into(),
        Problem::VendorChecklistIncomplete => "Complete every item of the checklist first.".into(),
        Problem::VendorDescriptionLength { min, max } => format!("Describe your shop in {min} to {max} characters."),
        Problem::VendorMinimumProducts { max } => format!("Enter the number of products as a whole number from 0 to {max}."),
        Problem::VendorPolicyLength { min, max } => format!("Write your returns policy in {min} to {max} characters."),
        Problem::VendorReasonMissing => "Tell the seller why: they receive this text.".into(),
        Problem::VendorStepNotNow => "That step does not apply to this seller now; the page shows where they stand.".into(),
        Problem::VendorStepUnknown => "Choose what to do with this seller.".into(),
        Problem::VendorInvitationInvalid => "This invitation link was used already, has expired or is not right. Ask the seller's owner for a new one.".into(),
        Problem::VendorInvitationOtherAddress => "This invitation is for another e-mail address. Sign in with the account of the address it was sent to.".into(),
        Problem::VendorInvitationsFull { max } => format!("{max} invitations are waiting already. Wait until some are used or expire."),
        Problem::VendorMemberElsewhere => "This account cannot join a seller's team: it works for a seller already, or it is a staff account.".into(),
        Problem::VendorMemberAlready => "That address is in your team already.".into(),
        Problem::VendorLastOwner => "A seller keeps at least one owner. Make someone else owner first.".into(),
        Problem::VendorRemoveSelf => "You cannot remove yourself; another owner can.".into(),
        Problem::VendorRoleUnknown => "Choose what the new member does.".into(),
        Problem::WholeNumberRange { what } => format!("Enter the {} as a whole number from 0 to 1,000,000.", field_name(*what)),
        Problem::ZoneCountriesInvalid => "List the zone's countries (such as DE, AT) or * for everywhere else.".into(),
        Problem::ZoneNameLength => "Name the zone, at most 60 characters.".into(),
    }
}

/// Why a picture could not be imported, to follow a colon.
pub fn picture_trouble(trouble: PictureTrouble) -> String {
    match trouble {
        PictureTrouble::AddressInvalid => "the address is not valid".into(),
        PictureTrouble::NoHost => "the address has no host".into(),
        PictureTrouble::HostUnknown => "its host could not be found".into(),
        PictureTrouble::PrivateNetwork => "its host is in a private network".into(),
        PictureTrouble::Unreachable => "it could not be fetched".into(),
        PictureTrouble::Answered { status } => format!("the server answered {status}"),
        PictureTrouble::CutOff => "the download was cut off".into(),
        PictureTrouble::TooLarge => "it is larger than 10 MB".into(),
        PictureTrouble::Unprocessable => "it could not be processed".into(),
        PictureTrouble::NotAPicture => "it is not a PNG, JPEG or WebP picture".into(),
    }
}

/// The name of a thing that was not found, as the start of a sentence.
pub fn thing(thing: Thing) -> &'static str {
    match thing {
        Thing::Address => "Address",
        Thing::Category => "Category",
        Thing::Collection => "Collection",
        Thing::Customer => "Customer",
        Thing::Import => "Import",
        Thing::Item => "Item",
        Thing::Order => "Order",
        Thing::Page => "Page",
        Thing::Payment => "Payment",
        Thing::Picture => "Picture",
        Thing::Product => "Product",
        Thing::Session => "Session",
        Thing::Setting => "Setting",
        Thing::ShippingZone => "Shipping zone",
        Thing::StaffAccount => "Staff account",
        Thing::Store => "Store",
        Thing::SynonymGroup => "Synonym group",
        Thing::Vendor => "Seller",
    }
}

/// A field's name inside a sentence.
pub fn field_name(field: FieldName) -> &'static str {
    match field {
        FieldName::Address => "address",
        FieldName::Barcode => "barcode",
        FieldName::Brand => "brand",
        FieldName::DeliveryTime => "delivery time",
        FieldName::Description => "description",
        FieldName::Note => "note",
        FieldName::OptionName => "option name",
        FieldName::OptionValue => "option value",
        FieldName::PhoneNumber => "phone number",
        FieldName::ProductType => "type",
        FieldName::Reason => "reason",
        FieldName::SearchDescription => "search-engine description",
        FieldName::SearchTitle => "search-engine title",
        FieldName::Sku => "SKU",
        FieldName::Stock => "stock",
        FieldName::Title => "title",
        FieldName::WeightInGrams => "weight in grams",
    }
}

/// The sentence for an error a server function returned.
pub fn app_error(error: &AppError) -> String {
    match error {
        AppError::NotFound { what } => format!("{} was not found.", thing(*what)),
        AppError::Unauthorized => "Please sign in to continue.".into(),
        AppError::Forbidden => "You do not have permission to do that.".into(),
        AppError::Validation { problem: p, .. } | AppError::Conflict { problem: p } => problem(p),
        AppError::RateLimited { retry_after_secs } => {
            format!("Too many attempts. Please try again in {retry_after_secs} seconds.")
        }
        AppError::Internal { reference } => format!(
            "Something went wrong on our side. If it keeps happening, quote reference {reference}."
        ),
        AppError::Unreachable { .. } => {
            "The shop could not be reached. Check your connection and try again.".into()
        }
        AppError::SavedOffline => {
            "You are offline. Saved on this device: it will be sent when you are back online."
                .into()
        }
    }
}

/// The sentence for a change made offline and replayed later.
pub fn change_report(report: &ChangeReport) -> String {
    let subject = &report.subject;
    match &report.outcome {
        ChangeOutcome::Applied => format!("{subject} was synced."),
        ChangeOutcome::PriceChanged { was, now } => {
            format!("{subject} is in your cart, but its price changed from {was} to {now}.")
        }
        ChangeOutcome::Refused { problem: p } => {
            format!("{subject} could not be added: {}", problem(p))
        }
    }
}

/// The sentence beside an order's new status in its mail and push message (empty for none).
pub fn status_detail(detail: &StatusDetail) -> String {
    match detail {
        StatusDetail::None => String::new(),
        StatusDetail::PaymentReceived => "We received your payment.".into(),
        StatusDetail::Shipped { carrier, tracking } => {
            format!("Carrier: {carrier}. Tracking number: {tracking}.")
        }
        StatusDetail::ParcelSent {
            items,
            carrier,
            tracking,
        } => {
            let items: Vec<String> = items
                .iter()
                .map(|(units, sku)| format!("{units} × {sku}"))
                .collect();
            let mut text = format!("Sent: {}.", items.join(", "));
            if !carrier.is_empty() || !tracking.is_empty() {
                text.push_str(&format!(
                    " Carrier: {carrier}. Tracking number: {tracking}."
                ));
            }
            text
        }
        StatusDetail::Cancelled => {
            "Nothing will be charged; if you already paid, the refund follows.".into()
        }
        StatusDetail::CancelledUnpaid { minutes } => format!(
            "It was not paid within {minutes} minutes, so the items went back on sale. Nothing was charged; you are welcome to order again."
        ),
        StatusDetail::CancelledUnpaidDays { days } => {
            let days = if *days == 1 {
                "1 day".to_owned()
            } else {
                format!("{days} days")
            };
            format!(
                "It was not paid within {days}, so the items went back on sale. You are welcome to order again."
            )
        }
        StatusDetail::Refunded { amount } => {
            format!("We refunded {amount} to your original payment method.")
        }
        StatusDetail::CustomerNote { text } => text.trim().to_owned(),
    }
}

/// The shop's line in an order's history.
pub fn history_note(note: &HistoryNote) -> String {
    match note {
        HistoryNote::CancelledByCustomer => "Cancelled by the customer.".into(),
        HistoryNote::ReplacedByNewerOrder => "Replaced by a newer order from the same cart.".into(),
        HistoryNote::NotPaidInTime => "Not paid within the payment window.".into(),
        HistoryNote::FailedRiskCheck => {
            "We could not accept this order; nothing was charged. Please contact us if you think this is a mistake.".into()
        }
        HistoryNote::ApprovedAfterReview => "Checked by the shop and released for packing.".into(),
        HistoryNote::RejectedAfterReview => "Not accepted after the shop's check.".into(),
        HistoryNote::Refunded { amount } => format!("{amount} refunded."),
        HistoryNote::Told { detail } => status_detail(detail),
    }
}

/// How to pay by bank transfer (the order page and the confirmation mail).
pub fn bank_transfer(transfer: &BankTransfer) -> String {
    let mut text = format!(
        "Please transfer {} to {}, quoting \"Order {}\". We ship when the money arrives.",
        transfer.total, transfer.account, transfer.order_number
    );
    if let Some(by) = transfer.pay_by {
        let date = by.to_rfc3339();
        text.push_str(&format!(
            " If it has not arrived by {}, the order is cancelled.",
            &date[..10.min(date.len())]
        ));
    }
    text
}

/// A kind of data on the retention settings, as a field label (days).
pub fn data_kind(kind: crate::retention::DataKind) -> &'static str {
    use crate::retention::DataKind as K;
    match kind {
        K::GuestCarts => "Guest carts nobody touched (days)",
        K::AbandonedCheckouts => "Contact details of unfinished checkouts (days)",
        K::SignInRecords => "Browsers accounts signed in from (days since last seen)",
        K::AnalyticsEvents => "Analytics events (days)",
        K::Mailbox => "Local mailbox (days)",
        K::AuditLog => "Audit log (days, at least 365)",
        K::ErasedPseudonyms => {
            "Pseudonyms of erased customers on their orders (days after erasure)"
        }
    }
}

/// How an erased customer is named where their orders are listed (`code` is the pseudonym
/// kept on the orders).
pub fn erased_customer(code: &str) -> String {
    format!("Erased customer {code}")
}

/// Why an order looks risky, for staff (the review queue and the order's page).
pub fn risk_signal(signal: &crate::risk::RiskSignal) -> String {
    use crate::risk::RiskSignal as S;
    let country = |code: &str| {
        crate::address::country_name(code)
            .unwrap_or(code)
            .to_owned()
    };
    match signal {
        S::DisposableEmail { domain } => {
            format!("The e-mail address is at {domain}, a provider of throwaway addresses.")
        }
        S::CountryMismatch { billing, delivery } => format!(
            "Billed to {} but delivered to {}.",
            country(billing),
            country(delivery)
        ),
        S::EmailVelocity { orders, hours } => {
            format!("{orders} orders with this e-mail address within {hours} hours.")
        }
        S::NetworkVelocity { orders, hours } => {
            format!("{orders} orders from the same network within {hours} hours.")
        }
        S::DeviceVelocity { orders, hours } => {
            format!("{orders} orders from the same browser within {hours} hours.")
        }
        S::FirstOrderAboveAverage { tenths } => format!(
            "A first order at {}.{} times the shop's average order.",
            tenths / 10,
            tenths % 10
        ),
        S::AddressReused { others, days } => format!(
            "The delivery address was given with {others} other e-mail addresses within {days} days."
        ),
        S::NameReused { others, days } => {
            format!("The name was given with {others} other e-mail addresses within {days} days.")
        }
        S::CardDeclines { declines } => {
            format!("{declines} declined card attempts before the payment went through.")
        }
        S::CardVelocity { orders, hours } => {
            format!("{orders} orders paid with the same card within {hours} hours.")
        }
        S::CardShared { others, days } => format!(
            "The card that paid was also used with {others} other e-mail addresses within {days} days."
        ),
    }
}

/// Where a vendor stands, as sellers and staff read it.
pub fn vendor_status(status: crate::vendor::VendorStatus) -> &'static str {
    use crate::vendor::VendorStatus as S;
    match status {
        S::Applied => "Application received",
        S::Onboarding => "Onboarding",
        S::InReview => "In review",
        S::Approved => "Approved: selling",
        S::Rejected => "Rejected",
        S::Suspended => "Suspended",
        S::Closed => "Closed",
    }
}

/// A step of a vendor's journey, as the console's buttons say it.
pub fn vendor_step(step: crate::vendor::VendorStep) -> &'static str {
    use crate::vendor::VendorStep as T;
    match step {
        T::Accept => "Accept the application",
        T::SubmitForReview => "Submit for review",
        T::Approve => "Approve: the seller may sell",
        T::RequestChanges => "Ask for changes",
        T::Reject => "Reject",
        T::Suspend => "Suspend sales",
        T::Reinstate => "Reinstate",
        T::Close => "Close for good",
    }
}

/// One line of a vendor's checklist.
pub fn requirement(requirement: &crate::vendor::Requirement) -> String {
    use crate::vendor::Requirement as R;
    match requirement {
        R::TermsAccepted => "Accept the marketplace terms".into(),
        R::ProfileComplete => "Describe your shop and your returns policy".into(),
        R::PayoutAccount => "Give a bank account for payouts".into(),
        R::Products { minimum: 1 } => "List your first product".into(),
        R::Products { minimum } => format!("List at least {minimum} products"),
    }
}

/// A vendor team member's role.
pub fn vendor_role(role: crate::vendor::VendorRole) -> &'static str {
    use crate::vendor::VendorRole as R;
    match role {
        R::Owner => "Owner",
        R::Catalog => "Products and stock",
        R::Orders => "Orders and returns",
        R::Finance => "Money and reports",
    }
}

/// What a vendor's owner is told when its status changes (the mail's first paragraph).
pub fn vendor_status_news(
    vendor: &str,
    status: crate::vendor::VendorStatus,
    review_required: bool,
) -> String {
    use crate::vendor::VendorStatus as S;
    match status {
        S::Applied => format!(
            "Thank you for applying to sell as {vendor}. We will look at your application and write to you."
        ),
        S::Onboarding => format!(
            "{vendor} may now get ready to sell: complete the checklist on your seller dashboard, then submit it for review."
        ),
        S::InReview if review_required => {
            format!("{vendor} is being reviewed. We will write to you once we have decided.")
        }
        S::InReview => format!("{vendor} is being reviewed."),
        S::Approved => format!("{vendor} is approved: your products can be bought from now on."),
        S::Rejected => format!("We are sorry: {vendor} was not accepted as a seller."),
        S::Suspended => format!(
            "Sales of {vendor} are suspended: shoppers cannot buy your products until we reinstate you."
        ),
        S::Closed => format!("{vendor} is closed as a seller."),
    }
}
