/*
 * What the user chose — window, tenant, DAG, run statuses, stale time and the open run — lives in the URL's query
 * string, so that a link shows someone else the same view: ?window=6h&tenant=acme-corp&dag=ops_sync&status=FAILED&run=ID
 */

/** The window choices: URL value -> hours. */
export const WINDOWS = {'1h': 1, '6h': 6, '24h': 24, '7d': 168};
/** The run statuses the runs table filters by. */
export const STATUSES = ['RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED'];
/** The stale time when none is chosen, in hours (as the API's default). */
export const DEFAULT_STALE_HOURS = 6;

/**
 * @typedef {object} ViewState
 * @property {string|null} window a key of WINDOWS, or null for the server's default window
 * @property {string|null} tenant
 * @property {string|null} dag
 * @property {string[]} statuses
 * @property {string|null} run the open run's id
 * @property {number} staleHours
 */

/** @returns {ViewState} the state the URL describes (unknown values are ignored) */
export function read() {
  const p = new URLSearchParams(location.search);
  const w = p.get('window');
  const stale = Number(p.get('stale'));
  return {
    window: w && Object.prototype.hasOwnProperty.call(WINDOWS, w) ? w : null,
    tenant: p.get('tenant') || null,
    dag: p.get('dag') || null,
    statuses: (p.get('status') || '').split(',').map(s => s.trim().toUpperCase()).filter(s => STATUSES.includes(s)),
    run: p.get('run') || null,
    staleHours: stale > 0 && stale <= 8760 ? stale : DEFAULT_STALE_HOURS,
  };
}

/**
 * Writes a state into the URL.
 * @param {ViewState} state
 * @param {boolean} push whether to add a history entry (opening or closing a run), so Back undoes it
 */
export function write(state, push) {
  const p = new URLSearchParams();
  if (state.window) {
    p.set('window', state.window);
  }
  if (state.tenant) {
    p.set('tenant', state.tenant);
  }
  if (state.dag) {
    p.set('dag', state.dag);
  }
  if (state.statuses.length) {
    p.set('status', state.statuses.join(','));
  }
  if (state.staleHours !== DEFAULT_STALE_HOURS) {
    p.set('stale', String(state.staleHours));
  }
  if (state.run) {
    p.set('run', state.run);
  }
  const search = p.toString();
  const url = location.pathname + (search ? '?' + search : '') + location.hash;
  if (url === location.pathname + location.search + location.hash) {
    return;
  }
  if (push) {
    history.pushState(null, '', url);
  } else {
    history.replaceState(null, '', url);
  }
}
