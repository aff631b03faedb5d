//! Payments: the provider interface (`provider`, modelled on Stripe's PaymentIntents), the
//! built-in test provider with its own card page (`test_provider`, `testpay_page`), the Stripe
//! provider (`stripe`), webhook signatures (`signatures`) and the shop's side of it all
//! (`payment_service`: start, apply, refund, expire, receive webhooks). Bank transfer and cash
//! on delivery need no provider: staff mark those orders paid.

mod testpay_page;
pub use testpay_page::{
    AuthenticateTestPayment, GetTestPayment, PayWithTestCard, TestPayAuthenticatePage, TestPayPage,
    TestPayView, authenticate_test_payment, get_test_payment, pay_with_test_card,
};

#[cfg(feature = "ssr")]
pub mod payment_service;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod signatures;
#[cfg(feature = "ssr")]
pub mod stripe;
#[cfg(feature = "ssr")]
pub mod test_provider;

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::provider::{
        Intent, NewIntent, PaymentError, PaymentProvider, ProviderRefund, WebhookError,
        WebhookEvent,
    };
    use super::stripe::StripeProvider;
    use super::test_provider::TestProvider;
    use crate::fraud::assess::CardFacts;
    use crate::orders::lifecycle::OrderMail;
    use crate::orders::payment_port::PortFuture;
    use crate::orders::status_rules::Actor;
    use crate::platform::config::{CardProviderSetting, Config};
    use crate::platform::db::Db;
    use crate::platform::jobs::{JobContext, JobFailure, JobRegistry};
    use shop_types::OrderStatus;
    use shop_types::Timestamp;

    /// The card provider this installation uses (`SHOP_PAYMENT_PROVIDER`).
    #[derive(Clone, Debug)]
    pub enum CardProvider {
        /// No card payments (`SHOP_PAYMENT_PROVIDER=off`, the default outside demo mode):
        /// checkout does not offer cards, and anything that reaches for a provider is refused.
        Off,
        Test(TestProvider),
        Stripe(StripeProvider),
    }

    const OFF: &str = "no card payment provider is configured";

    macro_rules! delegate {
        ($self:ident, $p:ident => $call:expr) => {
            match $self {
                CardProvider::Off => Err(PaymentError::Unavailable(OFF.into())),
                CardProvider::Test($p) => $call,
                CardProvider::Stripe($p) => $call,
            }
        };
    }

    impl PaymentProvider for CardProvider {
        fn name(&self) -> &'static str {
            match self {
                Self::Off => "off",
                Self::Test(p) => p.name(),
                Self::Stripe(p) => p.name(),
            }
        }
        async fn create_intent(&self, request: &NewIntent) -> Result<Intent, PaymentError> {
            delegate!(self, p => p.create_intent(request).await)
        }
        async fn retrieve_intent(&self, id: &str) -> Result<Intent, PaymentError> {
            delegate!(self, p => p.retrieve_intent(id).await)
        }
        async fn confirm_intent(
            &self,
            id: &str,
            pm: &str,
            return_url: &str,
        ) -> Result<Intent, PaymentError> {
            delegate!(self, p => p.confirm_intent(id, pm, return_url).await)
        }
        async fn capture_intent(
            &self,
            id: &str,
            amount: Option<i64>,
        ) -> Result<Intent, PaymentError> {
            delegate!(self, p => p.capture_intent(id, amount).await)
        }
        async fn cancel_intent(&self, id: &str) -> Result<Intent, PaymentError> {
            delegate!(self, p => p.cancel_intent(id).await)
        }
        async fn card_history(&self, id: &str) -> Result<CardFacts, PaymentError> {
            delegate!(self, p => p.card_history(id).await)
        }
        async fn refund(
            &self,
            intent_id: &str,
            amount: i64,
            key: &str,
        ) -> Result<ProviderRefund, PaymentError> {
            delegate!(self, p => p.refund(intent_id, amount, key).await)
        }
        async fn verify_webhook(
            &self,
            signature: Option<&str>,
            body: &[u8],
            now: Timestamp,
        ) -> Result<WebhookEvent, WebhookError> {
            match self {
                Self::Off => Err(WebhookError::BadSignature),
                Self::Test(p) => p.verify_webhook(signature, body, now).await,
                Self::Stripe(p) => p.verify_webhook(signature, body, now).await,
            }
        }
    }

    impl CardProvider {
        /// Whether the shop can take cards with it: the test provider has its own card page,
        /// Stripe its hosted payment page.
        pub fn collects_cards(&self) -> bool {
            matches!(self, Self::Test(_) | Self::Stripe(_))
        }

        /// The other site the shop's forms may lead to (the payment page the "Place order"
        /// post is redirected to), for the Content-Security-Policy's `form-action`.
        pub fn form_target(&self) -> Option<&str> {
            match self {
                Self::Stripe(p) => Some(p.checkout_origin()),
                Self::Off | Self::Test(_) => None,
            }
        }

        /// The header its webhooks carry their signature in.
        pub fn signature_header(&self) -> &'static str {
            match self {
                Self::Off => "",
                Self::Test(_) => super::test_provider::SIGNATURE_HEADER,
                Self::Stripe(_) => super::stripe::SIGNATURE_HEADER,
            }
        }
    }

    /// Everything payment code needs: the database, the provider, and what order mails say.
    #[derive(Clone, Debug)]
    pub struct Payments {
        pub db: Db,
        pub provider: CardProvider,
        pub mail: OrderMail,
    }

    impl Payments {
        /// Built from the configuration (after the public URL is final).
        pub fn from_config(db: &Db, config: &Config) -> Self {
            let provider = match &config.card_provider {
                CardProviderSetting::Off => CardProvider::Off,
                CardProviderSetting::Test => {
                    CardProvider::Test(TestProvider::new(db.clone(), &config.public_url))
                }
                CardProviderSetting::Stripe {
                    api_base,
                    secret_key,
                    webhook_secret,
                } => {
                    CardProvider::Stripe(StripeProvider::new(api_base, secret_key, webhook_secret))
                }
            };
            Self {
                db: db.clone(),
                provider,
                mail: OrderMail {
                    public_url: config.public_url.clone(),
                    bank_details: config.bank_details.clone(),
                },
            }
        }
    }

    impl Payments {
        /// The payment methods checkout offers: cards when a provider takes them, bank
        /// transfer when the shop has given its bank details, cash on delivery always.
        pub fn methods(&self) -> Vec<shop_types::PaymentMethod> {
            shop_types::PaymentMethod::ALL
                .into_iter()
                .filter(|m| self.offers(*m))
                .collect()
        }

        /// Whether checkout offers `method` (see [`Payments::methods`]).
        pub fn offers(&self, method: shop_types::PaymentMethod) -> bool {
            use shop_types::PaymentMethod;
            match method {
                PaymentMethod::Card => self.provider.collects_cards(),
                PaymentMethod::BankTransfer => self.mail.bank_details.is_some(),
                PaymentMethod::CashOnDelivery => true,
            }
        }

        /// The orders' payment port, for the state.
        pub fn port(&self) -> crate::orders::payment_port::PaymentPort {
            crate::orders::payment_port::PaymentPort(std::sync::Arc::new(self.clone()))
        }
    }

    /// Registers the payment and order jobs.
    pub fn register(registry: &mut JobRegistry, payments: Payments) {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        registry.handle(
            move |ctx: JobContext, delivery: super::test_provider::WebhookDelivery| {
                let client = client.clone();
                async move {
                    super::test_provider::deliver_webhook(&ctx.db, &client, &delivery)
                        .await
                        .map_err(JobFailure::retry)
                }
            },
        );
        registry.handle(
            move |_ctx: JobContext, job: crate::orders::lifecycle::ExpireUnpaid| {
                let payments = payments.clone();
                async move {
                    super::payment_service::expire(&payments, &job.order_id)
                        .await
                        .map(|_| ())
                        .map_err(|e| JobFailure::retry(e.to_string()))
                }
            },
        );
    }

    impl crate::orders::payment_port::OrderPayments for Payments {
        fn start<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, Option<String>> {
            Box::pin(super::payment_service::start(self, order_id))
        }

        fn refresh<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, Option<String>> {
            Box::pin(super::payment_service::refresh(self, order_id))
        }

        fn stop<'a>(&'a self, order_id: &'a str) -> PortFuture<'a, ()> {
            Box::pin(super::payment_service::stop_payment(self, order_id))
        }

        fn refund<'a>(
            &'a self,
            order_id: &'a str,
            amount: i64,
            reason: &'a str,
            actor: &'a Actor,
        ) -> PortFuture<'a, OrderStatus> {
            Box::pin(super::payment_service::refund(
                self, order_id, amount, reason, actor,
            ))
        }
    }
}
