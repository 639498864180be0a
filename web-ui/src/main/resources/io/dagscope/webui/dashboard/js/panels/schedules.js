/*
 * Schedules: cron in words and as written, last run and its status, next run with a live countdown, missed runs,
 * counts, and the outcomes of the recent runs as a strip. The tenant filter applies (schedules carry their tenant).
 */
import {byId, h, reconcile, setText} from '../dom.js';
import * as fmt from '../format.js';

const OUTCOME = {success: 'ok', failed: 'fail', retry: 'retry'};

/** How much a schedule needs a look: missed runs first, then a failing last run, then a retry. */
function attention(s) {
  return (s.missedRuns > 0 ? 4 : 0) + (s.error ? 4 : 0) + (s.lastStatus === 'failed' ? 2 : 0)
    + (s.lastStatus === 'retry' ? 1 : 0);
}

export class Schedules {
  constructor(ctx) {
    this.ctx = ctx;
    this.body = byId('schedules-body');
    this.sub = byId('schedules-sub');
    this.empty = byId('schedules-empty');
    this.all = [];
  }

  setSchedules(schedules) {
    this.all = schedules;
    this.render();
  }

  render() {
    const tenant = this.ctx.state.tenant;
    const shown = (tenant ? this.all.filter(s => s.tenant === tenant) : this.all.slice())
      .sort((a, b) => attention(b) - attention(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const now = this.ctx.now();
    reconcile(this.body, shown, s => s.id, () => this.createRow(), (row, s) => this.updateRow(row, s, now));
    this.empty.hidden = shown.length > 0;
    const missed = shown.reduce((n, s) => n + (s.missedRuns || 0), 0);
    const failing = shown.filter(s => s.lastStatus === 'failed').length;
    const parts = [fmt.count(shown.length) + (shown.length === 1 ? ' schedule' : ' schedules')];
    if (missed) {
      parts.push(fmt.count(missed) + ' missed ' + (missed === 1 ? 'run' : 'runs') + ' in the last '
        + fmt.windowLabel(this.ctx.windowHours()));
    }
    if (failing) {
      parts.push(failing + ' last failed');
    }
    setText(this.sub, parts.join(' · '));
  }

  createRow() {
    return h('tr.schedule-row',
      h('th', {scope: 'row'}, h('div.schedule-id'), h('div.schedule-meta.muted')),
      h('td', h('div.cron-words'), h('code.cron')),
      h('td', h('span.outcome-badge'), ' ', h('time')),
      h('td', h('div.countdown'), h('div.next-at.muted')),
      h('td.num.missed'),
      h('td.num.counts'),
      h('td.num.results', h('span.ok'), h('span.sep', ' / '), h('span.fail'), h('span.sep', ' / '), h('span.retry')),
      h('td.num.avg'),
      h('td', h('ol.strip', {'aria-label': 'Recent outcomes, oldest first'})));
  }

  updateRow(row, s, now) {
    const c = row.children;
    setText(c[0].querySelector('.schedule-id'), s.id);
    setText(c[0].querySelector('.schedule-meta'), [s.tenant, s.dagPath].filter(Boolean).join(' · '));
    row.dataset.enabled = String(s.enabled !== false);
    const words = c[1].querySelector('.cron-words');
    const cron = c[1].querySelector('.cron');
    if (s.error) {
      setText(words, 'cron not usable');
      words.title = s.error;
      words.className = 'cron-words fail';
    } else {
      setText(words, s.cron ? (s.cronDescription || s.cron) + (s.enabled === false ? ' (disabled)' : '')
        : 'no definition');
      words.title = s.cron ? '' : 'Known from the state log only: give the definitions with --schedules';
      words.className = 'cron-words' + (s.cron ? '' : ' muted');
    }
    setText(cron, s.cron || '');
    cron.hidden = !s.cron;

    const last = c[2].querySelector('.outcome-badge');
    last.dataset.outcome = OUTCOME[s.lastStatus] || 'none';
    setText(last, s.lastStatus || 'no run');
    const time = c[2].querySelector('time');
    time.dataset.at = s.lastRunAt || '';
    time.title = s.lastRunAt ? fmt.absolute(s.lastRunAt) : '';
    setText(time, s.lastRunAt ? fmt.relative(s.lastRunAt, now) : '');

    const countdown = c[3].querySelector('.countdown');
    countdown.dataset.at = s.nextRunAt || '';
    setText(countdown, s.nextRunAt ? fmt.countdown(s.nextRunAt, now) : s.enabled === false ? 'disabled' : '–');
    setText(c[3].querySelector('.next-at'), s.nextRunAt ? fmt.absolute(s.nextRunAt) : '');

    const missed = c[4];
    setText(missed, s.missedRuns === null || s.missedRuns === undefined ? '–' : fmt.count(s.missedRuns));
    missed.dataset.missed = String(s.missedRuns > 0);
    missed.title = s.missedRuns > 0 ? s.missedRuns + ' cron times in the window had no enqueue' : '';
    row.dataset.missed = String(s.missedRuns > 0);

    setText(c[5], fmt.count(s.enqueued) + ' / ' + fmt.count(s.started) + ' / ' + fmt.count(s.finished));
    const [ok, , fail, , retry] = c[6].children;
    setText(ok, fmt.count(s.succeeded));
    setText(fail, fmt.count(s.failed));
    setText(retry, fmt.count(s.retried));
    fail.classList.toggle('zero', s.failed === 0);
    retry.classList.toggle('zero', s.retried === 0);
    setText(c[7], fmt.duration(s.avgDurationSeconds));

    const strip = c[8].firstChild;
    const key = JSON.stringify(s.recentOutcomes);
    if (strip.dataset.key !== key) {
      strip.dataset.key = key;
      const tally = {};
      for (const o of s.recentOutcomes) {
        tally[o.status] = (tally[o.status] || 0) + 1;
      }
      strip.setAttribute('aria-label', s.recentOutcomes.length ? 'Recent outcomes, oldest first: '
        + Object.entries(tally).map(([status, n]) => n + ' ' + status).join(', ') : 'No outcome yet');
      strip.replaceChildren(...s.recentOutcomes.map(o => h('li', {
        dataset: {outcome: OUTCOME[o.status] || 'none'},
        title: o.status + ' · ' + fmt.absolute(o.at) + (o.durationSeconds !== null ? ' · '
          + fmt.duration(o.durationSeconds) : ''),
      })));
    }
  }

  /** Counts down to the next runs and refreshes the relative times. */
  tick(now) {
    for (const el of this.body.querySelectorAll('.countdown[data-at]')) {
      if (el.dataset.at) {
        setText(el, fmt.countdown(el.dataset.at, now));
      }
    }
    for (const el of this.body.querySelectorAll('time[data-at]')) {
      if (el.dataset.at) {
        setText(el, fmt.relative(el.dataset.at, now));
      }
    }
  }
}
