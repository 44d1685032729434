// The tiergate dashboard: reads /admin/v1/... with the signed-in key and draws each page.
// Every value from the server is inserted as text (textContent, text nodes, non-URL attributes);
// nothing is parsed as HTML. Charts are SVG elements built one by one.

const KEY_STORAGE = 'tiergate.admin_key';
const THEME_STORAGE = 'tiergate.theme';
const REFRESH_MS = 5000;
const PAGES = ['overview', 'routing', 'privacy', 'budgets', 'models', 'retrieval', 'distillation', 'ledger', 'keys'];
const SVG_NS = 'http://www.w3.org/2000/svg';

const state = {
  key: null,          // the bearer key, or null on a keyless server
  who: null,          // whoami: { role, key_id, team, can_change }
  range: '24h',
  live: true,
  page: null,         // the current page name
  view: null,         // the current page's elements and last data
  nav: 0,             // navigation generation: answers for an older one are dropped
  running: false,     // a refresh is in flight
  again: false,       // another refresh was asked for while one was in flight
  timer: 0,
  controller: null,
  errorSource: null,  // 'load' (cleared by the next good load) or 'action' (kept until dismissed)
  ledger: { filters: {}, cursor: null, pageNo: 1, selected: null },
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ DOM helpers

// el('div', { class: 'x', 'data-testid': 'y', text: 'z' }, child, ...): children are nodes or
// strings (inserted as text). Attributes are set with setAttribute, so never parsed as markup.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'value') node.value = String(value);
    else if (name === 'checked') node.checked = Boolean(value);
    else if (name === 'style' || name === 'href' || name === 'src' || name.startsWith('on')) {
      throw new Error(`el: attribute ${name} is not set from code`);
    } else node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function show(node, visible) {
  node.hidden = !visible;
}

// ------------------------------------------------------------------ formatting

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usdFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const DASH = '\u2014';

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

function fmtCount(v) {
  return isNum(v) ? countFormat.format(v) : DASH;
}

function fmtUsd(v) {
  if (!isNum(v)) return DASH;
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a > 0 && a < 0.00005) return `${sign}<$0.0001`;
  return `${sign}$${usdFormat.format(a)}`;
}

function fmtPct(fraction) {
  return isNum(fraction) ? `${oneDecimal.format(fraction * 100)}%` : DASH;
}

function fmtMs(v) {
  if (!isNum(v)) return DASH;
  return v < 10 ? `${oneDecimal.format(v)} ms` : `${countFormat.format(Math.round(v))} ms`;
}

function fmtRate(v) {
  if (!isNum(v)) return DASH;
  if (v === 0) return '0';
  if (Math.abs(v) < 0.01) return String(Number(v.toPrecision(2)));
  return v < 10 ? twoDecimals.format(v) : oneDecimal.format(v);
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

function fmtBytes(v) {
  if (!isNum(v)) return DASH;
  if (Math.abs(v) < 1024) return `${countFormat.format(v)} B`;
  let x = v;
  let unit = -1;
  while (Math.abs(x) >= 1024 && unit < BYTE_UNITS.length - 1) {
    x /= 1024;
    unit++;
  }
  return `${oneDecimal.format(x)} ${BYTE_UNITS[unit]}`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

function fmtTime(ms) {
  if (!isNum(ms)) return DASH;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fmtShortTime(ms) {
  if (!isNum(ms)) return DASH;
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fmtRelative(ms, now = Date.now()) {
  if (!isNum(ms)) return '';
  const s = Math.round((ms - now) / 1000);
  const a = Math.abs(s);
  let text;
  if (a < 60) text = `${a} s`;
  else if (a < 3600) text = `${Math.round(a / 60)} min`;
  else if (a < 86400 * 2) text = `${oneDecimal.format(a / 3600)} h`;
  else text = `${oneDecimal.format(a / 86400)} days`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

const BUDGET_KINDS = {
  usd_per_day: 'USD per day',
  usd_per_month: 'USD per month',
  tokens_per_minute: 'tokens per minute',
  requests_per_minute: 'requests per minute',
};

const fmtBudget = (kind, v) => (String(kind).startsWith('usd') ? fmtUsd(v) : fmtCount(v));

// ------------------------------------------------------------------ the API

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, { body, signal, key = state.key } = {}) {
  const headers = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `${method} ${path}: the server cannot be reached (${e.message})`, null);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const message = json?.error?.message ?? `${res.status} ${res.statusText}`.trim();
    throw new ApiError(res.status, String(message), json);
  }
  if (json === null && text) throw new ApiError(res.status, `${method} ${path}: the answer is not JSON`, null);
  return { status: res.status, json };
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const canChange = () => Boolean(state.who?.can_change);

// ------------------------------------------------------------------ banners

function showError(message, { source = 'load', details = [] } = {}) {
  state.errorSource = source;
  $('error-text').textContent = message;
  const list = $('error-list');
  list.replaceChildren(...details.map((d) => el('li', { text: d })));
  show(list, details.length > 0);
  show($('error-banner'), true);
}

function clearError(source) {
  if (source && state.errorSource !== source) return;
  state.errorSource = null;
  show($('error-banner'), false);
  $('error-text').textContent = '';
  $('error-list').replaceChildren();
}

// An action's failure: a 401 ends the session, anything else goes to the banner.
function actionFailed(what, e) {
  if (e instanceof ApiError && e.status === 401 && state.key) {
    signOut('The key is no longer accepted (revoked or expired). Sign in again.');
    return;
  }
  showError(`${what}: ${e.message}`, { source: 'action' });
}

// ------------------------------------------------------------------ the in-page confirm

let confirmResolve = null;

function confirmInPage(text) {
  if (confirmResolve) confirmResolve(false);
  $('confirm-text').textContent = text;
  show($('confirm'), true);
  $('confirm-no').focus();
  return new Promise((resolve) => {
    confirmResolve = resolve;
  });
}

function closeConfirm(answer) {
  show($('confirm'), false);
  const resolve = confirmResolve;
  confirmResolve = null;
  if (resolve) resolve(answer);
}

// ------------------------------------------------------------------ theme

function storedTheme() {
  try {
    const t = localStorage.getItem(THEME_STORAGE);
    return t === 'light' || t === 'dark' ? t : 'auto';
  } catch {
    return 'auto';
  }
}

function applyTheme(theme) {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  $('theme').value = theme;
}

function setTheme(theme) {
  try {
    if (theme === 'light' || theme === 'dark') localStorage.setItem(THEME_STORAGE, theme);
    else localStorage.removeItem(THEME_STORAGE);
  } catch {
    // storage refused: the choice lasts for this page only
  }
  applyTheme(theme);
}

// ------------------------------------------------------------------ sign-in and session

function readStoredKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function storeKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // the key then lives in memory only
  }
}

const READ_ROLES = new Set(['admin', 'viewer', 'keyless']);

function showSignin(message) {
  stopRefresh();
  state.who = null;
  state.page = null;
  const main = $('main');
  main.dataset.page = '';
  main.dataset.loaded = 'false';
  main.replaceChildren();
  show(main, false);
  show($('nav'), false);
  show($('controls'), false);
  show(document.querySelector('[data-testid="role"]'), false);
  show(document.querySelector('[data-testid="who"]'), false);
  show($('reload-result'), false);
  const err = $('signin-error');
  err.textContent = message ?? '';
  show(err, Boolean(message));
  show($('signin'), true);
  $('signin-key').value = '';
  $('signin-key').focus();
}

function signOut(message) {
  storeKey(null);
  state.key = null;
  clearError();
  showSignin(message);
}

function signedIn(key, who) {
  state.key = key;
  state.who = who;
  storeKey(key);
  show($('signin'), false);
  const role = document.querySelector('[data-testid="role"]');
  role.textContent = who.role;
  role.className = `badge role role-${String(who.role).replace(/[^a-z_]/g, '')}`;
  show(role, true);
  const whoText = document.querySelector('[data-testid="who"]');
  const parts = [];
  if (who.team) parts.push(`team ${who.team}`);
  if (who.key_id) parts.push(who.key_id);
  whoText.textContent = parts.join(' \u00b7 ');
  show(whoText, parts.length > 0);
  show($('controls'), true);
  show($('nav'), true);
  show($('signout'), Boolean(key));
  show($('reload-config'), canChange());
  show($('main'), true);
  route();
}

async function whoami(key) {
  try {
    const { json } = await api('GET', '/admin/v1/whoami', { key });
    return { status: 200, who: json };
  } catch (e) {
    return { status: e.status ?? 0, message: e.message };
  }
}

function refusal(r) {
  if (r.status === 401) return 'This key is not valid: unknown, expired or revoked.';
  if (r.status === 403) return 'This key is not an admin or viewer key.';
  return `Sign-in failed: ${r.message}`;
}

async function onSignin(event) {
  event.preventDefault();
  const key = $('signin-key').value.trim();
  if (!key) return;
  const button = $('signin-submit');
  button.disabled = true;
  try {
    const r = await whoami(key);
    if (r.status === 200 && READ_ROLES.has(r.who?.role)) {
      clearError();
      signedIn(key, r.who);
      return;
    }
    const err = $('signin-error');
    err.textContent = r.status === 200 ? 'This key is not an admin or viewer key.' : refusal(r);
    show(err, true);
    $('signin-key').select();
  } finally {
    button.disabled = false;
  }
}

async function boot() {
  applyTheme(storedTheme());
  wire();
  const stored = readStoredKey();
  if (stored) {
    const r = await whoami(stored);
    if (r.status === 200 && READ_ROLES.has(r.who?.role)) {
      signedIn(stored, r.who);
      return;
    }
    storeKey(null);
    if (r.status !== 401) {
      showSignin(refusal(r));
      return;
    }
  }
  const r = await whoami(null);
  if (r.status === 200 && READ_ROLES.has(r.who?.role)) {
    signedIn(null, r.who);
    return;
  }
  if (r.status === 401 || r.status === 403) {
    showSignin(stored && r.status === 401 ? 'The stored key is no longer accepted. Sign in again.' : null);
    return;
  }
  showSignin();
  showError(`The admin API cannot be read: ${r.message}`);
}

// ------------------------------------------------------------------ routing and refresh

function pageFromHash() {
  const m = /^#\/([a-z]+)/.exec(location.hash);
  return m && PAGES.includes(m[1]) ? m[1] : null;
}

function route() {
  if (!state.who) return;
  const page = pageFromHash();
  if (!page) {
    history.replaceState(null, '', '#/overview');
    navigate('overview');
    return;
  }
  if (page !== state.page) navigate(page);
}

function navigate(page) {
  stopRefresh();
  state.nav += 1;
  state.page = page;
  const main = $('main');
  main.dataset.loaded = 'false';
  main.dataset.page = page;
  delete main.dataset.state;
  main.replaceChildren();
  clearError();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('range').disabled = !VIEWS[page].ranged;
  document.title = `tiergate \u00b7 ${VIEWS[page].title}`;
  // a page whose part of the config is missing (no ledger, no key store) says so instead of drawing
  const notice = el('div', { class: 'card notice-card', 'data-testid': 'page-notice', role: 'status', hidden: true });
  const content = el('div', { class: 'page-content' });
  main.append(notice, content);
  state.view = { data: null, notice, content, ...VIEWS[page].setup(content) };
  refresh();
}

function stopRefresh() {
  clearTimeout(state.timer);
  state.timer = 0;
  if (state.controller) state.controller.abort();
  state.controller = null;
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = 0;
  if (state.live && state.page) state.timer = setTimeout(tick, REFRESH_MS);
}

function tick() {
  state.timer = 0;
  if (document.hidden) {
    schedule();
    return;
  }
  refresh();
}

// Loads and draws the current page. At most one load is in flight; a refresh asked for
// meanwhile runs when it ends.
async function refresh() {
  clearTimeout(state.timer);
  state.timer = 0;
  if (!state.page) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  state.again = false;
  const nav = state.nav;
  const page = state.page;
  const view = state.view;
  const controller = new AbortController();
  state.controller = controller;
  try {
    const data = await VIEWS[page].load(view, controller.signal);
    if (nav !== state.nav) return;
    view.data = data;
    show(view.notice, false);
    show(view.content, true);
    delete $('main').dataset.state;
    VIEWS[page].render(view, data);
    clearError('load');
    $('main').dataset.loaded = 'true';
  } catch (e) {
    if (nav !== state.nav || e.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 401) {
      if (state.key) signOut('The key is no longer accepted (revoked or expired). Sign in again.');
      else showSignin();
      return;
    }
    if (e instanceof ApiError && e.status === 404 && e.body?.error?.code === 'not_configured') {
      view.notice.replaceChildren(el('h2', { text: `${VIEWS[page].title}: not available on this server` }), el('p', { text: e.message }));
      show(view.notice, true);
      show(view.content, false);
      $('main').dataset.state = 'not_configured';
      clearError('load');
      return;
    }
    if (state.errorSource !== 'action') showError(e.message);
  } finally {
    if (state.controller === controller) state.controller = null;
    state.running = false;
    if (state.page && (nav !== state.nav || state.again)) {
      state.again = false;
      refresh();
    } else if (state.page && nav === state.nav) {
      schedule();
    }
  }
}

const get = (path, params, signal) => api('GET', path + query(params), { signal }).then((r) => r.json);

// ------------------------------------------------------------------ building blocks

function section(title, ...children) {
  return el('section', { class: 'card' }, el('h2', { text: title }), ...children);
}

function tile(testid, label, value, raw, sub) {
  return el('div', { class: 'tile', 'data-testid': testid, 'data-value': isNum(raw) ? String(raw) : '' },
    el('div', { class: 'tile-label', text: label }),
    el('div', { class: 'tile-value', text: value }),
    sub ? el('div', { class: 'tile-sub', text: sub }) : null);
}

// columns: [{ key, label, num, cell(row) -> string | Node }]
function table(testid, columns, rows, { idOf, empty = 'Nothing in this period.', onRow, selected } = {}) {
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null, text: c.label })));
  const body = el('tbody');
  if (rows.length === 0) {
    body.append(el('tr', { class: 'empty' }, el('td', { colspan: columns.length, text: empty })));
  }
  for (const row of rows) {
    const id = idOf ? idOf(row) : null;
    const tr = el('tr', { 'data-id': id, class: selected != null && id === selected ? 'selected' : null });
    for (const c of columns) {
      const v = c.cell ? c.cell(row) : row[c.key];
      const td = el('td', { 'data-col': c.key, class: [c.num ? 'num' : '', c.cls ?? ''].join(' ').trim() || null });
      if (v instanceof Node) td.append(v);
      else td.textContent = v === undefined || v === null || v === '' ? DASH : String(v);
      if (c.title) td.setAttribute('title', String(c.title(row) ?? ''));
      tr.append(td);
    }
    if (onRow) {
      tr.classList.add('clickable');
      tr.addEventListener('click', (ev) => {
        if (!ev.target.closest('button')) onRow(row);
      });
    }
    body.append(tr);
  }
  return el('div', { class: 'table-wrap' }, el('table', { 'data-testid': testid }, el('thead', {}, head), body));
}

