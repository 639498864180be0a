/*
 * The header: the window, the tenant and DAG filters, the live indicator, the age of the newest event, and the
 * settings (stale time, forgetting the token).
 */
import {byId, h, setText} from '../dom.js';
import * as fmt from '../format.js';
import {WINDOWS} from '../state.js';
import {token} from '../graphql.js';

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling',
  offline: 'Disconnected',
  auth: 'Needs a token',
};

const LIVE_TITLE = {
  connecting: 'Connecting to the server',
  live: 'Live: the server pushes every change through a GraphQL subscription (WebSocket)',
  polling: 'The WebSocket is unavailable: asking the server every 5 seconds, and trying the WebSocket again',
  offline: 'The server does not answer: retrying',
  auth: 'The server needs a valid token',
};

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
    this.freshness = byId('freshness');
    this.staleInput = byId('stale-hours');
    this.forget = byId('forget-token');
    this.defaultHours = null;
    this.status = 'connecting';
    this.lastUpdate = null;
    this.newestEventAt = null;

    this.tenantSelect.addEventListener('change', () => ctx.setState({tenant: this.tenantSelect.value || null}));
    this.dagSelect.addEventListener('change', () => ctx.setState({dag: this.dagSelect.value || null}));
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

  renderWindows() {
    const state = this.ctx.state;
    const choices = Object.entries(WINDOWS).map(([key, hours]) => ({key, hours}));
    const defaultKey = choices.find(c => c.hours === this.defaultHours);
    if (this.defaultHours !== null && !defaultKey) {
      choices.push({key: '', hours: this.defaultHours});
      choices.sort((a, b) => a.hours - b.hours);
    }
    const selected = state.window || (defaultKey ? defaultKey.key : '');
    const legend = this.windowChoice.querySelector('legend');
    this.windowChoice.replaceChildren(legend);
    for (const c of choices) {
      const id = 'window-' + (c.key || 'default');
      const isDefault = c.hours === this.defaultHours;
      const input = h('input', {type: 'radio', name: 'window', id, value: c.key, checked: c.key === selected});
      input.addEventListener('change', () => {
        if (input.checked) {
          // the server's default window is left out of the URL, so a link follows the server's setting
          this.ctx.setState({window: isDefault ? null : c.key || null});
        }
      });
      this.windowChoice.append(input, h('label', {for: id, title: isDefault ? 'The server\'s default window'
        : undefined}, fmt.windowLabel(c.hours)));
    }
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
    select.value = current || '';
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

  setStatus(status, lastUpdate) {
    this.status = status;
    this.lastUpdate = lastUpdate;
    this.live.dataset.status = status;
    this.live.title = LIVE_TITLE[status] || '';
    this.renderLive();
  }

  renderLive() {
    let text = LIVE_TEXT[this.status] || this.status;
    if (this.lastUpdate && this.status !== 'connecting') {
      text += ' · updated ' + this.lastUpdate.toISOString().slice(11, 19) + ' UTC';
    }
    setText(this.liveText, text);
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
