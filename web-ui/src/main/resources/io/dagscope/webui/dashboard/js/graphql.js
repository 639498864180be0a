/*
 * Talking to dagscope's GraphQL API: queries over HTTP, and live answers through subscriptions over one WebSocket
 * (graphql-transport-ws). When the WebSocket cannot be used the same operations are polled over HTTP, and the
 * WebSocket is tried again from time to time. With authentication on, the token goes in the Authorization header and
 * in connection_init.
 */

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
 * Live answers for a set of named operations ("watches"). Each watch is an operation written without its keyword
 * (`Name($v: T) { field(...) { ... } }`): it runs as a subscription over the WebSocket, or as a query when polling.
 *
 * Status, as given to onStatus: 'connecting', 'live' (subscriptions), 'polling' (HTTP, the WebSocket failed),
 * 'offline' (nothing answers), 'auth' (a token is needed).
 */
export class Live {
  /**
   * @param {{onStatus: (status: string, lastUpdate: Date|null) => void, onAuthRequired: () => void}} callbacks
   */
  constructor({onStatus, onAuthRequired}) {
    this.onStatus = onStatus;
    this.onAuthRequired = onAuthRequired;
    this.watches = new Map();
    this.status = 'connecting';
    this.lastUpdate = null;
    this.socket = null;
    this.acked = false;
    this.seq = 0;
    this.pollTimer = null;
    this.retryTimer = null;
    this.retryDelay = RETRY_MIN_MS;
    this.stopped = true;
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
    if (this.socket) {
      const s = this.socket;
      this.socket = null;
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      try {
        s.close(1000, 'Normal Closure');
      } catch (e) {
        // already closed
      }
    }
    this.acked = false;
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
    const w = {key, operation, variables: variables || {}, handler, signature, id: null};
    this.watches.set(key, w);
    if (this.acked) {
      this.subscribe(w);
    } else if (this.status === 'polling' || this.status === 'offline') {
      this.pollOne(w);
    }
  }

  /** Stops a watch. */
  unwatch(key) {
    const w = this.watches.get(key);
    if (w) {
      this.cancel(w);
      this.watches.delete(key);
    }
  }

  cancel(w) {
    if (w.id && this.acked && this.socket) {
      this.send({id: w.id, type: 'complete'});
    }
    w.id = null;
    w.cancelled = true;
  }

  setStatus(status) {
    this.status = status;
    this.onStatus(status, this.lastUpdate);
  }

  delivered(w, data, errors) {
    if (w.cancelled) {
      return;
    }
    this.lastUpdate = new Date();
    this.onStatus(this.status, this.lastUpdate);
    w.handler(data, errors);
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  subscribe(w) {
    w.id = w.key + ':' + (++this.seq);
    w.cancelled = false;
    this.send({id: w.id, type: 'subscribe', payload: {query: 'subscription ' + w.operation, variables: w.variables}});
  }

  connect() {
    let socket;
    try {
      socket = new WebSocket(WS_URL, 'graphql-transport-ws');
    } catch (e) {
      this.fallBack();
      return;
    }
    this.socket = socket;
    this.acked = false;
    // a socket that neither opens nor fails (e.g. blocked on the way) must not keep the dashboard waiting
    const ackTimer = setTimeout(() => {
      if (!this.acked && this.socket === socket) {
        this.socket = null;
        socket.onclose = null;
        socket.onmessage = null;
        try {
          socket.close();
        } catch (e) {
          // not open: nothing to close
        }
        this.fallBack();
      }
    }, ACK_TIMEOUT_MS);
    socket.onopen = () => {
      const t = token.get();
      socket.send(JSON.stringify({type: 'connection_init', payload: t ? {Authorization: 'Bearer ' + t} : {}}));
    };
    socket.onmessage = event => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (message.type === 'connection_ack') {
        clearTimeout(ackTimer);
        this.acked = true;
        this.retryDelay = RETRY_MIN_MS;
        clearTimeout(this.pollTimer);
        this.pollTimer = null;
        this.setStatus('live');
        for (const w of this.watches.values()) {
          this.subscribe(w);
        }
      } else if (message.type === 'next' || message.type === 'error') {
        const w = this.byId(message.id);
        if (w) {
          if (message.type === 'next') {
            this.delivered(w, message.payload.data || null, message.payload.errors);
          } else {
            w.id = null;
            this.delivered(w, null, message.payload);
          }
        }
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({type: 'pong'}));
      }
    };
    socket.onclose = event => {
      clearTimeout(ackTimer);
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.acked = false;
      if (event.code === 4401) {
        this.stop();
        this.setStatus('auth');
        this.onAuthRequired();
        return;
      }
      this.fallBack();
    };
  }

  byId(id) {
    for (const w of this.watches.values()) {
      if (w.id === id) {
        return w;
      }
    }
    return null;
  }

  /** The WebSocket failed: poll over HTTP, and try the WebSocket again later. */
  fallBack() {
    if (this.stopped) {
      return;
    }
    if (this.status !== 'offline') {
      this.setStatus('polling');
    }
    this.pollAll();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped && !this.socket) {
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
    this.pollTimer = setTimeout(() => this.pollAll(), POLL_MS);
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
      return 'unreachable';
    }
  }
}