function badge(text, kind, attrs = {}) {
  return el('span', { class: `badge ${kind}`, text, ...attrs });
}

function mono(text) {
  return el('code', { class: 'mono', text });
}

// Colour classes per series: known names keep their colour, the rest take free ones in order.
const FIXED_COLOURS = {
  slm: 2, mid: 0, frontier: 1,
  rule: 0, rules: 0, learned: 4, cascade: 5, default: 9, cache: 6, guard: 3, budget: 7, pinned: 8, constraints: 11,
  ok: 2, error: 3,
  other: 9,
};
const PALETTE = 12;

function colourMap(names) {
  const map = new Map();
  const used = new Set();
  for (const n of names) {
    if (n in FIXED_COLOURS && !used.has(FIXED_COLOURS[n])) {
      map.set(n, FIXED_COLOURS[n]);
      used.add(FIXED_COLOURS[n]);
    }
  }
  let next = 0;
  for (const n of names) {
    if (map.has(n)) continue;
    while (used.has(next % PALETTE) && used.size < PALETTE) next++;
    map.set(n, next % PALETTE);
    used.add(next % PALETTE);
    next++;
  }
  return map;
}

function legend(items) {
  return el('ul', { class: 'legend' }, items.map(({ name, colour, kind }) =>
    el('li', {}, el('span', { class: `swatch ${kind === 'line' ? 'line' : `bg-c${colour}${kind === 'target' ? ' target' : ''}`}`, 'aria-hidden': 'true' }), name)));
}

function chartWidth(holder, fallback = 720) {
  const w = holder.clientWidth || holder.parentElement?.clientWidth || fallback;
  return Math.max(320, Math.floor(w));
}

// A round step for about `count` ticks up to max.
function niceTicks(max, count = 4, integer = false) {
  if (!(max > 0)) return integer ? { top: 4, step: 1 } : { top: 1, step: 0.25 };
  const raw = integer ? Math.max(1, max / count) : max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  return { top: Math.ceil(max / step) * step, step };
}

function bucketLabel(ms, bucket, spanMs) {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (bucket === 'day') return md;
  if (bucket === 'hour') return spanMs > 86_400_000 ? `${md} ${hm}` : hm;
  return spanMs > 86_400_000 ? `${md} ${hm}` : hm;
}

// The decimals that write `step` exactly (0.25 -> 2, 0.0025 -> 4).
function decimalsOf(step) {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-6) return d;
  }
  return 10;
}

function axisFormatter(kind) {
  if (kind === 'usd') return (v, step) => `$${v.toFixed(Math.max(decimalsOf(step), step < 1 ? 2 : 0))}`;
  return (v, step) => (step >= 1 ? countFormat.format(v) : v.toFixed(decimalsOf(step)));
}

