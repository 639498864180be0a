/*
 * The dashboard: wires the panels to live GraphQL answers and keeps the user's choices in the URL.
 */
import * as Q from './queries.js';
import * as url from './state.js';
import {Live, isForbidden, token} from './graphql.js';
import {announce, byId, h, replace, scrollableByKeyboard, setText} from './dom.js';
import * as fmt from './format.js';
import {Header} from './panels/header.js';
import {Kpis} from './panels/kpis.js';
import {Trends} from './panels/trends.js';
import {Runs} from './panels/runs.js';
import {RunDetail} from './panels/run-detail.js';
import {Schedules} from './panels/schedules.js';
import {Tenants} from './panels/tenants.js';
import {Failures} from './panels/failures.js';
import {Quality} from './panels/quality.js';
import {Empty} from './panels/empty.js';

const dashboard = byId('dashboard');
const verdict = byId('verdict');
for (const wrap of dashboard.querySelectorAll('.table-wrap')) {
  scrollableByKeyboard(wrap);
}

// what Tab or a link scrolls to must land below the sticky header (scroll-padding-top in dashboard.css)
const topbar = document.querySelector('.topbar');
function measureHeader() {
  const sticky = getComputedStyle(topbar).position === 'sticky';
  document.documentElement.style.setProperty('--header-height', (sticky ? topbar.offsetHeight : 0) + 'px');
}
new ResizeObserver(measureHeader).observe(topbar);
matchMedia('(max-width: 760px), (max-height: 560px)').addEventListener('change', measureHeader);

const ctx = {
  state: url.read(),
  defaultHours: null,
  summary: null,
  counts: null,
  failures: null,
  schedules: null,
  sources: undefined, // undefined: not known yet; null: this token may not see them
  tenants: null,
  dags: null,
  clock: null,

  /** @returns {number} the server's "now" in epoch ms: its clock (or --end) as of the last answer, moving on */
  now() {
    return this.clock ? this.clock.asOf + (performance.now() - this.clock.at) : Date.now();
  },

  /** @returns {number|null} the window's length in hours */
  windowHours() {
    if (this.state.window) {
      return url.WINDOWS[this.state.window];
    }
    if (this.summary) {
      return (fmt.millis(this.summary.windowEnd) - fmt.millis(this.summary.windowStart)) / 3600000;
    }
    return this.defaultHours;
  },

  /** Changes the state, writes it into the URL and updates what is watched. */
  setState(patch, push) {
    Object.assign(this.state, patch);
    url.write(this.state, push);
    sync();
  },

  openRun(id, trigger) {
    this.setState({run: id}, true);
    detail.open(id, trigger);
    watchRun();
  },

  closeRun() {
    if (this.state.run) {
      this.setState({run: null}, true);
    }
  },

  /** @returns {string} the link that opens a run (the current view, with the run open) */
  runHref(id) {
    const p = new URLSearchParams(location.search);
    p.set('run', id);
    return '?' + p.toString();
  },

  refreshRuns() {
    live.watch('runs', Q.RUNS, runs.variables(), handler('runs', data => runs.setPage(data.dagRuns)));
  },

  /** Pauses every update of the page (live answers and moving times), or resumes them. */
  setPaused(paused) {
    if (paused) {
      live.pause();
    } else {
      live.resume();
      tickSeconds();
      tickMinutes();
    }
  },
};

const header = new Header(ctx);
const kpis = new Kpis(ctx);
const trends = new Trends(ctx);
const runs = new Runs(ctx);
const detail = new RunDetail(ctx);
const schedules = new Schedules(ctx);
const tenants = new Tenants(ctx);
const failures = new Failures(ctx);
const quality = new Quality(ctx);
const empty = new Empty();

const live = new Live({
  onStatus: state => header.setStatus(state),
  onAuthRequired: askForToken,
});

/** Wraps a panel's update: shows a GraphQL error on the panel instead of throwing it away. */
function handler(panel, update) {
  return (data, errors) => {
    const section = panel ? document.getElementById(panel) : null;
    if (data && Object.values(data).every(v => v !== null || panel === 'run')) {
      if (section) {
        section.dataset.error = '';
      }
      update(data);
    } else if (section && errors) {
      section.dataset.error = errors.map(e => e.message).join('; ');
    }
    if (section) {
      showNote(section);
    }
  };
}

