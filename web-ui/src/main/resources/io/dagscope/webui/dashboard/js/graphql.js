/*
 * Talking to dagscope's GraphQL API: queries over HTTP, and live answers through subscriptions over one WebSocket
 * (graphql-transport-ws, spoken by the graphql-ws client in ../vendor/). When the WebSocket cannot be used the same
 * operations are polled over HTTP, and the WebSocket is tried again from time to time. With authentication on, the
 * token goes in the Authorization header and in connection_init. When the server asks the dashboard to wait (429 or
 * 503 with Retry-After over HTTP, a RATE_LIMITED error over the WebSocket), it waits as long as asked, and says so
 * calmly.
 */

import {CloseCode, createClient} from '../vendor/graphql-ws.min.js';

const TOKEN_KEY = 'dagscope.token';

/** The bearer token, kept for this tab's session only (sessionStorage), never in localStorage or a cookie. */
export const token = {
  get() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  },
  set(value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Thrown when the server wants a (valid) token. */
export class AuthRequired extends Error {
  constructor() {
    super('A valid token is required');
    this.name = 'AuthRequired';
  }
}

/** Thrown when the server cannot be reached or does not answer in GraphQL. */
export class Unreachable extends Error {
  constructor(message) {
    super(message);
    this.name = 'Unreachable';
  }
}

/** Thrown when the server asks to wait before asking again (429 Too Many Requests, or 503 with Retry-After). */
export class AskedToWait extends Error {
  /** @param {number} seconds how long the server asked to wait */
  constructor(seconds) {
    super('The server asked to wait ' + seconds + ' s');
    this.name = 'AskedToWait';
    this.seconds = seconds;
  }
}

/** How long to wait when the server asks to but does not say how long. */
const DEFAULT_WAIT_SECONDS = 5;

/**
 * @param {string|null} header a Retry-After header: seconds, or an HTTP date
 * @param {object|null} body the answer, whose error may carry extensions.retryAfterSeconds
 * @returns {number} the seconds to wait, at least 1
 */
export function retryAfterSeconds(header, body) {
  let seconds = NaN;
  if (header && /^\s*\d+\s*$/.test(header)) {
    seconds = Number(header);
  } else if (header) {
    seconds = Math.ceil((Date.parse(header) - Date.now()) / 1000);
  }
  if (!(seconds >= 0)) {
    const errors = body && Array.isArray(body.errors) ? body.errors : Array.isArray(body) ? body : [];
    const given = errors.map(e => e && e.extensions && Number(e.extensions.retryAfterSeconds)).find(n => n >= 0);
    seconds = given >= 0 ? given : DEFAULT_WAIT_SECONDS;
  }
  return Math.max(1, Math.min(Math.ceil(seconds), 3600));
}

/** @returns {boolean} whether a GraphQL error list says the caller is over its rate or concurrency budget */
export function isRateLimited(errors) {
  return Array.isArray(errors) && errors.some(e => e && e.extensions && e.extensions.classification === 'RATE_LIMITED');
}

const HTTP_URL = new URL('graphql', document.baseURI).toString();
const WS_URL = HTTP_URL.replace(/^http/, 'ws');

/**
 * Runs one GraphQL query over HTTP.
 * @param {string} query the document
 * @param {object} [variables]
 * @returns {Promise<{data: object|null, errors: Array|undefined}>}
 */
export async function query(query, variables) {
  const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
  const t = token.get();
  if (t) {
    headers.Authorization = 'Bearer ' + t;
  }
  let response;
  try {
    response = await fetch(HTTP_URL, {method: 'POST', headers, body: JSON.stringify({query, variables}),
      cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new Unreachable('the server cannot be reached');
  }
  if (response.status === 401) {
    throw new AuthRequired();
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (response.status === 429 || response.status === 503 && response.headers.get('Retry-After')) {
    throw new AskedToWait(retryAfterSeconds(response.headers.get('Retry-After'), body));
  }
  if (body === null) {
    throw new Unreachable('HTTP ' + response.status + ' without a GraphQL answer');
  }
  if (!response.ok && !body.data) {
    const message = body.errors && body.errors[0] ? body.errors[0].message : 'HTTP ' + response.status;
    throw new Unreachable(message);
  }
  return body;
}

/** @returns {boolean} whether a GraphQL error list says the caller may not read something (e.g. sources) */
export function isForbidden(errors) {
  return Array.isArray(errors) && errors.some(e => e && e.extensions && e.extensions.classification === 'FORBIDDEN');
}

const POLL_MS = 5000;
const ACK_TIMEOUT_MS = 6000;
const RETRY_MIN_MS = 5000;
const RETRY_MAX_MS = 60000;

/**
 * @typedef {object} LiveState what the live indicator shows
 * @property {string} status 'connecting', 'live' (subscriptions), 'polling' (HTTP, the WebSocket failed), 'offline'
 *   (nothing answers) or 'auth' (a token is needed)
 * @property {Date|null} lastUpdate when the latest answer arrived
 * @property {boolean} paused whether the user paused the updates
 * @property {number} held how many updates arrived while paused, not shown yet
 * @property {number|null} waitSeconds how long the server last asked to wait, while the dashboard waits
 */

/**
 * Live answers for a set of named operations ("watches"). Each watch is an operation written without its keyword
 * (`Name($v: T) { field(...) { ... } }`): it runs as a subscription over the WebSocket, or as a query when polling.
 *
 * The WebSocket is a graphql-ws client, one per connection: when its socket closes or is not acknowledged in time, the
 * client is disposed, the watches are polled over HTTP, and a new client is made later (after 5 s, doubling up to a
 * minute; a connection resets the delay). The client itself never retries: it would give up for good on the close
 * codes it deems fatal (1011, 4500, ...), where the dashboard keeps polling and trying.
 *
 * Answers are handed to their handlers once per animation frame, all together (a burst of messages costs the page one
 * style and layout pass, and a hidden tab none until it shows again). While paused, an update is held (the latest of
 * each watch) until resume(); the first answer of a watch the user just changed is shown all the same.
 */
export class Live {
  /**
   * @param {{onStatus: (state: LiveState) => void, onAuthRequired: () => void}} callbacks
   */
  constructor({onStatus, onAuthRequired}) {
    this.onStatus = onStatus;
    this.onAuthRequired = onAuthRequired;
    this.watches = new Map();
    this.status = 'connecting';
    this.lastUpdate = null;
    this.client = null;
    this.acked = false;
    this.ackTimer = null;
    this.seq = 0;
    this.nextId = null; // the id of the subscription being made, for the client's generateID
    this.pollTimer = null;
    this.retryTimer = null;
    this.retryDelay = RETRY_MIN_MS;
    this.stopped = true;
    this.paused = false;
    this.held = new Map();
    this.heldCount = 0;
    this.ready = new Map();
    this.frame = null;
    this.waitUntil = 0;
    this.waitSeconds = null;
    this.waitTimer = null;
  }

  /** Connects (or reconnects, e.g. after a token was entered) and (re)starts every watch. */
  start() {
    this.stop();
    this.stopped = false;
    this.setStatus('connecting');
    this.connect();
  }

  /** Closes the WebSocket and stops polling. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.disconnect();
  }

  /** Disposes of the client, which closes its socket (1000, Normal Closure); its subscriptions end with it. */
  disconnect() {
    clearTimeout(this.ackTimer);
    for (const w of this.watches.values()) {
      clearTimeout(w.resubscribeTimer);
      w.id = null;
      w.unsubscribe = null;
    }
    const client = this.client;
    this.client = null;
    this.acked = false;
    if (client) {
      client.dispose().catch(() => {}); // rejects when the socket never connected: then it is closed already
    }
  }

  /** Holds every update (the latest of each watch) until resume(). */
  pause() {
    if (!this.paused) {
      this.paused = true;
      this.report();
    }
  }

  /** Shows the updates held while paused, and the next ones as they come. */
  resume() {
    if (!this.paused) {
      return;
    }
    this.paused = false;
    for (const [key, answer] of this.held) {
      this.ready.set(key, answer);
    }
    this.held.clear();
    this.heldCount = 0;
    this.report();
    this.flushSoon();
  }

  /**
   * Starts watching an operation, or changes the variables of a watch; does nothing when they did not change.
   * @param {string} key names the watch
   * @param {string} operation the operation without its keyword
   * @param {object} variables
   * @param {(data: object|null, errors: Array|undefined) => void} handler
   */
  watch(key, operation, variables, handler) {
    const old = this.watches.get(key);
    const signature = operation + '\n' + JSON.stringify(variables || {});
    if (old && old.signature === signature) {
      old.handler = handler;
      return;
    }
    if (old) {
      this.cancel(old);
    }
    const w = {key, operation, variables: variables || {}, handler, signature, id: null, unsubscribe: null,
      answered: false};
    this.watches.set(key, w);
    this.held.delete(key);
    this.ready.delete(key);
    if (this.client) {
      this.subscribe(w); // sent by the client once the server has acknowledged the connection
    }
    if (!this.acked && (this.status === 'polling' || this.status === 'offline') && !this.waiting()) {
      this.pollOne(w);
    }
  }

  /** Stops a watch. */
  unwatch(key) {
    const w = this.watches.get(key);
    if (w) {
      this.cancel(w);
      this.watches.delete(key);
      this.held.delete(key);
      this.ready.delete(key);
    }
  }

  cancel(w) {
    if (w.unsubscribe) {
      w.unsubscribe(); // the client sends complete if the server has the subscription
    }
    clearTimeout(w.resubscribeTimer);
    w.id = null;
    w.unsubscribe = null;
    w.cancelled = true;
  }

  setStatus(status) {
    this.status = status;
    this.report();
  }

  /** Tells the page what the live indicator shows. */
  report() {
    this.onStatus({status: this.status, lastUpdate: this.lastUpdate, paused: this.paused, held: this.heldCount,
      waitSeconds: this.waiting() ? this.waitSeconds : null});
  }

  /** @returns {boolean} whether the server asked to wait and the time it gave has not passed */
  waiting() {
    return Date.now() < this.waitUntil;
  }

  /** The server asked to wait: remember until when, and show it until then. */
  askedToWait(seconds) {
    this.waitUntil = Math.max(this.waitUntil, Date.now() + seconds * 1000);
    this.waitSeconds = seconds;
    clearTimeout(this.waitTimer);
    this.waitTimer = setTimeout(() => this.report(), this.waitUntil - Date.now() + 10);
    this.report();
  }

  /** An answer arrived: it is shown with the others of this frame, or held while paused. */
  delivered(w, data, errors) {
    if (w.cancelled || this.watches.get(w.key) !== w) {
      return;
    }
    this.lastUpdate = new Date();
    const answer = {w, data, errors};
    if (this.paused && w.answered) {
      this.held.set(w.key, answer);
      this.heldCount++;
    } else {
      this.ready.set(w.key, answer);
    }
    w.answered = true;
    this.flushSoon();
  }

  flushSoon() {
    if (this.frame === null) {
      this.frame = requestAnimationFrame(() => this.flush());
    }
  }

  flush() {
    this.frame = null;
    const answers = Array.from(this.ready.values());
    this.ready.clear();
    this.report();
    for (const {w, data, errors} of answers) {
      if (!w.cancelled && this.watches.get(w.key) === w) {
        w.handler(data, errors);
      }
    }
  }

  /** Subscribes the watch on the current client, under an id that names it (key:n, as the server's log shows). */
  subscribe(w) {
    clearTimeout(w.resubscribeTimer);
    const client = this.client;
    const id = w.key + ':' + (++this.seq);
    w.id = id;
    w.cancelled = false;
    const current = () => this.client === client && w.id === id;
    this.nextId = id;
    w.unsubscribe = client.subscribe({query: 'subscription ' + w.operation, variables: w.variables}, {
      next: result => {
        if (current()) {
          this.delivered(w, result.data || null, result.errors);
        }
      },
      error: error => {
        // GraphQL errors end this subscription; anything else is the socket closing, which the client's closed
        // event reports (see connect)
        if (!current() || !Array.isArray(error)) {
          return;
        }
        w.unsubscribe = null;
        if (isRateLimited(error)) {
          this.subscribeLater(w, retryAfterSeconds(null, error));
        } else {
          w.id = null;
          this.delivered(w, null, error);
        }
      },
      complete: () => {},
    });
  }

  /** A subscription the server refused for the caller's budget is sent again once the time it gave has passed. */
  subscribeLater(w, seconds) {
    w.id = null;
    this.askedToWait(seconds);
    clearTimeout(w.resubscribeTimer);
    w.resubscribeTimer = setTimeout(() => {
      if (this.client && !w.cancelled && this.watches.get(w.key) === w) {
        this.subscribe(w);
      }
    }, seconds * 1000);
  }

  /** Makes a client, whose socket opens at once (not lazily: it stays open while there are no watches too). */
  connect() {
    const client = createClient({
      url: WS_URL,
      lazy: false,
      connectionParams: () => {
        const t = token.get();
        return t ? {Authorization: 'Bearer ' + t} : {};
      },
      retryAttempts: 0,
      // a socket that fails is reported by the closed event below, which falls back to polling
      onNonLazyError: () => {},
      generateID: () => this.nextId,
      on: {
        connected: () => {
          if (this.client === client) {
            this.connected();
          }
        },
        closed: event => {
          if (this.client === client) {
            this.closed(event);
          }
        },
      },
    });
    this.client = client;
    this.acked = false;
    // a socket that neither opens nor fails (e.g. blocked on the way) must not keep the dashboard waiting
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      if (this.client === client && !this.acked) {
        client.terminate(); // closes the socket and reports it closed (4499), as any failure
      }
    }, ACK_TIMEOUT_MS);
    for (const w of this.watches.values()) {
      this.subscribe(w);
    }
  }

  /** The server acknowledged the connection: the client sends the subscriptions, polling stops. */
  connected() {
    clearTimeout(this.ackTimer);
    this.acked = true;
    this.retryDelay = RETRY_MIN_MS;
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.setStatus('live');
  }

  /** The socket closed (or failed, or never connected): a token is needed (4401), or poll and retry later. */
  closed(event) {
    this.disconnect();
    if (event && event.code === CloseCode.Unauthorized) {
      this.stop();
      this.setStatus('auth');
      this.onAuthRequired();
      return;
    }
    this.fallBack();
  }

  /** The WebSocket failed: poll over HTTP, and try the WebSocket again later. */
  fallBack() {
    if (this.stopped) {
      return;
    }
    if (this.status !== 'offline') {
      this.setStatus('polling');
    }
    if (!this.waiting()) {
      this.pollAll();
    } else if (this.pollTimer === null) {
      this.pollTimer = setTimeout(() => this.pollAll(), this.waitUntil - Date.now());
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped && !this.client) {
        this.connect();
      }
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  async pollAll() {
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (this.stopped || this.acked) {
      return;
    }
    const results = await Promise.all(Array.from(this.watches.values()).map(w => this.pollOne(w)));
    if (this.stopped || this.acked) {
      return;
    }
    if (results.includes('auth')) {
      this.stop();
      this.setStatus('auth');
      this.onAuthRequired();
      return;
    }
    if (results.length > 0) {
      this.setStatus(results.every(r => r === 'unreachable') ? 'offline' : 'polling');
    }
    // the next round when the server allows it, and not sooner than the usual interval
    this.pollTimer = setTimeout(() => this.pollAll(), Math.max(POLL_MS, this.waitUntil - Date.now()));
  }

  async pollOne(w) {
    try {
      const result = await query('query ' + w.operation, w.variables);
      if (this.watches.get(w.key) === w && !this.acked) {
        this.delivered(w, result.data || null, result.errors);
      }
      return 'ok';
    } catch (e) {
      if (e instanceof AuthRequired) {
        return 'auth';
      }
      if (e instanceof AskedToWait) {
        this.askedToWait(e.seconds);
        return 'wait';
      }
      return 'unreachable';
    }
  }
}