// Stacked bars of series over time buckets, with an optional dashed line on top.
// series: [{ name, values, colour }], overlay: { name, values } | null
function stackedChart({ holder, buckets, bucket, bucketMs, series, overlay, kind, yTitle, testid }) {
  const width = chartWidth(holder);
  const height = 230;
  const m = { left: 64, right: 14, top: 12, bottom: 40 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const n = buckets.length;
  const totals = buckets.map((_, i) => series.reduce((a, s) => a + (isNum(s.values[i]) ? s.values[i] : 0), 0));
  let max = Math.max(0, ...totals);
  if (overlay) max = Math.max(max, ...overlay.values.filter(isNum));
  const { top, step } = niceTicks(max, 4, kind === 'count');
  const fmt = axisFormatter(kind);
  const y = (v) => m.top + ph - (v / top) * ph;
  const band = n > 0 ? pw / n : pw;
  const barW = Math.max(1, band * (n > 60 ? 0.9 : 0.72));
  const spanMs = n > 0 ? buckets[n - 1] + (bucketMs || 0) - buckets[0] : 0;

  const root = svg('svg', {
    class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-testid': testid,
    'aria-label': yTitle,
  });
  const grid = svg('g', { class: 'grid' });
  for (let v = 0; v <= top + step / 2; v += step) {
    const yy = y(v);
    grid.append(svg('line', { x1: m.left, x2: width - m.right, y1: yy, y2: yy }));
    root.append(svg('text', { class: 'tick', x: m.left - 6, y: yy + 4, 'text-anchor': 'end' }, fmt(v, step)));
  }
  root.prepend(grid);

  const bars = svg('g', { class: 'bars' });
  for (let i = 0; i < n; i++) {
    let acc = 0;
    const x = m.left + i * band + (band - barW) / 2;
    for (const s of series) {
      const v = isNum(s.values[i]) ? s.values[i] : 0;
      if (v <= 0) continue;
      const y0 = y(acc);
      const y1 = y(acc + v);
      acc += v;
      bars.append(svg('rect', { class: `fill-c${s.colour}`, x, y: y1, width: barW, height: Math.max(0.5, y0 - y1) },
        svg('title', {}, `${fmtTime(buckets[i])}  ${s.name}: ${kind === 'usd' ? fmtUsd(v) : fmtCount(v)}`)));
    }
  }
  root.append(bars);

  if (overlay && n > 0) {
    const pts = overlay.values.map((v, i) => `${(m.left + i * band + band / 2).toFixed(1)},${y(isNum(v) ? v : 0).toFixed(1)}`);
    root.append(svg('polyline', { class: 'overlay', points: pts.join(' ') }));
    if (n <= 60) {
      const dots = svg('g', { class: 'overlay-dots' });
      overlay.values.forEach((v, i) => {
        dots.append(svg('circle', { cx: m.left + i * band + band / 2, cy: y(isNum(v) ? v : 0), r: 2.5 },
          svg('title', {}, `${fmtTime(buckets[i])}  ${overlay.name}: ${kind === 'usd' ? fmtUsd(v) : fmtCount(v)}`)));
      });
      root.append(dots);
    }
  }

  // x axis: about one label per 90 px
  root.append(svg('line', { class: 'axis', x1: m.left, x2: width - m.right, y1: m.top + ph, y2: m.top + ph }));
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(pw / 90))));
  for (let i = 0; i < n; i += every) {
    const x = m.left + i * band + band / 2;
    root.append(svg('line', { class: 'axis', x1: x, x2: x, y1: m.top + ph, y2: m.top + ph + 4 }));
    root.append(svg('text', { class: 'tick', x, y: m.top + ph + 16, 'text-anchor': 'middle' }, bucketLabel(buckets[i], bucket, spanMs)));
  }
  root.append(svg('text', { class: 'axis-title', x: m.left + pw / 2, y: height - 4, 'text-anchor': 'middle' },
    `time (local), one bar per ${bucket || 'bucket'}`));
  root.append(svg('text', {
    class: 'axis-title', x: 0, y: 0, 'text-anchor': 'middle', transform: `translate(14 ${m.top + ph / 2}) rotate(-90)`,
  }, yTitle));
  if (totals.every((t) => t === 0)) {
    root.append(svg('text', { class: 'chart-empty', x: m.left + pw / 2, y: m.top + ph / 2, 'text-anchor': 'middle' },
      'No requests in this period'));
  }
  return root;
}

