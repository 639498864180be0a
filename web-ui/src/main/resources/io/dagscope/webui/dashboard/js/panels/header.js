/*
 * The header: the window, the tenant and DAG filters, the live indicator, pausing the updates, the age of the newest
 * event, and the settings (stale time, forgetting the token).
 */
import {announce, byId, h, setText} from '../dom.js';
import * as fmt from '../format.js';
import {WINDOWS} from '../state.js';
import {token} from '../graphql.js';

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling',
  offline: 'Disconnected',
  auth: 'Needs a token',
  paused: 'Paused',
};

const LIVE_TITLE = {
  connecting: 'Connecting to the server',
  live: 'Live: the server pushes every change through a GraphQL subscription (WebSocket)',
  polling: 'The WebSocket is unavailable: asking the server every 5 seconds, and trying the WebSocket again',
  offline: 'The server does not answer: retrying',
  auth: 'The server needs a valid token',
  paused: 'Paused: the page holds still; the updates that arrive meanwhile are shown on resume',
};

/** The keys that step a closed select's choice (and, in most browsers, fire change at each step). */
const STEP_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);

export class Header {
  /**
   * @param {object} ctx the dashboard (state, setState, now)
   */
  constructor(ctx) {
    this.ctx = ctx;
    this.windowChoice = byId('window-choice');
    this.tenantSelect = byId('tenant-filter');
    this.dagSelect = byId('dag-filter');
    this.live = byId('live');
    this.liveText = this.live.querySelector('.live-text');
    this.liveDetail = this.live.querySelector('.live-detail');
    this.pauseButton = byId('pause');
    this.freshness = byId('freshness');
    this.staleInput = byId('stale-hours');
    this.forget = byId('forget-token');
    this.defaultHours = null;
    this.state = {status: 'connecting', lastUpdate: null, paused: false, held: 0, waitSeconds: null};
    this.settledStatus = null;
    this.newestEventAt = null;
    this.windowsKey = null;

    this.filter(this.tenantSelect, value => ctx.setState({tenant: value || null}));
    this.filter(this.dagSelect, value => ctx.setState({dag: value || null}));
    this.pauseButton.addEventListener('click', () => ctx.setPaused(this.pauseButton.getAttribute('aria-pressed')
      !== 'true'));
    this.staleInput.addEventListener('change', () => {
      const v = Number(this.staleInput.value);
      if (v > 0 && v <= 8760) {
        ctx.setState({staleHours: v});
      } else {
        this.staleInput.value = String(ctx.state.staleHours);
      }
    });
    this.forget.addEventListener('click', () => {
      token.clear();
      location.reload();
    });
    const settings = byId('settings');
    document.addEventListener('click', e => {
      if (settings.open && !settings.contains(e.target)) {
        settings.open = false;
      }
    });
    settings.addEventListener('keydown', e => {
      if (e.key === 'Escape' && settings.open) {
        settings.open = false;
        settings.querySelector('summary').focus();
      }
    });
    this.renderWindows();
  }

  /** The server's default window length, from windowOf without arguments. */
  setDefaultHours(hours) {
    if (this.defaultHours !== hours) {
      this.defaultHours = hours;
      this.renderWindows();
    }
  }

  /**
   * Shows the window choices. The radios are made again only when the choices change (the server's default window
   * arrived); otherwise the chosen one is checked in place, so the focus stays where the arrow keys put it.
   */
  renderWindows() {
    const state = this.ctx.state;
    const choices = Object.entries(WINDOWS).map(([key, hours]) => ({key, hours}));
    const defaultKey = choices.find(c => c.hours === this.defaultHours);
    if (this.defaultHours !== null && !defaultKey) {
      choices.push({key: '', hours: this.defaultHours});
      choices.sort((a, b) => a.hours - b.hours);
    }
    const selected = state.window || (defaultKey ? defaultKey.key : '');
    const key = JSON.stringify([choices, this.defaultHours]);
    if (key !== this.windowsKey) {
      this.windowsKey = key;
      const focused = this.windowChoice.contains(document.activeElement) ? document.activeElement.id : null;
      const legend = this.windowChoice.querySelector('legend');
      this.windowChoice.replaceChildren(legend);
      for (const c of choices) {
        const id = 'window-' + (c.key || 'default');
        const isDefault = c.hours === this.defaultHours;
        const input = h('input', {type: 'radio', name: 'window', id, value: c.key});
        input.addEventListener('change', () => {
          if (input.checked) {
            // the server's default window is left out of the URL, so a link follows the server's setting
            this.ctx.setState({window: isDefault ? null : c.key || null});
          }
        });
        this.windowChoice.append(input, h('label', {for: id, title: isDefault ? 'The server\'s default window'
          : undefined}, fmt.windowLabel(c.hours)));
      }
      const again = focused && document.getElementById(focused);
      if (again) {
        again.focus({preventScroll: true});
      }
    }
    for (const input of this.windowChoice.querySelectorAll('input')) {
      input.checked = input.value === selected;
    }
  }