function windowInput() {
  return ctx.state.window ? {hours: url.WINDOWS[ctx.state.window]} : null;
}

/** (Re)watches every panel with the current choices; unchanged watches are left alone. */
function sync() {
  const s = ctx.state;
  header.sync();
  runs.syncChips();
  const w = windowInput();
  const filter = {tenant: s.tenant, dag: s.dag};
  live.watch('default-window', Q.DEFAULT_WINDOW, {}, handler(null, data => {
    ctx.defaultHours = data.windowOf.hours;
    header.setDefaultHours(data.windowOf.hours);
  }));
  live.watch('summary', Q.SUMMARY, Object.assign({window: w}, filter), handler('kpis', data => {
    ctx.summary = data.taskSummary;
    kpis.setSummary(data.taskSummary);
    watchPrevious();
    renderVerdict();
  }));
  watchPrevious();
  live.watch('run-counts', Q.RUN_COUNTS, Object.assign({stale: s.staleHours}, filter), handler('kpis', data => {
    ctx.counts = data.runCounts;
    ctx.clock = {asOf: fmt.millis(data.runCounts.asOf), at: performance.now()};
    kpis.setCounts(data.runCounts);
    renderVerdict();
  }));
  live.watch('series', Q.SERIES, Object.assign({window: w}, filter), handler('outcomes', data => {
    trends.setSeries(data.taskSeries);
  }));
  ctx.refreshRuns();
  live.watch('tenant-load', Q.TENANT_LOAD, {window: w}, handler('tenants', data => tenants.setLoad(data.tenantLoad)));
  live.watch('schedules', Q.SCHEDULES, {window: w}, handler('schedules', data => {
    ctx.schedules = data.schedules;
    schedules.setSchedules(data.schedules);
    renderVerdict();
  }));
  live.watch('failures', Q.FAILURES, Object.assign({window: w}, filter), handler('failures', data => {
    ctx.failures = data.failures;
    failures.setGroups(data.failures);
    renderVerdict();
  }));
  live.watch('sources', Q.SOURCES, {}, (data, errors) => {
    if (data && data.sources) {
      ctx.sources = data.sources;
      quality.setSources(data.sources);
      live.unwatch('newest-run');
      const newest = data.sources.map(x => x.lastEventAt).filter(Boolean).sort().pop();
      header.setNewestEvent(newest || null, true);
    } else if (isForbidden(errors)) {
      ctx.sources = null;
      quality.setForbidden();
      live.watch('newest-run', Q.NEWEST_RUN, {}, handler(null, d => {
        const edge = d.dagRuns.edges[0];
        header.setNewestEvent(edge ? edge.node.lastEventAt : null, false);
      }));
    }
    renderEmpty();
    showNotes();
  });
  live.watch('tenants', Q.TENANTS, {}, handler(null, data => {
    ctx.tenants = data.tenants;
    header.setTenants(data.tenants);
    renderEmpty();
  }));
  live.watch('dag-names', Q.DAG_NAMES, {}, handler(null, data => {
    ctx.dags = data.dagNames;
    header.setDags(data.dagNames);
    renderEmpty();
  }));
  watchRun();
  // what depends on choices made in the page (tenant for schedules, stale time for badges) follows at once
  if (ctx.schedules) {
    schedules.render();
  }
  if (runs.page) {
    runs.setPage(runs.page);
  }
  kpis.render();
}

/** The previous window of the same length, ending where this one starts, for the tiles' changes. */
function watchPrevious() {
  const s = ctx.state;
  if (!ctx.summary) {
    return;
  }
  const hours = (fmt.millis(ctx.summary.windowEnd) - fmt.millis(ctx.summary.windowStart)) / 3600000;
  live.watch('previous-summary', Q.PREVIOUS_SUMMARY, {window: {hours, end: ctx.summary.windowStart},
    tenant: s.tenant, dag: s.dag}, handler(null, data => kpis.setPrevious(data.taskSummary)));
}

function watchRun() {
  const id = ctx.state.run;
  if (id) {
    if (!detail.dialog.open || detail.id !== id) {
      detail.open(id, null);
    }
    live.watch('run', Q.RUN, {id}, handler('run', data => detail.show(data.dagRun)));
  } else {
    live.unwatch('run');
    detail.close();
  }
}