// Horizontal bars: rows [{ label, value, text, colour, title, attrs }], values in 0..max.
function barList({ holder, rows, max, testid, label }) {
  const width = chartWidth(holder, 520);
  const rowH = 26;
  const m = { left: Math.min(220, Math.max(90, 16 + 7 * Math.max(4, ...rows.map((r) => String(r.label).length)))), right: 120, top: 6, bottom: 6 };
  const fit = Math.floor((m.left - 16) / 7);
  const short = (t) => (t.length > fit ? `${t.slice(0, fit - 1)}\u2026` : t);
  const height = m.top + m.bottom + Math.max(1, rows.length) * rowH;
  const pw = width - m.left - m.right;
  const root = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-testid': testid, 'aria-label': label });
  if (rows.length === 0) {
    root.append(svg('text', { class: 'chart-empty', x: width / 2, y: m.top + rowH / 2 + 4, 'text-anchor': 'middle' }, 'None in this period'));
    return root;
  }
  const top = max > 0 ? max : 1;
  rows.forEach((r, i) => {
    const yy = m.top + i * rowH;
    const g = svg('g', r.attrs ?? {});
    g.append(svg('text', { class: 'bar-label', x: m.left - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end' }, short(String(r.label)),
      svg('title', {}, String(r.label))));
    g.append(svg('rect', { class: 'track', x: m.left, y: yy + 5, width: pw, height: rowH - 10, rx: 3 }));
    const w = Math.max(r.value > 0 ? 1.5 : 0, (Math.min(r.value, top) / top) * pw);
    g.append(svg('rect', { class: `fill-c${r.colour ?? 0}`, x: m.left, y: yy + 5, width: w, height: rowH - 10, rx: 3 },
      svg('title', {}, r.title ?? `${r.label}: ${r.text}`)));
    g.append(svg('text', { class: 'bar-value', x: m.left + pw + 8, y: yy + rowH / 2 + 4 }, r.text));
    root.append(g);
  });
  return root;
}

// The tier split: per tier, the actual share (solid) above the target share (light).
function tierChart({ holder, tiers }) {
  const width = chartWidth(holder, 520);
  const rowH = 44;
  const m = { left: 78, right: 150, top: 8, bottom: 36 };
  const height = m.top + m.bottom + Math.max(1, tiers.length) * rowH;
  const pw = width - m.left - m.right;
  const root = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-testid': 'tier-chart', 'aria-label': 'Tier split against the target' });
  const colours = colourMap(tiers.map((t) => t.tier));
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const x = m.left + f * pw;
    root.append(svg('line', { class: 'grid-line', x1: x, x2: x, y1: m.top, y2: height - m.bottom }));
    root.append(svg('text', { class: 'tick', x, y: height - m.bottom + 15, 'text-anchor': 'middle' }, `${f * 100}%`));
  }
  root.append(svg('text', { class: 'axis-title', x: m.left + pw / 2, y: height - 2, 'text-anchor': 'middle' }, 'share of requests'));
  tiers.forEach((t, i) => {
    const yy = m.top + i * rowH;
    const share = isNum(t.share) ? t.share : 0;
    const target = isNum(t.target_share) ? t.target_share : 0;
    const g = svg('g', {
      'data-testid': `tier-${t.tier}`, 'data-share': String(share), 'data-target-share': String(target), 'data-requests': String(t.requests ?? ''),
    });
    g.append(svg('text', { class: 'bar-label', x: m.left - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end' }, t.tier));
    g.append(svg('rect', { class: `fill-c${colours.get(t.tier)}`, x: m.left, y: yy + 6, width: Math.max(share > 0 ? 1.5 : 0, share * pw), height: 15, rx: 2 },
      svg('title', {}, `${t.tier}: ${fmtPct(share)} of requests (${fmtCount(t.requests)}), ${fmtUsd(t.cost_usd)}`)));
    g.append(svg('rect', { class: `target fill-c${colours.get(t.tier)}`, x: m.left, y: yy + 23, width: Math.max(target > 0 ? 1.5 : 0, target * pw), height: 10, rx: 2 },
      svg('title', {}, `${t.tier}: target ${fmtPct(target)}`)));
    g.append(svg('text', { class: 'bar-value', x: m.left + pw + 8, y: yy + 18 }, `${fmtPct(share)} (${fmtCount(t.requests)})`));
    g.append(svg('text', { class: 'bar-value muted', x: m.left + pw + 8, y: yy + 33 }, `target ${fmtPct(target)}`));
    root.append(g);
  });
  return root;
}

// Tiers stack cheapest first; `other` goes last; the rest keep the server's order (largest first).
const SERIES_ORDER = { slm: 0, mid: 1, frontier: 2 };
const seriesRank = (name) => (name === 'other' ? 1e9 : SERIES_ORDER[name] ?? 100);

function timeseriesBlock(holder, ts, { metric, overlayMetric, kind, yTitle, testid, overlayName }) {
  const series = (ts.series ?? [])
    .map((s, i) => ({ name: s.name, values: s[metric] ?? [], i }))
    .sort((a, b) => seriesRank(a.name) - seriesRank(b.name) || a.i - b.i);
  const colours = colourMap(series.map((s) => s.name));
  for (const s of series) s.colour = colours.get(s.name);
  let overlay = null;
  if (overlayMetric) {
    const values = (ts.buckets ?? []).map((_, i) => (ts.series ?? []).reduce((a, s) => a + (isNum(s[overlayMetric]?.[i]) ? s[overlayMetric][i] : 0), 0));
    overlay = { name: overlayName, values };
  }
  const chart = stackedChart({ holder, buckets: ts.buckets ?? [], bucket: ts.bucket, bucketMs: ts.bucket_ms, series, overlay, kind, yTitle, testid });
  const items = series.map((s) => ({ name: s.name, colour: s.colour }));
  if (overlay) items.push({ name: overlay.name, kind: 'line' });
  return [chart, legend(items)];
}

function formStatus() {
  return el('p', { class: 'form-status', role: 'status', hidden: true });
}

function say(node, text, kind = 'ok') {
  node.textContent = text;
  node.className = `form-status ${kind}`;
  show(node, Boolean(text));
}

function field(label, input, hint) {
  return el('label', { class: 'field' }, el('span', { class: 'field-label', text: label }), input, hint ? el('span', { class: 'hint', text: hint }) : null);
}

function select(attrs, options, value) {
  const s = el('select', attrs, options.map(([v, t]) => el('option', { value: v, text: t })));
  if (value !== undefined) s.value = value;
  return s;
}

const splitList = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

// ------------------------------------------------------------------ pages

const VIEWS = {};

VIEWS.overview = {
  title: 'Overview',
  ranged: true,
  setup(main) {
    const tiles = el('div', { class: 'tiles' });
    const tierHolder = el('div', { class: 'chart-holder' });
    const tierTable = el('div');
    const reqHolder = el('div', { class: 'chart-holder' });
    const costHolder = el('div', { class: 'chart-holder' });
    main.append(
      el('h1', { class: 'page-title', text: 'Overview' }),
      tiles,
      el('div', { class: 'grid-2' },
        section('Tier split: actual against target', tierHolder, legend([
          { name: 'actual share', colour: 9 }, { name: 'target share', colour: 9, kind: 'target' },
        ]), tierTable),
        section('Requests per tier', reqHolder)),
      section('Spend per tier', costHolder),
    );
    return { tiles, tierHolder, tierTable, reqHolder, costHolder };
  },
  async load(view, signal) {
    const range = state.range;
    const [ov, ts] = await Promise.all([
      get('/admin/v1/overview', { range }, signal),
      get('/admin/v1/timeseries', { range, group_by: 'tier' }, signal),
    ]);
    return { ov, ts };
  },
  render(view, { ov, ts }) {
    view.tiles.replaceChildren(
      tile('stat-requests', 'Requests', fmtCount(ov.requests), ov.requests,
        `${fmtCount(ov.input_tokens)} in / ${fmtCount(ov.output_tokens)} out tokens`),
      tile('stat-rps', 'Requests / s', fmtRate(ov.requests_per_s), ov.requests_per_s,
        `${fmtCount(ov.escalated)} escalated, ${fmtCount(ov.cache_hits)} cache hits`),
      tile('stat-errors', 'Errors', fmtCount(ov.errors), ov.errors, `${fmtPct(ov.error_rate)} of requests`),
      tile('stat-cost', 'Spend', fmtUsd(ov.cost_usd), ov.cost_usd, 'what the requests cost'),
      tile('stat-counterfactual', 'Counterfactual spend', fmtUsd(ov.counterfactual_cost_usd), ov.counterfactual_cost_usd,
        'all on the frontier baseline'),
      tile('stat-savings', 'Savings', fmtUsd(ov.savings_usd), ov.savings_usd, `${fmtPct(ov.savings_pct)} of the counterfactual`),
    );
    const tiers = ov.tiers ?? [];
    view.tierHolder.replaceChildren(tierChart({ holder: view.tierHolder, tiers }));
    view.tierTable.replaceChildren(table('table-overview', [
      { key: 'tier', label: 'Tier' },
      { key: 'requests', label: 'Requests', num: true, cell: (t) => fmtCount(t.requests) },
      { key: 'share', label: 'Share', num: true, cell: (t) => fmtPct(t.share) },
      { key: 'target_share', label: 'Target', num: true, cell: (t) => fmtPct(t.target_share) },
      { key: 'cost_usd', label: 'Spend', num: true, cell: (t) => fmtUsd(t.cost_usd) },
    ], tiers, { idOf: (t) => t.tier, empty: 'No tiers.' }));
    view.reqHolder.replaceChildren(...timeseriesBlock(view.reqHolder, ts, {
      metric: 'requests', kind: 'count', yTitle: 'requests', testid: 'chart-requests',
    }));
    view.costHolder.replaceChildren(...timeseriesBlock(view.costHolder, ts, {
      metric: 'cost_usd', overlayMetric: 'counterfactual_cost_usd', overlayName: 'counterfactual (frontier baseline)',
      kind: 'usd', yTitle: 'spend (USD)', testid: 'chart-cost',
    }));
  },
};

VIEWS.routing = {
  title: 'Routing',
  ranged: true,
  setup(main) {
    const tiles = el('div', { class: 'tiles' });
    const stages = el('div', { class: 'chart-holder' });
    const series = el('div', { class: 'chart-holder' });
    const reasons = el('div');
    const models = el('div');
    main.append(
      el('h1', { class: 'page-title', text: 'Routing' }),
      tiles,
      el('div', { class: 'grid-2' }, section('Decisions by stage', stages), section('Requests per stage', series)),
      el('div', { class: 'grid-2' }, section('Route reasons', reasons), section('Models chosen', models)),
    );
    return { tiles, stages, series, reasons, models };
  },
  async load(view, signal) {
    const range = state.range;
    const [r, ts] = await Promise.all([
      get('/admin/v1/routing', { range }, signal),
      get('/admin/v1/timeseries', { range, group_by: 'stage' }, signal),
    ]);
    return { r, ts };
  },
  render(view, { r, ts }) {
    const c = r.cascade ?? {};
    view.tiles.replaceChildren(
      tile('stat-requests', 'Requests', fmtCount(r.requests), r.requests),
      tile('stat-cascade', 'Through the cascade', fmtCount(c.requests), c.requests),
      tile('stat-escalated', 'Escalated', fmtCount(c.escalated), c.escalated,
        c.requests > 0 ? `${fmtPct(c.escalation_rate)} of cascade requests` : 'no cascade in this period'),
      tile('stat-fallbacks', 'Fallbacks', fmtCount(r.fallbacks), r.fallbacks),
      tile('stat-retries', 'Retries', fmtCount(r.retries), r.retries),
    );
    const stageRows = r.stages ?? [];
    const colours = colourMap(stageRows.map((s) => s.stage));
    view.stages.replaceChildren(barList({
      holder: view.stages, testid: 'chart-stages', label: 'Share of requests by routing stage', max: 1,
      rows: stageRows.map((s) => ({
        label: s.stage, value: s.share, text: `${fmtPct(s.share)} (${fmtCount(s.requests)})`, colour: colours.get(s.stage),
        attrs: { 'data-testid': `stage-${s.stage}`, 'data-share': String(s.share) },
      })),
    }));
    view.series.replaceChildren(...timeseriesBlock(view.series, ts, {
      metric: 'requests', kind: 'count', yTitle: 'requests', testid: 'chart-stage-requests',
    }));
    const total = r.requests;
    view.reasons.replaceChildren(table('table-routing', [
      { key: 'stage', label: 'Stage' },
      { key: 'reason', label: 'Reason', cls: 'wrap' },
      { key: 'requests', label: 'Requests', num: true, cell: (x) => fmtCount(x.requests) },
      { key: 'share', label: 'Share', num: true, cell: (x) => (total > 0 ? fmtPct(x.requests / total) : DASH) },
    ], r.reasons ?? [], { idOf: (x) => `${x.stage}:${x.reason}` }));
    view.models.replaceChildren(table('table-routing-models', [
      { key: 'model', label: 'Model', cell: (x) => mono(x.model) },
      { key: 'tier', label: 'Tier' },
      { key: 'requests', label: 'Requests', num: true, cell: (x) => fmtCount(x.requests) },
      { key: 'share', label: 'Share', num: true, cell: (x) => fmtPct(x.share) },
    ], r.models ?? [], { idOf: (x) => x.model }));
  },
};

const ACTION_TEXT = {
  blocked: 'refused (403)',
  kept_on_prem: 'served by an on-prem model',
  protected: 'sent out pseudonymized or redacted',
  not_served: 'refused or failed before any model',
};

VIEWS.privacy = {
  title: 'Privacy',
  ranged: true,
  setup(main) {
    const tiles = el('div', { class: 'tiles' });
    const chart = el('div', { class: 'chart-holder' });
    const findings = el('div');
    const actions = el('div');
    main.append(
      el('h1', { class: 'page-title', text: 'Privacy' }),
      tiles,
      el('div', { class: 'grid-2' },
        section('Findings by entity type', chart, findings),
        section('What happened to requests with findings', actions)),
      el('p', { class: 'muted small', text: 'Counts only: the values found are never stored or shown.' }),
    );
    return { tiles, chart, findings, actions };
  },
  async load(view, signal) {
    return get('/admin/v1/privacy', { range: state.range }, signal);
  },
  render(view, p) {
    const action = (name) => (p.actions ?? []).find((a) => a.action === name)?.requests ?? 0;
    const withFindings = p.requests_with_findings;
    view.tiles.replaceChildren(
      tile('stat-requests', 'Requests', fmtCount(p.requests), p.requests),
      tile('stat-findings', 'Requests with findings', fmtCount(withFindings), withFindings,
        p.requests > 0 ? `${fmtPct(withFindings / p.requests)} of requests` : null),
      tile('stat-blocked', 'Blocked', fmtCount(action('blocked')), action('blocked')),
      tile('stat-kept-on-prem', 'Kept on-prem', fmtCount(action('kept_on_prem')), action('kept_on_prem')),
      tile('stat-protected', 'Protected', fmtCount(action('protected')), action('protected')),
    );
    const rows = [...(p.findings ?? [])].sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
    const colours = colourMap(rows.map((f) => f.entity_type));
    const max = Math.max(0, ...rows.map((f) => f.count ?? 0));
    view.chart.replaceChildren(barList({
      holder: view.chart, testid: 'chart-findings', label: 'PII findings by entity type', max,
      rows: rows.map((f) => ({
        label: f.entity_type, value: f.count ?? 0, text: fmtCount(f.count), colour: colours.get(f.entity_type),
        title: `${f.entity_type}: ${fmtCount(f.count)} findings in ${fmtCount(f.requests)} requests`,
        attrs: { 'data-testid': `finding-${f.entity_type}`, 'data-count': String(f.count) },
      })),
    }));
    view.findings.replaceChildren(table('table-privacy-findings', [
      { key: 'entity_type', label: 'Entity type', cell: (f) => mono(f.entity_type) },
      { key: 'count', label: 'Findings', num: true, cell: (f) => fmtCount(f.count) },
      { key: 'requests', label: 'Requests', num: true, cell: (f) => fmtCount(f.requests) },
    ], rows, { idOf: (f) => f.entity_type, empty: 'No findings in this period.' }));
    view.actions.replaceChildren(table('table-privacy', [
      { key: 'action', label: 'Action', cell: (a) => badge(a.action, a.action === 'blocked' ? 'bad' : a.action === 'kept_on_prem' ? 'warn' : 'ok') },
      { key: 'meaning', label: 'Meaning', cell: (a) => ACTION_TEXT[a.action] ?? '' },
      { key: 'requests', label: 'Requests', num: true, cell: (a) => fmtCount(a.requests) },
      { key: 'share', label: 'Of requests with findings', num: true, cell: (a) => (withFindings > 0 ? fmtPct(a.requests / withFindings) : DASH) },
    ], p.actions ?? [], { idOf: (a) => a.action, empty: 'No requests with findings in this period.' }));
  },
};

// ------------------------------------------------------------------ budgets

function usageBar(used, limit) {
  const frac = isNum(used) && isNum(limit) && limit > 0 ? used / limit : isNum(used) && used > 0 ? 1 : 0;
  const level = frac >= 1 ? 'bad' : frac >= 0.8 ? 'warn' : 'ok';
  const w = 120;
  return el('span', { class: 'usage' },
    svg('svg', { class: 'usage-bar', width: w, height: 10, viewBox: `0 0 ${w} 10`, 'data-fraction': String(frac), role: 'img', 'aria-label': `${fmtPct(frac)} used` },
      svg('rect', { class: 'track', x: 0, y: 0, width: w, height: 10, rx: 3 }),
      svg('rect', { class: `level-${level}`, x: 0, y: 0, width: Math.min(1, frac) * w, height: 10, rx: 3 })),
    el('span', { class: 'usage-text', text: fmtPct(frac) }));
}

VIEWS.budgets = {
  title: 'Budgets',
  ranged: false,
  setup(main) {
    const holder = el('div');
    const parts = { holder, form: null };
    main.append(el('h1', { class: 'page-title', text: 'Budgets' }));
    if (canChange()) {
      const scope = select({ name: 'scope', 'data-testid': 'budget-scope' }, [['team', 'team'], ['key', 'key']], 'team');
      const id = el('input', { name: 'id', 'data-testid': 'budget-id', required: true, placeholder: 'team name or key_...', spellcheck: 'false' });
      const num = (name, step) => el('input', { name, type: 'number', min: '0', step, 'data-testid': `budget-${name}`, placeholder: 'unchanged' });
      const inputs = {
        usd_per_day: num('usd_per_day', 'any'),
        usd_per_month: num('usd_per_month', 'any'),
        tokens_per_minute: num('tokens_per_minute', '1'),
        requests_per_minute: num('requests_per_minute', '1'),
      };
      const onExhausted = select({ name: 'on_usd_exhausted', 'data-testid': 'budget-on_usd_exhausted' },
        [['', 'unchanged'], ['reject', 'reject (429)'], ['degrade_to_slm', 'degrade to the SLM']], '');
      const status = formStatus();
      const button = el('button', { type: 'submit', class: 'btn primary', 'data-testid': 'budget-save', text: 'Set limits' });
      const form = el('form', { class: 'form-grid', 'data-testid': 'budget-form', autocomplete: 'off' },
        field('Scope', scope), field('ID', id),
        field('USD per day', inputs.usd_per_day), field('USD per month', inputs.usd_per_month),
        field('Tokens per minute', inputs.tokens_per_minute), field('Requests per minute', inputs.requests_per_minute),
        field('When USD runs out', onExhausted),
        el('div', { class: 'form-actions' }, button),
      );
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const body = {};
        for (const [k, input] of Object.entries(inputs)) {
          if (input.value.trim() === '') continue;
          const v = Number(input.value);
          if (!Number.isFinite(v) || v < 0) {
            say(status, `${k} must be a number of at least 0.`, 'bad');
            return;
          }
          body[k] = v;
        }
        if (onExhausted.value) body.on_usd_exhausted = onExhausted.value;
        const who = id.value.trim();
        if (!who) {
          say(status, 'Name the key id or team.', 'bad');
          return;
        }
        if (!Object.keys(inputs).some((k) => k in body)) {
          say(status, 'Give at least one limit (to lift them all, remove the row set through the API).', 'bad');
          return;
        }
        button.disabled = true;
        try {
          await api('PUT', `/admin/v1/budgets/${encodeURIComponent(scope.value)}/${encodeURIComponent(who)}`, { body });
          say(status, `Limits set for ${scope.value} ${who}.`);
          for (const input of Object.values(inputs)) input.value = '';
          onExhausted.value = '';
          refresh();
        } catch (e) {
          say(status, '', 'ok');
          actionFailed(`Setting the limits of ${scope.value} ${who}`, e);
        } finally {
          button.disabled = false;
        }
      });
      parts.form = { scope, id, status };
      main.append(section('Set limits', el('p', { class: 'muted small', text:
        'Limits set here replace the configured ones for that key or team, apply to the next request and survive a restart. Empty fields stay as they are.' }),
      form, status));
    }
    main.append(section('Limits in force', holder));
    return parts;
  },
  async load(view, signal) {
    return get('/admin/v1/budgets', {}, signal);
  },
  render(view, b) {
    const now = b.now_ms ?? Date.now();
    const admin = canChange();
    const columns = [
      { key: 'scope', label: 'Scope' },
      { key: 'id', label: 'ID', cell: (l) => mono(l.id) },
      { key: 'kind', label: 'Limit of', cell: (l) => BUDGET_KINDS[l.kind] ?? l.kind },
      { key: 'limit', label: 'Limit', num: true, cell: (l) => fmtBudget(l.kind, l.limit) },
      { key: 'used', label: 'Used', num: true, cell: (l) => fmtBudget(l.kind, l.used) },
      { key: 'remaining', label: 'Remaining', num: true, cell: (l) => fmtBudget(l.kind, l.remaining) },
      { key: 'usage', label: 'Usage', cell: (l) => usageBar(l.used, l.limit) },
      { key: 'reset_at_ms', label: 'Resets', cell: (l) => fmtRelative(l.reset_at_ms, now) || DASH, title: (l) => fmtTime(l.reset_at_ms) },
      { key: 'source', label: 'Source', cell: (l) => badge(l.source, l.source === 'api' ? 'info' : 'neutral') },
      { key: 'on_usd_exhausted', label: 'When USD runs out', cell: (l) => (String(l.kind).startsWith('usd') ? String(l.on_usd_exhausted ?? DASH).replace(/_/g, ' ') : DASH) },
    ];
    if (admin) {
      columns.push({
        key: 'actions', label: '', cell: (l) => {
          const box = el('span', { class: 'row-actions' });
          const edit = el('button', { type: 'button', class: 'btn small', text: 'Edit', 'data-testid': `budget-edit-${l.scope}:${l.id}:${l.kind}` });
          edit.addEventListener('click', () => {
            if (!view.form) return;
            view.form.scope.value = l.scope;
            view.form.id.value = l.id;
            view.form.id.focus();
          });
          box.append(edit);
          if (l.source === 'api') {
            const remove = el('button', { type: 'button', class: 'btn small danger', text: 'Remove', 'data-testid': `budget-remove-${l.scope}:${l.id}:${l.kind}` });
            remove.addEventListener('click', () => removeOverride(l.scope, l.id));
            box.append(remove);
          }
          return box;
        },
      });
    }
    view.holder.replaceChildren(table('table-budgets', columns, b.limits ?? [], {
      idOf: (l) => `${l.scope}:${l.id}:${l.kind}`, empty: 'No limits apply.',
    }));
  },
};

async function removeOverride(scope, id) {
  const ok = await confirmInPage(`Remove the limits set through the API for ${scope} ${id}? The configured limits apply again.`);
  if (!ok) return;
  try {
    await api('DELETE', `/admin/v1/budgets/${encodeURIComponent(scope)}/${encodeURIComponent(id)}`);
    refresh();
  } catch (e) {
    actionFailed(`Removing the limits of ${scope} ${id}`, e);
  }
}

// ------------------------------------------------------------------ models

function health(m) {
  if (m.circuit === 'open') return badge('open', 'bad', { 'data-circuit': 'open', title: 'circuit open: requests are not sent' });
  if (m.circuit === 'half_open') return badge('half-open', 'warn', { 'data-circuit': 'half_open', title: 'circuit half-open: probing' });
  if (m.circuit === 'closed') return badge('healthy', 'ok', { 'data-circuit': 'closed', title: 'circuit closed' });
  return badge('local', 'neutral', { 'data-circuit': 'none' });
}

function slots(m) {
  if (!isNum(m.slots)) return DASH;
  const text = `${fmtCount(m.slots_in_use)} / ${fmtCount(m.slots)}`;
  return isNum(m.queued) && m.queued > 0 ? `${text}, ${fmtCount(m.queued)} queued` : text;
}

// Latencies and speeds mean nothing without requests in the period.
const measured = (m, text) => (m.requests > 0 ? text : DASH);

// A deployment of a pool: ready takes calls; the others are skipped until they recover.
const DEPLOYMENT_STATES = {
  ready: ['ready', 'ok'], busy: ['busy', 'warn'], limited: ['limited', 'warn'], cooling: ['cooling', 'warn'],
  open: ['open', 'bad'], down: ['down', 'bad'],
};
function deploymentState(d) {
  const [text, kind] = DEPLOYMENT_STATES[d.state] ?? [String(d.state), 'neutral'];
  return badge(text, kind, { 'data-state': String(d.state) });
}

VIEWS.models = {
  title: 'Models',
  ranged: true,
  setup(main) {
    const holder = el('div');
    const pools = el('div');
    main.append(el('h1', { class: 'page-title', text: 'Models' }), section('Per model over the period', holder),
      section('Deployments of pooled models, now', pools));
    return { holder, pools };
  },
  async load(view, signal) {
    return get('/admin/v1/models', { range: state.range }, signal);
  },
  render(view, d) {
    view.holder.replaceChildren(table('table-models', [
      { key: 'name', label: 'Model', cell: (m) => mono(m.name) },
      { key: 'tier', label: 'Tier' },
      { key: 'provider', label: 'Provider' },
      { key: 'version', label: 'Version', cell: (m) => (m.version ? mono(m.version) : DASH),
        title: (m) => (m.version ? 'the version of the weights served now' : 'remote: no version') },
      { key: 'health', label: 'Health', cell: health },
      { key: 'slots', label: 'Slots in use', num: true, cell: slots },
      { key: 'requests', label: 'Requests', num: true, cell: (m) => fmtCount(m.requests) },
      { key: 'errors', label: 'Errors', num: true, cell: (m) => fmtCount(m.errors) },
      { key: 'error_rate', label: 'Error rate', num: true, cell: (m) => fmtPct(m.error_rate) },
      { key: 'latency_p50_ms', label: 'Latency p50', num: true, cell: (m) => measured(m, fmtMs(m.latency_p50_ms)) },
      { key: 'latency_p99_ms', label: 'Latency p99', num: true, cell: (m) => measured(m, fmtMs(m.latency_p99_ms)) },
      { key: 'ttft_p50_ms', label: 'TTFT p50', num: true, cell: (m) => measured(m, fmtMs(m.ttft_p50_ms)) },
      { key: 'output_tokens_per_s', label: 'Output tok/s', num: true, cell: (m) => measured(m, fmtRate(m.output_tokens_per_s)) },
    ], d.models ?? [], { idOf: (m) => m.name, empty: 'No models.' }));
    const deployments = (d.models ?? []).flatMap((m) => (m.deployments ?? []).map((x) => ({ model: m.name, ...x })));
    view.pools.replaceChildren(table('table-deployments', [
      { key: 'model', label: 'Model', cell: (x) => mono(x.model) },
      { key: 'name', label: 'Deployment', cell: (x) => mono(x.name) },
      { key: 'target', label: 'Target', cell: (x) => mono(x.target) },
      { key: 'region', label: 'Region', cell: (x) => (x.region ? x.region : DASH) },
      { key: 'state', label: 'State', cell: deploymentState },
      { key: 'in_flight', label: 'In flight', num: true, cell: (x) => fmtCount(x.in_flight) },
      { key: 'latency_ms', label: 'Latency (avg)', num: true, cell: (x) => (isNum(x.latency_ms) ? fmtMs(x.latency_ms) : DASH) },
      { key: 'requests', label: 'Requests', num: true, cell: (x) => fmtCount(x.requests) },
      { key: 'errors', label: 'Errors', num: true, cell: (x) => fmtCount(x.errors) },
      { key: 'error_rate', label: 'Error rate', num: true, cell: (x) => fmtPct(x.error_rate) },
      { key: 'rpm_used', label: 'Requests this minute', num: true, cell: (x) => fmtCount(x.rpm_used) },
    ], deployments, { idOf: (x) => `${x.model}/${x.name}`, empty: 'No model has a pool of deployments.' }));
  },
};

// ------------------------------------------------------------------ retrieval

function embeddingCell(c) {
  const model = c.embedding_model ? mono(c.embedding_model) : el('span', { text: 'built-in' });
  return el('span', {}, model, isNum(c.dims) && c.dims > 0 ? el('span', { class: 'muted small', text: ` \u00b7 ${fmtCount(c.dims)} dims` }) : null);
}

const collectionName = (c) => (c.name ? c.name : c.id);

VIEWS.retrieval = {
  title: 'Retrieval',
  ranged: true,
  setup(main) {
    const tiles = el('div', { class: 'tiles' });
    const holder = el('div');
    const chart = el('div', { class: 'chart-holder' });
    main.append(
      el('h1', { class: 'page-title', text: 'Retrieval' }),
      tiles,
      section('Collections', holder),
      section('Requests that retrieved from each collection', chart),
      el('p', { class: 'muted small', text:
        'Collections are the vector stores of every team. Requests and chunks retrieved count the requests of the period that were given passages from a collection.' }),
    );
    return { tiles, holder, chart };
  },
  async load(view, signal) {
    return get('/admin/v1/collections', { range: state.range }, signal);
  },
  render(view, d) {
    const cols = d.collections ?? [];
    const total = (f) => cols.reduce((a, c) => a + (isNum(c[f]) ? c[f] : 0), 0);
    const teams = new Set(cols.map((c) => c.team)).size;
    const withRetrieval = d.requests_with_retrieval;
    view.tiles.replaceChildren(
      tile('stat-requests', 'Requests', fmtCount(d.requests), d.requests),
      tile('stat-retrieval', 'Requests with retrieval', fmtCount(withRetrieval), withRetrieval,
        d.requests > 0 ? `${fmtPct(withRetrieval / d.requests)} of requests` : 'no requests in this period'),
      tile('stat-collections', 'Collections', fmtCount(cols.length), cols.length, `of ${fmtCount(teams)} ${teams === 1 ? 'team' : 'teams'}`),
      tile('stat-chunks', 'Chunks stored', fmtCount(total('chunks')), total('chunks'),
        `${fmtCount(total('documents'))} ${total('documents') === 1 ? 'document' : 'documents'}, ${fmtBytes(total('bytes'))}`),
      tile('stat-chunks-retrieved', 'Chunks retrieved', fmtCount(total('chunks_retrieved')), total('chunks_retrieved'), 'passages given to requests'),
    );
    view.holder.replaceChildren(table('table-retrieval', [
      { key: 'name', label: 'Name', cls: 'clip', cell: collectionName, title: (c) => `${c.id}, created ${fmtTime(c.created_ms)}` },
      { key: 'team', label: 'Team', cls: 'clip', title: (c) => c.team },
      { key: 'documents', label: 'Documents', num: true, cell: (c) => fmtCount(c.documents) },
      { key: 'chunks', label: 'Chunks', num: true, cell: (c) => fmtCount(c.chunks) },
      { key: 'bytes', label: 'Size', num: true, cell: (c) => fmtBytes(c.bytes), title: (c) => `${fmtCount(c.bytes)} bytes` },
      { key: 'embedding', label: 'Embedding', cell: embeddingCell, cls: 'nowrap' },
      { key: 'on_prem_only', label: 'On-prem only', cell: (c) => (c.on_prem_only ? badge('yes', 'warn', { title: 'its passages reach on-prem models only' }) : 'no') },
      { key: 'requests', label: 'Requests', num: true, cell: (c) => fmtCount(c.requests),
        title: (c) => (d.requests > 0 ? `${fmtPct(c.requests / d.requests)} of the period's requests` : '') },
      { key: 'chunks_retrieved', label: 'Chunks retrieved', num: true, cell: (c) => fmtCount(c.chunks_retrieved) },
    ], cols, { idOf: (c) => c.id, empty: 'No collections: create one with POST /v1/vector_stores.' }));
    const used = cols.filter((c) => c.requests > 0).sort((a, b) => b.requests - a.requests).slice(0, 12);
    const colours = colourMap(used.map((c) => c.id));
    view.chart.replaceChildren(barList({
      holder: view.chart, testid: 'chart-retrieval', label: 'Requests that retrieved from each collection',
      max: Math.max(0, ...used.map((c) => c.requests)),
      rows: used.map((c) => ({
        label: collectionName(c), value: c.requests, colour: colours.get(c.id),
        text: d.requests > 0 ? `${fmtCount(c.requests)} (${fmtPct(c.requests / d.requests)})` : fmtCount(c.requests),
        title: `${collectionName(c)} (${c.id}, team ${c.team}): ${fmtCount(c.requests)} requests, ${fmtCount(c.chunks_retrieved)} chunks`,
        attrs: { 'data-testid': `collection-${c.id}`, 'data-requests': String(c.requests) },
      })),
    }));
  },
};

// ------------------------------------------------------------------ distillation

// A share (0..1) as a small bar beside its percentage.
function shareBar(fraction, what) {
  const f = isNum(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  const w = 120;
  return el('span', { class: 'usage' },
    svg('svg', { class: 'usage-bar', width: w, height: 10, viewBox: `0 0 ${w} 10`, 'data-fraction': String(f), role: 'img', 'aria-label': `${fmtPct(f)} ${what}` },
      svg('rect', { class: 'track', x: 0, y: 0, width: w, height: 10, rx: 3 }),
      svg('rect', { class: 'fill-c2', x: 0, y: 0, width: f * w, height: 10, rx: 3 })),
    el('span', { class: 'usage-text', text: fmtPct(fraction) }));
}

// Where versions come from: beside the serving table, and in place of an empty periods table.
function promoteHelp() {
  return el('p', {}, 'A local model starts on the weights in its config (version base). ',
    mono('tiergate distill promote --config C --model NAME --student student.gguf'),
    ' records new weights, and every gateway with a distill section loads them without a restart as v1, then v2, and so on; ',
    mono('tiergate distill rollback'), ' returns to the weights served before.');
}

VIEWS.distillation = {
  title: 'Distillation',
  ranged: true,
  setup(main) {
    const serving = el('div');
    const periods = el('div');
    main.append(
      el('h1', { class: 'page-title', text: 'Distillation' }),
      el('div', { class: 'grid-2' },
        section('Versions served now', serving),
        section('Where versions come from', el('div', { class: 'explain' }, promoteHelp()))),
      section('Periods between promotions', el('p', { class: 'muted small', text:
        'A period starts at the first request a new version served and counts every request until the next one, whatever its model.' }), periods),
    );
    return { serving, periods };
  },
  async load(view, signal) {
    return get('/admin/v1/distillation', { range: state.range }, signal);
  },
  render(view, d) {
    view.serving.replaceChildren(table('table-distillation-serving', [
      { key: 'model', label: 'Model', cell: (s) => mono(s.model) },
      { key: 'version', label: 'Version', cell: (s) => mono(s.version) },
    ], d.serving ?? [], { idOf: (s) => s.model, empty: 'No local models: only their weights have versions.' }));
    const periods = d.periods ?? [];
    if (periods.length === 0) {
      view.periods.replaceChildren(el('div', { class: 'explain', 'data-testid': 'distillation-empty' },
        el('p', { text: 'No local model answered in this period, so there is no version to compare.' }),
        el('p', {}, 'Once one does, each version of its weights (base, then one more per ', mono('tiergate distill promote'),
          ') shows here as a period of its own, with its SLM share and savings.')));
      return;
    }
    view.periods.replaceChildren(table('table-distillation', [
      { key: 'model', label: 'Model', cell: (p) => mono(p.model) },
      { key: 'version', label: 'Version', cell: (p) => mono(p.version) },
      { key: 'from_ms', label: 'From', cell: (p) => fmtShortTime(p.from_ms), cls: 'nowrap', title: (p) => fmtTime(p.from_ms) },
      { key: 'to_ms', label: 'Last request', cell: (p) => fmtShortTime(p.to_ms), cls: 'nowrap', title: (p) => fmtTime(p.to_ms) },
      { key: 'requests', label: 'Requests', num: true, cell: (p) => fmtCount(p.requests) },
      { key: 'slm_requests', label: 'On the SLM', num: true, cell: (p) => fmtCount(p.slm_requests) },
      { key: 'slm_share', label: 'SLM share', cell: (p) => shareBar(p.slm_share, 'of requests on the SLM tier') },
      { key: 'cost_usd', label: 'Spend', num: true, cell: (p) => fmtUsd(p.cost_usd) },
      { key: 'counterfactual_cost_usd', label: 'Counterfactual', num: true, cell: (p) => fmtUsd(p.counterfactual_cost_usd) },
      { key: 'savings_usd', label: 'Savings', num: true, cell: (p) => fmtUsd(p.savings_usd),
        title: (p) => (p.counterfactual_cost_usd > 0 ? `${fmtPct(p.savings_usd / p.counterfactual_cost_usd)} of the counterfactual` : '') },
    ], periods, { idOf: (p) => `${p.model}:${p.version}` }));
  },
};

// ------------------------------------------------------------------ ledger

const LEDGER_FILTERS = ['key', 'team', 'model', 'tier', 'stage', 'status'];

function piiText(pii) {
  if (!pii || typeof pii !== 'object') return '';
  return Object.entries(pii).map(([k, v]) => `${k}\u00d7${v}`).join(' ');
}

function flags(r) {
  const out = [];
  if (r.escalated) out.push(badge('escalated', 'info'));
  if (r.cache && r.cache !== 'miss' && r.cache !== 'none') out.push(badge(`cache ${r.cache === true ? 'hit' : r.cache}`, 'info'));
  if (isNum(r.attempts) && r.attempts > 1) out.push(badge(`${r.attempts} attempts`, 'warn'));
  if (isNum(r.tool_calls) && r.tool_calls > 0) out.push(badge(`${r.tool_calls} tool calls`, 'neutral'));
  if (r.agent) out.push(badge(`agent ${r.agent}`, 'neutral'));
  const pii = piiText(r.pii);
  if (pii) out.push(badge(pii, 'warn', { title: 'PII findings (counts)' }));
  return out.length ? el('span', { class: 'flags' }, out) : '';
}

function statusBadge(r) {
  const ok = r.http_status >= 200 && r.http_status < 300;
  return badge(String(r.http_status), ok ? 'ok' : 'bad', r.error_code ? { title: String(r.error_code) } : {});
}

function ledgerDetails(r) {
  const rows = [
    ['Request', r.request_id], ['Time', `${fmtTime(r.time_ms)}`], ['Key', r.key_id], ['Team', r.team],
    ['Stage', r.stage], ['Route reason', r.route_reason], ['Tier', r.tier], ['Model', r.model], ['Provider', r.provider],
    ['Input tokens', fmtCount(r.input_tokens)], ['Output tokens', fmtCount(r.output_tokens)],
    ['Cost', fmtUsd(r.cost_usd)], ['Counterfactual', fmtUsd(r.counterfactual_cost_usd)],
    ['Latency', fmtMs(r.latency_ms)], ['TTFT', fmtMs(r.ttft_ms)], ['HTTP status', r.http_status],
    ['Error code', r.error_code], ['Escalated', r.escalated ? 'yes' : 'no'], ['Cache', r.cache],
    ['PII findings', piiText(r.pii)], ['Tool calls', r.tool_calls], ['Attempts', r.attempts],
    ['Agent', r.agent], ['Trace', r.trace_id],
  ];
  return el('dl', { class: 'details', 'data-testid': 'ledger-details' },
    rows.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v === undefined || v === null || v === '' ? DASH : String(v) })]));
}