  /**
   * Makes a select a filter that applies when chosen: a pick with the pointer at once, Enter, or leaving the select;
   * not each arrow step through a closed select, which would reload the dashboard at every step.
   */
  filter(select, apply) {
    let stepping = false;
    const commit = () => {
      delete select.dataset.pending;
      if (select.value !== select.dataset.applied) {
        select.dataset.applied = select.value;
        apply(select.value);
      }
    };
    select.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        commit();
      } else if (STEP_KEYS.has(e.key) || e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        stepping = true;
      }
    });
    select.addEventListener('keyup', () => {
      stepping = false;
    });
    select.addEventListener('pointerdown', () => {
      stepping = false;
    });
    select.addEventListener('change', () => {
      if (stepping) {
        select.dataset.pending = ''; // shown, not applied yet: Enter or leaving applies it
      } else {
        commit();
      }
    });
    select.addEventListener('blur', () => {
      if (select.dataset.pending !== undefined) {
        commit();
      }
    });
  }

  /** Fills a filter's options, keeping the current choice even when it has no data (yet). */
  setOptions(select, values, current, allLabel) {
    const wanted = values.slice();
    if (current && !wanted.includes(current)) {
      wanted.unshift(current);
    }
    const existing = Array.from(select.options).slice(1).map(o => o.value);
    if (existing.length !== wanted.length || existing.some((v, i) => v !== wanted[i])) {
      select.replaceChildren(h('option', {value: ''}, allLabel),
        ...wanted.map(v => h('option', {value: v}, v)));
    }
    if (select.dataset.pending === undefined) {
      select.value = current || '';
    }
    select.dataset.applied = current || '';
  }

  setTenants(tenants) {
    this.tenants = tenants;
    this.setOptions(this.tenantSelect, tenants, this.ctx.state.tenant, 'All tenants');
  }

  setDags(dags) {
    this.dags = dags;
    this.setOptions(this.dagSelect, dags, this.ctx.state.dag, 'All DAGs');
  }

  /** Shows the state's choices (after a change or Back). */
  sync() {
    const state = this.ctx.state;
    this.renderWindows();
    this.setOptions(this.tenantSelect, this.tenants || [], state.tenant, 'All tenants');
    this.setOptions(this.dagSelect, this.dags || [], state.dag, 'All DAGs');
    this.staleInput.value = String(state.staleHours);
    this.forget.hidden = !token.get();
  }

  /**
   * Shows the live indicator's state: the connection, whether paused (and how many updates wait), and when the
   * server asked to wait. It is no live region: a screen reader hears only a change of connection, once settled.
   * @param {import('../graphql.js').LiveState} state
   */
  setStatus(state) {
    this.state = state;
    const shown = state.paused ? 'paused' : state.status;
    this.live.dataset.status = shown;
    this.live.dataset.waiting = String(state.waitSeconds !== null);
    this.live.title = state.waitSeconds !== null && !state.paused ? 'The server asked the dashboard to wait '
      + state.waitSeconds + ' s before asking again (its rate budget for this caller is spent for now); the figures '
      + 'shown stay as they are meanwhile' : LIVE_TITLE[shown] || '';
    this.pauseButton.setAttribute('aria-pressed', String(state.paused));
    this.renderLive();
    if (state.status !== 'connecting' && state.status !== this.settledStatus) {
      if (this.settledStatus !== null) {
        announce('Connection: ' + (LIVE_TEXT[state.status] || state.status));
      }
      this.settledStatus = state.status;
    }
  }

  renderLive() {
    const state = this.state;
    const shown = state.paused ? 'paused' : state.status;
    let detail = '';
    if (state.paused) {
      detail = state.held ? ' · ' + state.held + (state.held === 1 ? ' update waiting' : ' updates waiting') : '';
    } else if (state.waitSeconds !== null) {
      detail = ' · the server asked to wait ' + state.waitSeconds + ' s';
    } else if (state.lastUpdate && state.status !== 'connecting') {
      detail = ' · updated ' + state.lastUpdate.toISOString().slice(11, 19) + ' UTC';
    }
    setText(this.liveText, LIVE_TEXT[shown] || shown);
    setText(this.liveDetail, detail);
  }

  /** The newest event's time (sources' lastEventAt, or the newest run's). */
  setNewestEvent(iso, fromSources) {
    this.newestEventAt = iso;
    this.freshness.title = fromSources ? 'The newest event read from the logs: ' + fmt.absolute(iso)
      : 'The newest run\'s latest event (sources need an admin token): ' + fmt.absolute(iso);
    this.tick(this.ctx.now());
  }

  tick(nowMs) {
    if (!this.newestEventAt) {
      setText(this.freshness, '');
      return;
    }
    const age = (nowMs - fmt.millis(this.newestEventAt)) / 1000;
    this.freshness.dataset.age = age > 3600 ? 'old' : age > 900 ? 'aging' : 'fresh';
    setText(this.freshness, 'Newest event ' + fmt.relative(this.newestEventAt, nowMs));
  }
}