/** Shows the empty state when there is nothing to show, and the dashboard otherwise. */
function renderEmpty() {
  let isEmpty = false;
  if (Array.isArray(ctx.sources)) {
    isEmpty = ctx.sources.length === 0 || ctx.sources.every(x => x.eventsRead === 0);
  } else if (ctx.sources === null && ctx.tenants && ctx.dags) {
    isEmpty = ctx.tenants.length === 0 && ctx.dags.length === 0;
  }
  document.body.dataset.empty = String(isEmpty);
  if (isEmpty) {
    empty.show(ctx.sources);
    showContent();
  } else {
    empty.hide();
  }
  dashboard.hidden = isEmpty;
  verdict.hidden = isEmpty;
}

/** Every panel says when its data may be incomplete (or when it could not be loaded). */
function showNotes() {
  for (const section of dashboard.querySelectorAll('.panel')) {
    showNote(section);
  }
}

function showNote(section) {
  const note = section.querySelector('.panel-note');
  if (!note) {
    return;
  }
  const error = section.dataset.error;
  const incomplete = quality.incomplete();
  const key = (error || '') + '|' + (incomplete || '');
  if (note.dataset.key === key) {
    return;
  }
  note.dataset.key = key;
  if (error) {
    note.dataset.kind = 'error';
    replace(note, h('strong', 'Could not load: '), error);
  } else if (incomplete) {
    note.dataset.kind = 'incomplete';
    replace(note, h('strong', 'Data may be incomplete: '), incomplete + '. ',
      section.id === 'quality' ? null : h('a', {href: '#quality'}, 'Data quality'));
  }
  note.hidden = !error && !incomplete;
}

const verdictIcon = h('span.verdict-icon', {'aria-hidden': 'true'});
const verdictText = h('span.verdict-text');
const verdictScope = h('span.verdict-scope');
const verdictLink = h('a.verdict-link', {href: '#failures'}, 'Failures');
verdict.append(verdictIcon, verdictText, verdictScope, verdictLink);
// the link is hidden only once the focus has left it, never under the user's hands
verdictLink.addEventListener('blur', () => {
  verdictLink.hidden = verdict.dataset.level !== 'bad';
});
let verdictNews = null;
let verdictWaited = false;
let verdictTimer = null;

/**
 * One line that answers "is anything wrong, where, since when". It is updated in place; screen readers are told
 * (through the one live region) only when its news changes: the level, or a count of failures, stale, missed or
 * waiting runs, not the times that move on.
 */