VIEWS.ledger = {
  title: 'Ledger',
  ranged: true,
  setup(main) {
    const L = state.ledger;
    const inputs = {};
    const text = (name, placeholder) => {
      inputs[name] = el('input', { name, 'data-testid': `ledger-${name}`, placeholder, spellcheck: 'false', value: L.filters[name] ?? '' });
      return inputs[name];
    };
    inputs.tier = select({ name: 'tier', 'data-testid': 'ledger-tier' }, [['', 'any'], ['slm', 'slm'], ['mid', 'mid'], ['frontier', 'frontier']], L.filters.tier ?? '');
    inputs.status = select({ name: 'status', 'data-testid': 'ledger-status' }, [['', 'any'], ['ok', 'ok'], ['error', 'error']], L.filters.status ?? '');
    const clear = el('button', { type: 'button', class: 'btn', text: 'Clear', 'data-testid': 'ledger-clear' });
    const form = el('form', { class: 'filters', 'data-testid': 'ledger-filters', autocomplete: 'off' },
      field('Key', text('key', 'key_...')), field('Team', text('team', 'team')), field('Model', text('model', 'model')),
      field('Tier', inputs.tier), field('Stage', text('stage', 'rule, cascade, ...')), field('Status', inputs.status),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn primary', text: 'Apply', 'data-testid': 'ledger-apply' }), clear));
    const applyFilters = () => {
      L.filters = {};
      for (const name of LEDGER_FILTERS) {
        const v = inputs[name].value.trim();
        if (v) L.filters[name] = v;
      }
      L.cursor = null;
      L.pageNo = 1;
      L.selected = null;
      refresh();
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      applyFilters();
    });
    clear.addEventListener('click', () => {
      for (const name of LEDGER_FILTERS) inputs[name].value = '';
      applyFilters();
    });
    const holder = el('div');
    const details = el('div');
    const first = el('button', { type: 'button', class: 'btn', text: 'First page', 'data-testid': 'ledger-first' });
    const next = el('button', { type: 'button', class: 'btn', text: 'Next page', 'data-testid': 'ledger-next' });
    const pageNo = el('span', { class: 'muted', 'data-testid': 'ledger-page' });
    first.addEventListener('click', () => {
      L.cursor = null;
      L.pageNo = 1;
      refresh();
    });
    next.addEventListener('click', () => {
      const c = state.view?.data?.next_cursor;
      if (!c) return;
      L.cursor = c;
      L.pageNo += 1;
      refresh();
    });
    main.append(
      el('h1', { class: 'page-title', text: 'Ledger' }),
      section('Filters', form),
      section('Requests, newest first', holder, el('div', { class: 'pager' }, first, pageNo, next), details),
    );
    return { holder, details, first, next, pageNo };
  },
  async load(view, signal) {
    const L = state.ledger;
    return get('/admin/v1/ledger', { range: state.range, limit: 50, ...L.filters, cursor: L.cursor }, signal);
  },
  render(view, d) {
    const L = state.ledger;
    const rows = d.rows ?? [];
    const pick = (r) => {
      L.selected = L.selected === r.request_id ? null : r.request_id;
      VIEWS.ledger.render(view, view.data);
    };
    view.holder.replaceChildren(table('table-ledger', [
      { key: 'time_ms', label: 'Time', cell: (r) => fmtShortTime(r.time_ms), cls: 'nowrap', title: (r) => fmtTime(r.time_ms) },
      { key: 'request_id', label: 'Request', cell: (r) => mono(r.request_id), cls: 'clip', title: (r) => r.request_id },
      { key: 'key_id', label: 'Key', cell: (r) => mono(r.key_id), cls: 'clip', title: (r) => r.key_id },
      { key: 'team', label: 'Team', cls: 'clip', title: (r) => r.team },
      { key: 'stage', label: 'Stage', title: (r) => r.route_reason },
      { key: 'tier', label: 'Tier' },
      { key: 'model', label: 'Model', cell: (r) => mono(r.model), cls: 'clip', title: (r) => r.model },
      { key: 'tokens', label: 'Tokens in / out', num: true, cell: (r) => `${fmtCount(r.input_tokens)} / ${fmtCount(r.output_tokens)}` },
      { key: 'cost_usd', label: 'Cost', num: true, cell: (r) => fmtUsd(r.cost_usd), title: (r) => `counterfactual ${fmtUsd(r.counterfactual_cost_usd)}` },
      { key: 'latency_ms', label: 'Latency', num: true, cell: (r) => fmtMs(r.latency_ms), title: (r) => `TTFT ${fmtMs(r.ttft_ms)}` },
      { key: 'http_status', label: 'Status', cell: statusBadge, cls: 'nowrap', title: (r) => r.error_code },
      { key: 'flags', label: 'Flags', cell: flags, cls: 'nowrap' },
    ], rows, { idOf: (r) => r.request_id, empty: 'No requests match.', onRow: pick, selected: L.selected }));
    const chosen = rows.find((r) => r.request_id === L.selected);
    view.details.replaceChildren(...(chosen ? [el('h3', { text: 'Request details' }), ledgerDetails(chosen)] : []));
    view.first.disabled = L.cursor === null;
    view.next.disabled = !d.next_cursor;
    view.pageNo.textContent = `Page ${L.pageNo}`;
  },
};

