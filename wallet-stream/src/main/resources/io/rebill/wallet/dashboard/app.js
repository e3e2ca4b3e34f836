// The agency dashboard of one workspace: /dashboard/{ws}. Plain JavaScript, no build step and no
// third-party code. It reads only wallet-stream's JSON API, on the page's own origin:
//   GET /workspaces/{ws}                          the workspace wallet and its sub-accounts
//   GET /workspaces/{ws}/sub-accounts/{sa}        a sub-account: wallet, access, minutes (the
//                                                 UsageSummary of .../usage), re-billing, period totals
//   GET /workspaces/{ws}[/sub-accounts/{sa}]/ledger?limit&before   a wallet's latest ledger entries
// Money is shown as the exact decimal text the API returns. Sums are done on BigInt micro-units
// parsed from that text, never in floating point.
'use strict';

(function () {
  const LEDGER_PAGE = 20;
  const RETRIES_WHEN_BUSY = 3;
  const SVG = 'http://www.w3.org/2000/svg';

  const ACCESS_LABELS = {
    ALLOWED: 'Allowed',
    BLOCKED_SUBACCOUNT_FUNDS: 'Blocked: sub-account funds',
    BLOCKED_WORKSPACE_FUNDS: 'Blocked: workspace funds',
    ON_HOLD: 'On hold',
  };
  const LEDGER_KINDS = {
    TOP_UP: 'Funds added',
    MANUAL_CREDIT: 'Credit',
    ADJUSTMENT: 'Adjustment',
    USAGE: 'Usage',
    REVERSAL: 'Usage reversed',
    NUMBER_FEE: 'Number fee',
    UNKNOWN: 'Other',
  };
  // billing-sink's command id for a paid refill (RefillRecords.paidCommandId); the ledger keeps it as the reference.
  const REFILL_REFERENCE = 'refill-paid:';

  const byId = (id) => document.getElementById(id);
  let generation = 0;
  let ledger = { workspaceId: null, subAccountId: null, nextBefore: null };

  // ---- the API ------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function apiPath(workspaceId, ...rest) {
    return '/workspaces/' + [workspaceId, ...rest].map(encodeURIComponent).join('/');
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // GETs JSON; a 503 (state being restored, or a rebalance) is retried after its Retry-After.
  async function getJson(path) {
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      } catch (e) {
        throw new ApiError(0, 'The server did not answer: ' + e.message);
      }
      if (response.status === 503 && attempt < RETRIES_WHEN_BUSY) {
        const seconds = Number(response.headers.get('Retry-After')) || 1;
        await sleep(Math.min(seconds, 5) * 1000);
        continue;
      }
      let body = null;
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
      if (response.ok) {
        return body;
      }
      throw new ApiError(response.status, body && body.error ? body.error : 'HTTP ' + response.status);
    }
  }

  // ---- money: exact decimal text and BigInt micro-units ----------------------------------------

  function toMicros(text) {
    const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(text));
    if (!match) {
      throw new Error('not a decimal amount: ' + text);
    }
    const micros = BigInt(match[2]) * 1000000n + BigInt((match[3] || '').padEnd(6, '0'));
    return match[1] ? -micros : micros;
  }

  function formatMicros(micros) {
    const negative = micros < 0n;
    const abs = negative ? -micros : micros;
    return (negative ? '-' : '') + (abs / 1000000n).toString() + '.' + (abs % 1000000n).toString().padStart(6, '0');
  }

  function signed(amount) {
    return toMicros(amount) > 0n ? '+' + amount : amount;
  }

  // ---- DOM helpers ---------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    setAttributes(node, attributes);
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    setAttributes(node, attributes);
    children.forEach((child) => node.append(child));
    return node;
  }

  function setAttributes(node, attributes) {
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    }
  }

  function cell(testId, text, className) {
    return el('td', { 'data-testid': testId, class: className }, text);
  }

  function setState(state) {
    byId('dashboard').dataset.state = state;
    byId('loading-state').hidden = state !== 'loading';
    byId('empty-state').hidden = state !== 'empty';
    byId('error-state').hidden = state !== 'error';
    byId('content').hidden = state !== 'ready';
  }

  function day(isoInstant) {
    return isoInstant ? String(isoInstant).slice(0, 10) : '';
  }

  function minute(isoInstant) {
    return isoInstant ? String(isoInstant).slice(0, 16).replace('T', ' ') : '';
  }

  function percentOf(usage) {
    const value = Number(usage.percentUsed);
    return Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
  }

  // A trial of 0 minutes (the default) has nothing to use up: every minute is billed to the wallet,
  // and the API's percentUsed is 0. Minutes are not money, so Number is fine here.
  function hasPlanMinutes(usage) {
    return Number(usage.totalMinutes) > 0;
  }

  function levelOf(percent) {
    return percent >= 90 ? 'high' : percent >= 75 ? 'medium' : 'low';
  }

  // ---- the page ------------------------------------------------------------------------------

  function workspaceFromPath() {
    const parts = location.pathname.split('/');
    try {
      return decodeURIComponent(parts[2] || '');
    } catch (e) {
      return parts[2] || '';
    }
  }

  async function load() {
    const mine = ++generation;
    const workspaceId = workspaceFromPath();
    byId('workspace-title').textContent = workspaceId;
    document.title = workspaceId + ' · Usage wallets · Rebill';
    byId('status-line').textContent = 'Loading…';
    setState('loading');
    try {
      let workspace;
      try {
        workspace = await getJson(apiPath(workspaceId));
      } catch (e) {
        if (e.status === 404) {
          if (mine === generation) {
            byId('empty-workspace-id').textContent = workspaceId;
            byId('status-line').textContent = 'No such workspace';
            setState('empty');
          }
          return;
        }
        throw e;
      }
      const subAccounts = await Promise.all(workspace.subAccounts.map((summary) =>
        getJson(apiPath(workspaceId, 'sub-accounts', summary.subAccountId)).then(
          (view) => ({ summary, view, error: null }),
          (error) => ({ summary, view: null, error }))));
      if (mine !== generation) {
        return;
      }
      renderWallet(workspace.wallet);
      renderSubAccounts(subAccounts);
      renderTotals(subAccounts, workspace.wallet);
      renderMinutes(subAccounts);
      setUpLedger(workspaceId, workspace);
      await loadLedger(false);
      if (mine !== generation) {
        return;
      }
      byId('status-line').textContent = 'Updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
      setState('ready');
    } catch (e) {
      if (mine === generation) {
        byId('error-message').textContent = e.message;
        byId('status-line').textContent = 'Error';
        setState('error');
      }
    }
  }

  function renderWallet(wallet) {
    byId('workspace-currency').textContent = wallet ? wallet.currency : '';
    byId('workspace-balance').textContent = wallet ? wallet.balance : 'No wallet yet';
    const status = byId('workspace-wallet-status');
    status.textContent = wallet ? wallet.status : 'NONE';
    status.className = 'badge ' + (wallet && wallet.status === 'ACTIVE' ? 'ok' : 'bad');
  }

  function renderSubAccounts(subAccounts) {
    const rows = byId('sub-account-rows');
    rows.replaceChildren();
    byId('sub-accounts-empty').hidden = subAccounts.length > 0;
    byId('sub-accounts').hidden = subAccounts.length === 0;
    for (const { summary, view, error } of subAccounts) {
      const wallet = view ? view.wallet : summary.wallet;
      const access = view && view.access ? view.access : { state: summary.access, reason: null };
      const rebilled = view && view.rebilled !== null && view.rebilled !== undefined ? view.rebilled : null;
      const period = view ? view.period : null;
      const usage = view ? view.usage : null;

      const accessCell = el('td', { 'data-testid': 'sa-access-cell' },
        el('span', { 'data-testid': 'sa-access', class: 'badge access ' + (access.state || 'UNKNOWN').toLowerCase(),
          title: ACCESS_LABELS[access.state] || '' }, access.state || '—'),
        el('div', { 'data-testid': 'sa-access-reason', class: 'reason' },
          error ? 'Details unavailable: ' + error.message : access.reason || ''));

      const notRebilled = rebilled === false;
      rows.append(el('tr', { 'data-testid': 'sub-account-row', 'data-sub-account': summary.subAccountId },
        cell('sa-id', summary.subAccountId, 'id'),
        cell('sa-rebilling', rebilled === null ? '—' : rebilled ? 'On' : 'Off',
          rebilled ? 'on' : 'off'),
        accessCell,
        cell('sa-balance', wallet ? wallet.balance : '—', 'num' + (wallet && wallet.status === 'EMPTY' ? ' negative' : '')),
        cell('sa-you-pay', period ? period.cost : '—', 'num'),
        cell('sa-pays', period && !notRebilled ? period.price : '—', 'num'),
        cell('sa-profit', period && !notRebilled ? period.margin : '—',
          'num' + (period && !notRebilled && toMicros(period.margin) < 0n ? ' negative' : '')),
        minutesCell(usage)));
    }
  }

  function minutesCell(usage) {
    if (!usage) {
      return el('td', { 'data-testid': 'sa-minutes-cell' }, el('span', { 'data-testid': 'sa-minutes' }, '—'));
    }
    if (!hasPlanMinutes(usage)) {
      return el('td', { 'data-testid': 'sa-minutes-cell', class: 'muted' },
        el('span', { 'data-testid': 'sa-minutes' }, 'No plan minutes'));
    }
    const percent = percentOf(usage);
    const bar = svg('svg', { class: 'bar', viewBox: '0 0 100 8', width: 80, height: 8,
      preserveAspectRatio: 'none', 'aria-hidden': 'true' },
      svg('rect', { x: 0, y: 0, width: 100, height: 8, rx: 4, class: 'track' }),
      svg('rect', { x: 0, y: 0, width: percent, height: 8, rx: 4, class: 'fill ' + levelOf(percent) }));
    return el('td', { 'data-testid': 'sa-minutes-cell', class: 'minutes-cell' }, bar,
      el('span', { 'data-testid': 'sa-minutes' }, usage.percentUsed + '%'));
  }

  function renderTotals(subAccounts, wallet) {
    const periods = subAccounts.map((s) => s.view && s.view.period).filter((p) => p);
    const currencies = new Set(periods.map((p) => p.currency).filter((c) => c));
    const note = byId('period-note');
    note.hidden = true;
    if (periods.length === 0 || currencies.size > 1) {
      ['total-you-pay', 'total-sub-account-pays', 'total-profit'].forEach((id) => { byId(id).textContent = '—'; });
      byId('period-label').textContent = periods.length === 0 ? 'no usage figures yet' : 'usage in more than one currency';
      return;
    }
    let cost = 0n;
    let price = 0n;
    for (const period of periods) {
      cost += toMicros(period.cost);
      price += toMicros(period.price);
    }
    const currency = currencies.size === 1 ? [...currencies][0] : wallet ? wallet.currency : '';
    const money = (micros) => (currency ? currency + ' ' : '') + formatMicros(micros);
    byId('total-you-pay').textContent = money(cost);
    byId('total-sub-account-pays').textContent = money(price);
    byId('total-profit').textContent = money(price - cost);
    byId('total-profit').classList.toggle('negative', price - cost < 0n);

    const first = periods[0];
    byId('period-label').textContent = first.from === first.to ? first.from : first.from + ' – ' + first.to;
    if (!first.complete) {
      note.textContent = 'Days of ' + first.period + ' before ' + first.from
        + ' are no longer kept by the daily usage aggregate, so they are not counted.';
      note.hidden = false;
    }
  }

  function renderMinutes(subAccounts) {
    const box = byId('minutes');
    box.replaceChildren();
    const withUsage = subAccounts.filter((s) => s.view && s.view.usage);
    byId('minutes-empty').hidden = withUsage.length > 0;
    for (const { summary, view } of withUsage) {
      const usage = view.usage;
      const planMinutes = hasPlanMinutes(usage);
      const percent = planMinutes ? percentOf(usage) : 0;
      const chart = svg('svg', { class: 'donut', viewBox: '0 0 42 42', width: 112, height: 112, role: 'img',
        'aria-label': usage.percentUsed + '% of minutes used', 'data-testid': 'minutes-chart',
        'data-percent': usage.percentUsed },
        // r = 100 / (2 pi): the circumference is 100, so the dash lengths are percentages.
        svg('circle', { cx: 21, cy: 21, r: 15.91549430918954, class: 'track' }),
        svg('circle', { cx: 21, cy: 21, r: 15.91549430918954, class: 'fill ' + levelOf(percent),
          'stroke-dasharray': percent + ' ' + (100 - percent), 'stroke-dashoffset': 25 }),
        svg('text', { x: 21, y: 23, 'text-anchor': 'middle', class: 'donut-label' },
          planMinutes ? usage.percentUsed + '%' : '—'));
      const plan = usage.trial ? 'Trial' : usage.plan;
      const renewal = usage.trial
        ? (usage.expiresAt ? 'Trial ends ' + day(usage.expiresAt) : '')
        : (usage.nextRenewal ? 'Renews ' + day(usage.nextRenewal) : '');
      box.append(el('article', { class: 'minutes-card', 'data-testid': 'minutes-card',
        'data-sub-account': summary.subAccountId },
        chart,
        el('div', { class: 'minutes-text' },
          el('h3', null, summary.subAccountId),
          el('p', { 'data-testid': 'minutes-plan', class: 'sub' }, plan),
          el('p', { 'data-testid': 'minutes-percent', class: 'figure small' },
            planMinutes ? usage.percentUsed + '% used' : 'No plan minutes'),
          el('p', { 'data-testid': 'minutes-used' }, planMinutes
            ? usage.usedMinutes + ' of ' + usage.totalMinutes + ' min'
            : usage.usedMinutes + ' min used, all billed to the wallet'),
          planMinutes ? el('p', { 'data-testid': 'minutes-remaining', class: 'sub' },
            usage.remainingMinutes + ' min remaining') : null,
          el('p', { 'data-testid': 'minutes-renewal', class: 'sub' }, renewal),
          usage.pendingPlan ? el('p', { class: 'sub' }, 'Next cycle: ' + usage.pendingPlan) : null)));
    }
  }

  // ---- the ledger ----------------------------------------------------------------------------

  function setUpLedger(workspaceId, workspace) {
    const select = byId('ledger-wallet');
    const chosen = ledger.workspaceId === workspaceId ? ledger.subAccountId : null;
    select.replaceChildren(el('option', { value: '' }, 'Workspace wallet'));
    for (const summary of workspace.subAccounts) {
      if (summary.wallet) {
        select.append(el('option', { value: summary.subAccountId }, summary.subAccountId));
      }
    }
    select.value = chosen && [...select.options].some((o) => o.value === chosen) ? chosen : '';
    ledger = { workspaceId, subAccountId: select.value || null, nextBefore: null };
  }

  async function loadLedger(older) {
    const table = byId('ledger');
    const rows = byId('ledger-rows');
    const empty = byId('ledger-empty');
    const button = byId('ledger-older');
    const wanted = { ...ledger };
    table.dataset.state = 'loading';
    let path = wanted.subAccountId
      ? apiPath(wanted.workspaceId, 'sub-accounts', wanted.subAccountId, 'ledger')
      : apiPath(wanted.workspaceId, 'ledger');
    path += '?limit=' + LEDGER_PAGE + (older && wanted.nextBefore ? '&before=' + wanted.nextBefore : '');
    let page;
    try {
      page = await getJson(path);
    } catch (e) {
      page = null;
      if (!older) {
        rows.replaceChildren();
      }
      empty.textContent = e.status === 404 ? 'No entries yet.' : 'Could not load the ledger: ' + e.message;
      empty.hidden = false;
      table.hidden = rows.children.length === 0;
      button.hidden = true;
      table.dataset.state = 'ready';
      return;
    }
    if (ledger.workspaceId !== wanted.workspaceId || ledger.subAccountId !== wanted.subAccountId) {
      return; // another wallet was chosen meanwhile
    }
    if (!older) {
      rows.replaceChildren();
    }
    for (const line of page.entries) {
      rows.append(ledgerRow(line));
    }
    const none = rows.children.length === 0;
    empty.textContent = 'No entries yet.';
    empty.hidden = !none;
    table.hidden = none;
    ledger.nextBefore = page.nextBefore;
    button.hidden = page.nextBefore === null || page.nextBefore === undefined;
    table.dataset.state = 'ready';
    table.dataset.wallet = page.walletId;
  }

  function ledgerRow(line) {
    const refill = line.kind === 'TOP_UP' && line.reference && line.reference.startsWith(REFILL_REFERENCE);
    const label = refill ? 'Auto-refill' : LEDGER_KINDS[line.kind] || line.kind;
    const credit = toMicros(line.amount) > 0n;
    return el('tr', { 'data-testid': 'ledger-row', 'data-kind': line.kind, 'data-sequence': line.sequence },
      cell('ledger-sequence', line.sequence, 'num muted'),
      cell('ledger-when', minute(line.occurredAt), 'when'),
      cell('ledger-kind', label, 'kind ' + (credit ? 'credit' : 'debit')),
      cell('ledger-details', line.description || line.reference || '', 'details'),
      cell('ledger-amount', signed(line.amount), 'num ' + (credit ? 'credit' : 'debit')),
      cell('ledger-balance', line.balanceAfter, 'num'));
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('refresh').addEventListener('click', () => load());
    byId('ledger-wallet').addEventListener('change', (event) => {
      ledger = { workspaceId: ledger.workspaceId, subAccountId: event.target.value || null, nextBefore: null };
      loadLedger(false);
    });
    byId('ledger-older').addEventListener('click', () => loadLedger(true));
    load();
  });
}());