function renderVerdict() {
  if (!ctx.summary) {
    return;
  }
  // the first time, all at once (the layout shifts once, not at each answer), or as it is after a while
  if (!verdict.dataset.level && !(ctx.counts && ctx.schedules && ctx.failures) && !verdictWaited) {
    if (verdictTimer === null) {
      verdictTimer = setTimeout(() => {
        verdictWaited = true;
        renderVerdict();
      }, 3000);
    }
    return;
  }
  const now = ctx.now();
  const stats = ctx.summary.window;
  const label = fmt.windowLabel(ctx.windowHours());
  const parts = [];
  let level = 'ok';
  let where = '';
  if (stats.failed > 0) {
    level = 'bad';
    if (ctx.failures && ctx.failures.length) {
      const latest = ctx.failures.reduce((a, b) => (a.lastSeen > b.lastSeen ? a : b));
      const first = ctx.failures.reduce((a, b) => (a.firstSeen < b.firstSeen ? a : b));
      const dags = new Set(ctx.failures.flatMap(g => g.dags));
      const tenants = new Set(ctx.failures.flatMap(g => g.tenants));
      where = ' in ' + few(dags, 'DAG') + ' (' + few(tenants, 'tenant') + ') · since '
        + fmt.relative(first.firstSeen, now).replace(/ ago$/, '') + ', latest ' + fmt.relative(latest.lastSeen, now);
    }
    parts.push(fmt.count(stats.failed) + (stats.failed === 1 ? ' task failed' : ' tasks failed') + ' in the last '
      + label + ' (' + fmt.percent(stats.errorRate) + ')');
  }
  if (ctx.counts && ctx.counts.stale > 0) {
    level = level === 'bad' ? level : 'warn';
    parts.push(fmt.count(ctx.counts.stale) + (ctx.counts.stale === 1 ? ' stale run' : ' stale runs'));
  }
  const shownSchedules = ctx.schedules ? ctx.schedules.filter(x => !ctx.state.tenant || x.tenant === ctx.state.tenant)
    : [];
  const missed = shownSchedules.reduce((n, x) => n + (x.missedRuns || 0), 0);
  if (missed > 0) {
    level = level === 'bad' ? level : 'warn';
    parts.push(fmt.count(missed) + (missed === 1 ? ' missed scheduled run' : ' missed scheduled runs'));
  }
  if (ctx.counts && ctx.counts.paused > 0) {
    parts.push(fmt.count(ctx.counts.paused) + (ctx.counts.paused === 1 ? ' run waits' : ' runs wait')
      + ' for approval');
  }
  if (level === 'ok') {
    parts.unshift('All clear: no task failed in the last ' + label);
  }
  const scope = [ctx.state.tenant, ctx.state.dag].filter(Boolean).join(' · ');
  verdict.dataset.level = level;
  setText(verdictIcon, level === 'ok' ? '✓' : '!');
  // where and since when: on a phone left out (dashboard.css), so that the line stays short
  const shown = JSON.stringify([parts, where]);
  if (verdictText.dataset.shown !== shown) {
    verdictText.dataset.shown = shown;
    replace(verdictText, parts[0], where ? h('span.verdict-where', where) : null,
      parts.length > 1 ? ' · ' + parts.slice(1).join(' · ') : null);
  }
  setText(verdictScope, scope);
  verdictScope.hidden = !scope;
  if (level === 'bad' || document.activeElement !== verdictLink) {
    verdictLink.hidden = level !== 'bad';
  }
  // news is told only against a baseline of the same view: what the user just chose is not news
  const view = JSON.stringify([label, scope, ctx.state.staleHours]);
  const news = ctx.counts && ctx.schedules ? JSON.stringify([level, stats.failed, ctx.counts.stale, missed,
    ctx.counts.paused]) : null;
  showContent();
  if (news !== null && verdictNews !== null && verdictNews.view === view && verdictNews.news !== news) {
    announce(parts.join(' · '));
  }
  verdictNews = news === null ? null : {view, news};
}

/** @returns {string} a few names of a set: 'a, b', 'a, b +3 DAGs' */
function few(values, noun) {
  const list = Array.from(values).sort();
  return list.length <= 2 ? list.join(', ') : list.slice(0, 2).join(', ') + ' +' + (list.length - 2) + ' '
    + noun + (list.length - 2 === 1 ? '' : 's');
}

function askForToken() {
  const dialog = byId('token-dialog');
  const input = byId('token-input');
  const reason = byId('token-reason');
  if (token.get()) {
    replace(reason, 'The server did not accept that token. Paste a valid one; it is kept for this tab only.');
    token.clear();
  }
  if (!dialog.open) {
    dialog.showModal();
  }
  input.value = '';
  input.focus();
}

byId('token-form').addEventListener('submit', e => {
  e.preventDefault();
  const value = byId('token-input').value.trim();
  if (!value) {
    return;
  }
  token.set(value);
  byId('token-dialog').close();
  header.sync();
  live.start();
});
byId('token-dialog').addEventListener('cancel', e => e.preventDefault()); // nothing to show without a token

window.addEventListener('popstate', () => {
  ctx.state = url.read();
  sync();
});

/** Moves the times on (ages, countdowns): each second, unless the user paused the page. */
function tickSeconds() {
  if (live.paused) {
    return;
  }
  const now = ctx.now();
  header.tick(now);
  schedules.tick(now);
}

/** The relative times of the runs and the verdict: each 15 seconds, unless paused. */
function tickMinutes() {
  if (live.paused) {
    return;
  }
  runs.tick(ctx.now());
  renderVerdict();
}

setInterval(tickSeconds, 1000);
setInterval(tickMinutes, 15000);

/**
 * Shows the page's content: once the verdict (the first answers) or the empty state is there, or after a few seconds
 * whatever has arrived; before, nothing is shown that the answers would move.
 */
function showContent() {
  document.body.dataset.ready = '';
}
setTimeout(showContent, 3000);

sync();
live.start();