// ------------------------------------------------------------------ keys

const listText = (xs) => (Array.isArray(xs) && xs.length ? xs.join(', ') : 'all');

function keyStatus(k) {
  return badge(k.status, k.status === 'active' ? 'ok' : k.status === 'revoked' ? 'bad' : 'warn');
}

VIEWS.keys = {
  title: 'Keys',
  ranged: false,
  setup(main) {
    const holder = el('div');
    const parts = { holder };
    main.append(el('h1', { class: 'page-title', text: 'Keys' }));
    if (canChange()) {
      const team = el('input', { name: 'team', 'data-testid': 'key-team', required: true, placeholder: 'team', spellcheck: 'false' });
      const role = select({ name: 'role', 'data-testid': 'key-role' }, [['user', 'user'], ['viewer', 'viewer'], ['admin', 'admin']], 'user');
      const models = el('input', { name: 'models', 'data-testid': 'key-models', placeholder: 'all (or: a, b)', spellcheck: 'false' });
      const tiers = el('input', { name: 'tiers', 'data-testid': 'key-tiers', placeholder: 'all (or: slm, mid)', spellcheck: 'false' });
      const ttl = el('input', { name: 'ttl', 'data-testid': 'key-ttl', placeholder: 'never (or: 30d)', spellcheck: 'false' });
      const button = el('button', { type: 'submit', class: 'btn primary', 'data-testid': 'key-create', text: 'Create key' });
      const status = formStatus();
      const fresh = el('div', { class: 'new-key', 'data-testid': 'new-key-box', hidden: true });
      const form = el('form', { class: 'form-grid', 'data-testid': 'key-create-form', autocomplete: 'off' },
        field('Team', team), field('Role', role), field('Models (comma-separated)', models),
        field('Tiers (comma-separated)', tiers), field('Expires after', ttl),
        el('div', { class: 'form-actions' }, button));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const body = { team: team.value.trim() };
        if (!body.team) {
          say(status, 'Name the team.', 'bad');
          return;
        }
        body.role = role.value;
        const m = splitList(models.value);
        if (m.length) body.models = m;
        const t = splitList(tiers.value);
        if (t.length) body.tiers = t;
        if (ttl.value.trim()) body.ttl = ttl.value.trim();
        button.disabled = true;
        say(status, '');
        try {
          const { json } = await api('POST', '/admin/v1/keys', { body });
          showNewKey(fresh, json);
          form.reset();
          refresh();
        } catch (e) {
          actionFailed('Creating the key', e);
        } finally {
          button.disabled = false;
        }
      });
      main.append(section('Create a key', el('p', { class: 'muted small', text:
        'Empty models or tiers: every model or tier. Expires after: a duration such as 12h or 30d; empty: never. The key is shown once.' }),
      form, status, fresh));
    }
    main.append(section('Keys', holder));
    return parts;
  },
  async load(view, signal) {
    return get('/admin/v1/keys', {}, signal);
  },
  render(view, d) {
    const admin = canChange();
    const columns = [
      { key: 'id', label: 'ID', cell: (k) => mono(k.id) },
      { key: 'prefix', label: 'Prefix', cell: (k) => mono(k.prefix) },
      { key: 'team', label: 'Team', cls: 'clip', title: (k) => k.team },
      { key: 'role', label: 'Role' },
      { key: 'models', label: 'Models', cell: (k) => listText(k.models), cls: 'clip' },
      { key: 'tiers', label: 'Tiers', cell: (k) => listText(k.tiers) },
      { key: 'created_ms', label: 'Created', cell: (k) => fmtTime(k.created_ms), cls: 'nowrap' },
      { key: 'expires_ms', label: 'Expires', cell: (k) => (isNum(k.expires_ms) ? fmtTime(k.expires_ms) : 'never'), cls: 'nowrap' },
      { key: 'revoked_ms', label: 'Revoked', cell: (k) => (isNum(k.revoked_ms) ? fmtTime(k.revoked_ms) : DASH), cls: 'nowrap' },
      { key: 'status', label: 'Status', cell: keyStatus },
      { key: 'last_used_ms', label: 'Last used', cell: (k) => (isNum(k.last_used_ms) ? fmtRelative(k.last_used_ms) : 'never'), title: (k) => fmtTime(k.last_used_ms) },
    ];
    if (admin) {
      columns.push({
        key: 'actions', label: '', cell: (k) => {
          if (k.status !== 'active') return '';
          const b = el('button', { type: 'button', class: 'btn small danger', text: 'Revoke', 'data-testid': `revoke-${k.id}` });
          b.addEventListener('click', () => revokeKey(k));
          return b;
        },
      });
    }
    view.holder.replaceChildren(table('table-keys', columns, d.keys ?? [], { idOf: (k) => k.id, empty: 'No keys.' }));
  },
};

