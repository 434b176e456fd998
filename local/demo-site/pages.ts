/**
 * The demo site's pages: a small coffee shop with links, a client-side app section, a contact form and a
 * "buy" button, each page carrying the tracker, so that a newcomer can watch their own clicks become sessions.
 */

/** Products of the shop: path segment, name and price. */
export const PRODUCTS = [
  { id: 'espresso', name: 'Espresso beans', price: 12.5 },
  { id: 'filter', name: 'Filter roast', price: 9.9 },
  { id: 'grinder', name: 'Hand grinder', price: 54 },
] as const;

export interface PageContext {
  /** The collector's `POST /collect` URL the tracker sends to. */
  readonly collectorUrl: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Paragraphs that make a page long enough to scroll through the depth marks. */
const FILLER = Array.from(
  { length: 12 },
  (_, i) => `<p class="filler">Section ${i + 1}. Freshly roasted every week, shipped in recyclable bags.</p>`,
).join('\n');

function layout(title: string, body: string, ctx: PageContext): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo coffee shop</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
nav a { margin-right: 1rem; }
.filler { margin: 3rem 0; color: #666; }
button { font: inherit; padding: .4rem 1rem; }
</style>
<script>window.clickstream=window.clickstream||function(){(window.clickstream.q=window.clickstream.q||[]).push(arguments)};</script>
<script async src="/tracker.js" data-collector="${escapeHtml(ctx.collectorUrl)}"></script>
</head>
<body>
<nav><a href="/">Home</a><a href="/products/espresso">Espresso</a><a href="/products/filter">Filter</a><a href="/app/">Account</a><a href="/contact">Contact</a><a href="/cart">Cart</a></nav>
<h1>${escapeHtml(title)}</h1>
${body}
${FILLER}
</body>
</html>
`;
}

function home(ctx: PageContext): string {
  const list = PRODUCTS.map((p) => `<li><a href="/products/${p.id}">${escapeHtml(p.name)}</a> (€${p.price.toFixed(2)})</li>`).join('');
  return layout(
    'Welcome',
    `<p>Every page here carries the tracker. Click around, then run <code>npx clickstream export sessions</code>.</p><ul>${list}</ul>`,
    ctx,
  );
}

function product(id: string, ctx: PageContext): string | undefined {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) return undefined;
  return layout(
    p.name,
    `<p>€${p.price.toFixed(2)}</p>
<a id="add-to-cart" href="/cart?item=${p.id}" data-cs-event="add_to_cart" data-cs-product="${p.id}">Add to cart</a>`,
    ctx,
  );
}

function cart(item: string | null, ctx: PageContext): string {
  const p = PRODUCTS.find((x) => x.id === item) ?? PRODUCTS[0];
  return layout(
    'Your cart',
    `<p id="cart-line">1 × ${escapeHtml(p.name)}: €${p.price.toFixed(2)}</p>
<button id="buy" type="button">Buy now</button>
<p id="thanks" hidden>Thank you for your order.</p>
<script>
document.getElementById('buy').addEventListener('click', function () {
  clickstream('track', 'conversion', { revenue: ${p.price}, currency: 'EUR', product: '${p.id}' }, 'purchase');
  document.getElementById('thanks').hidden = false;
});
</script>`,
    ctx,
  );
}

function contact(ctx: PageContext): string {
  return layout(
    'Contact us',
    `<form id="contact" method="post" action="/contact/sent">
<p><label>Name <input name="name" autocomplete="off"></label></p>
<p><label>Message <textarea name="message"></textarea></label></p>
<p><button type="submit">Send</button></p>
</form>`,
    ctx,
  );
}

function contactSent(ctx: PageContext): string {
  return layout('Message sent', '<p>We will answer soon.</p><p><a href="/">Back to the shop</a></p>', ctx);
}

/** A single-page app: its links change the URL with the History API, without loading a page. */
function app(ctx: PageContext): string {
  return layout(
    'Your account',
    `<p><a href="/app/orders" data-spa>Orders</a> · <a href="/app/settings" data-spa>Settings</a></p>
<p id="view">Overview</p>
<script>
function show(path) { document.getElementById('view').textContent = path === '/app/orders' ? 'Orders' : path === '/app/settings' ? 'Settings' : 'Overview'; }
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[data-spa]');
  if (!a) return;
  e.preventDefault();
  history.pushState({}, '', a.getAttribute('href'));
  show(location.pathname);
});
window.addEventListener('popstate', function () { show(location.pathname); });
show(location.pathname);
</script>`,
    ctx,
  );
}

/** The page for a path and query, or undefined when there is none. */
export function page(path: string, query: URLSearchParams, ctx: PageContext): string | undefined {
  if (path === '/') return home(ctx);
  if (path.startsWith('/products/')) return product(path.slice('/products/'.length), ctx);
  if (path === '/cart') return cart(query.get('item'), ctx);
  if (path === '/contact') return contact(ctx);
  if (path === '/contact/sent') return contactSent(ctx);
  if (path === '/app' || path.startsWith('/app/')) return app(ctx);
  return undefined;
}
