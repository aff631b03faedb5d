// A stand-in for Stripe in the end-to-end run: the part of Stripe's API the shop's provider
// calls (Checkout Sessions, refunds) and a hosted payment page on the same origin, as
// `SHOP_STRIPE_API_BASE` pointing here tells the shop to expect. Paying on the page completes
// the session, delivers the signed `checkout.session.completed` webhook to the shop (Stripe's
// signature scheme), and only then sends the shopper back, as Stripe does for a card that
// settles at once. No dependencies: Node's own http and crypto.
//
// Settings (environment): FAKE_STRIPE_PORT, FAKE_STRIPE_KEY (the secret key the shop must
// send), FAKE_STRIPE_WEBHOOK_SECRET, FAKE_STRIPE_WEBHOOK_URL (the shop's /webhooks/stripe).
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.FAKE_STRIPE_PORT);
const key = process.env.FAKE_STRIPE_KEY;
const webhookSecret = process.env.FAKE_STRIPE_WEBHOOK_SECRET;
const webhookUrl = process.env.FAKE_STRIPE_WEBHOOK_URL;
if (!port || !key || !webhookSecret || !webhookUrl) {
  console.error('fake-stripe: FAKE_STRIPE_PORT, _KEY, _WEBHOOK_SECRET and _WEBHOOK_URL are required');
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;

const sessions = new Map();
const byIdempotencyKey = new Map();
const refunds = new Map();

function send(res, status, body, headers = {}) {
  res.writeHead(status, headers);
  res.end(body);
}
function json(res, status, value) {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json' });
}
function stripeError(res, status, message) {
  json(res, status, { error: { type: 'invalid_request_error', message } });
}
async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `POST /v1/checkout/sessions`: what Stripe requires of a one-line payment session. */
function createSession(req, res, form) {
  const idem = req.headers['idempotency-key'];
  if (idem && byIdempotencyKey.has(idem)) return json(res, 200, sessions.get(byIdempotencyKey.get(idem)));
  const amount = Number(form['line_items[0][price_data][unit_amount]']);
  const now = Math.floor(Date.now() / 1000);
  const expires = Number(form.expires_at);
  const valid =
    form.mode === 'payment' &&
    form['line_items[0][quantity]'] === '1' &&
    Number.isInteger(amount) && amount > 0 &&
    form.success_url && form.cancel_url &&
    form['line_items[0][price_data][product_data][name]'] &&
    expires >= now + 30 * 60 && expires <= now + 24 * 3600;
  if (!valid) return stripeError(res, 400, 'Invalid Checkout Session parameters.');
  const id = `cs_test_e2e${randomBytes(6).toString('hex')}`;
  const session = {
    id, object: 'checkout.session', amount_total: amount,
    currency: form['line_items[0][price_data][currency]'], status: 'open',
    payment_status: 'unpaid', payment_intent: null, url: `${origin}/c/pay/${id}`,
    success_url: form.success_url, cancel_url: form.cancel_url,
    client_reference_id: form.client_reference_id ?? null,
    metadata: { reference: form['metadata[reference]'] ?? null },
    line_item_name: form['line_items[0][price_data][product_data][name]'],
  };
  sessions.set(id, session);
  if (idem) byIdempotencyKey.set(idem, id);
  json(res, 200, session);
}

function amountText(session) {
  return `${(session.amount_total / 100).toFixed(2)} ${session.currency.toUpperCase()}`;
}

/** The hosted page: what the shopper pays, a button to pay and a way back. */
function hostedPage(res, session) {
  const open = session.status === 'open';
  const body = open
    ? `<p>${escapeHtml(session.line_item_name)}</p>
       <p>Amount due: <strong id="amount">${escapeHtml(amountText(session))}</strong></p>
       <form method="post"><button type="submit">Pay ${escapeHtml(amountText(session))}</button></form>
       <p><a href="${escapeHtml(session.cancel_url)}">Back to the shop</a></p>`
    : `<p role="alert">This payment page is ${escapeHtml(session.status)}.</p>`;
  send(res, 200, `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Fake Stripe Checkout</title></head>
    <body><main><h1>Fake Stripe Checkout</h1>${body}</main></body></html>`, { 'content-type': 'text/html; charset=utf-8' });
}

/** Paying: the session completes with a PaymentIntent, the shop hears it by webhook, and the
 * shopper goes back to the shop. */
async function pay(res, session) {
  if (session.status !== 'open') return hostedPage(res, session);
  session.status = 'complete';
  session.payment_status = 'paid';
  session.payment_intent = `pi_e2e_for_${session.id}`;
  const event = JSON.stringify({
    id: `evt_e2e${randomBytes(6).toString('hex')}`, object: 'event',
    type: 'checkout.session.completed', data: { object: session },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', webhookSecret).update(`${t}.${event}`).digest('hex');
  const answer = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    body: event,
  });
  if (!answer.ok) {
    console.error(`fake-stripe: the shop refused the webhook: ${answer.status} ${await answer.text()}`);
    return send(res, 502, 'The shop refused the payment notification.');
  }
  send(res, 303, '', { location: session.success_url });
}

async function handle(req, res) {
  const url = new URL(req.url, origin);
  const hosted = url.pathname.match(/^\/c\/pay\/(cs_[A-Za-z0-9_]+)$/);
  if (hosted) {
    const session = sessions.get(hosted[1]);
    if (!session) return send(res, 404, 'No such payment page.');
    return req.method === 'POST' ? pay(res, session) : hostedPage(res, session);
  }
  if (req.headers.authorization !== `Bearer ${key}`) return stripeError(res, 401, 'Invalid API Key provided.');
  const form = req.method === 'POST' ? await readForm(req) : {};
  if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') return createSession(req, res, form);
  const one = url.pathname.match(/^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)(\/expire)?$/);
  if (one) {
    const session = sessions.get(one[1]);
    if (!session) return stripeError(res, 404, 'No such checkout.session');
    if (one[2] && req.method === 'POST') {
      if (session.status !== 'open') return stripeError(res, 400, 'Only open sessions can be expired.');
      session.status = 'expired';
    }
    return json(res, 200, session);
  }
  if (req.method === 'GET' && url.pathname === '/v1/charges') {
    // The hosted page here always pays at the first try: one succeeded charge per paid
    // session, each with a card of its own (the e2e shoppers must not look like one card).
    const paid = [...sessions.values()].find((s) => s.payment_intent && s.payment_intent === url.searchParams.get('payment_intent'));
    const data = paid
      ? [{ object: 'charge', status: 'succeeded', payment_method_details: { type: 'card', card: { fingerprint: `fp_e2e_${paid.id}` } } }]
      : [];
    return json(res, 200, { object: 'list', data, has_more: false });
  }
  if (req.method === 'POST' && url.pathname === '/v1/refunds') {
    const paid = [...sessions.values()].find((s) => s.payment_intent === form.payment_intent);
    const amount = Number(form.amount);
    const done = refunds.get(form.payment_intent) ?? 0;
    if (!paid || !(amount > 0) || done + amount > paid.amount_total) {
      return stripeError(res, 400, 'The refund is more than what is left of the charge.');
    }
    refunds.set(form.payment_intent, done + amount);
    return json(res, 200, { id: `re_e2e${randomBytes(6).toString('hex')}`, object: 'refund', amount, status: 'succeeded', payment_intent: form.payment_intent });
  }
  stripeError(res, 404, `Unrecognized request URL (${req.method}: ${url.pathname}).`);
}

createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error('fake-stripe:', e);
    if (!res.headersSent) send(res, 500, 'fake-stripe failed');
  });
}).listen(port, '127.0.0.1', () => console.log(`fake-stripe listening on ${origin}`));