function showNewKey(box, answer) {
  const copy = el('button', { type: 'button', class: 'btn small', text: 'Copy', 'data-testid': 'new-key-copy' });
  const dismiss = el('button', { type: 'button', class: 'btn small', text: 'Done', 'data-testid': 'new-key-done' });
  const rec = answer?.record ?? {};
  const code = el('code', { class: 'mono secret', 'data-testid': 'new-key', text: answer?.key ?? '' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(answer.key);
      copy.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      copy.textContent = 'Selected: copy it now';
    }
  });
  dismiss.addEventListener('click', () => {
    box.replaceChildren();
    show(box, false);
  });
  box.replaceChildren(
    el('p', {}, el('strong', { text: 'New key' }), ` ${rec.id ?? ''} for team ${rec.team ?? ''} (${rec.role ?? 'user'}):`),
    el('div', { class: 'row' }, code, copy, dismiss),
    el('p', { class: 'warn-text', text: 'This key is shown only once: store it now. The server keeps only its hash.' }),
  );
  show(box, true);
}

async function revokeKey(k) {
  const ok = await confirmInPage(`Revoke key ${k.id} of team ${k.team}? Requests with it are refused within a few seconds; this cannot be undone.`);
  if (!ok) return;
  try {
    await api('POST', `/admin/v1/keys/${encodeURIComponent(k.id)}/revoke`);
    refresh();
  } catch (e) {
    actionFailed(`Revoking ${k.id}`, e);
  }
}

// ------------------------------------------------------------------ config reload

async function reloadConfig() {
  const button = $('reload-config');
  button.disabled = true;
  show($('reload-result'), false);
  try {
    const { json } = await api('POST', '/admin/v1/config/reload');
    const list = (title, xs, testid) => el('p', { 'data-testid': testid },
      el('strong', { text: `${title}: ` }), Array.isArray(xs) && xs.length ? xs.join(', ') : 'none');
    $('reload-body').replaceChildren(
      el('strong', { text: 'Config reloaded.' }),
      list('Applied', json?.applied, 'reload-applied'),
      list('Unchanged', json?.unchanged, 'reload-unchanged'),
      list('Restart required', json?.restart_required, 'reload-restart'),
    );
    show($('reload-result'), true);
    refresh();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && state.key) {
      actionFailed('Reloading the config', e);
      return;
    }
    const errors = Array.isArray(e.body?.errors) ? e.body.errors : Array.isArray(e.body?.error?.errors) ? e.body.error.errors : [];
    const details = errors.map((x) => `${x.file ?? ''}${isNum(x.line) ? `:${x.line}` : ''}${isNum(x.column) ? `:${x.column}` : ''}: ` +
      `${x.path ? `${x.path}: ` : ''}${x.message ?? ''}`);
    showError(`The config was not reloaded (the old one stays in force): ${e.message}`, { source: 'action', details });
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ wiring

function setLive(live) {
  state.live = live;
  const b = $('live');
  b.setAttribute('aria-pressed', String(live));
  b.textContent = live ? 'Live' : 'Paused';
  b.title = live ? 'Refreshing every 5 s: click to pause' : 'Paused: click to refresh every 5 s';
  if (live) refresh();
  else clearTimeout(state.timer);
}

function wire() {
  $('signin-form').addEventListener('submit', onSignin);
  $('signout').addEventListener('click', () => signOut());
  $('theme').addEventListener('change', (e) => setTheme(e.target.value));
  $('range').addEventListener('change', (e) => {
    state.range = e.target.value;
    state.ledger.cursor = null;
    state.ledger.pageNo = 1;
    refresh();
  });
  $('live').addEventListener('click', () => setLive(!state.live));
  $('reload-config').addEventListener('click', reloadConfig);
  $('error-close').addEventListener('click', () => clearError());
  $('reload-close').addEventListener('click', () => show($('reload-result'), false));
  $('confirm-yes').addEventListener('click', () => closeConfirm(true));
  $('confirm-no').addEventListener('click', () => closeConfirm(false));
  $('confirm').addEventListener('click', (e) => {
    if (e.target === $('confirm')) closeConfirm(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('confirm').hidden) closeConfirm(false);
  });
  window.addEventListener('hashchange', route);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.live && state.page && !state.running && !state.timer) refresh();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      const v = state.view;
      if (state.page && v?.data) VIEWS[state.page].render(v, v.data);
    }, 150);
  });
  setLive(true);
}

boot();
