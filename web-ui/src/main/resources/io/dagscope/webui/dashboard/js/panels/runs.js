/*
 * Recent runs, newest first, a page at a time (cursors), filtered by status and by the header's tenant and DAG.
 * A click on a row, or Enter on its DAG link, opens the run.
 */
import {announce, byId, h, reconcile, setText} from '../dom.js';
import * as fmt from '../format.js';
import {STATUSES} from '../state.js';

export const PAGE_SIZE = 25;

/**
 * A status badge. A running or paused run with no event for longer than the stale time is shown as stale.
 * @returns {HTMLElement}
 */
export function badge(status, stale) {
  const shown = stale ? 'STALE' : status;
  return h('span.badge', {dataset: {status: shown}, title: stale ? fmt.STATUS_LABEL[status] + ', but no event for '
    + 'longer than the stale time' : undefined}, fmt.STATUS_LABEL[shown] || shown);
}

/** Updates a badge made by badge(). */
export function updateBadge(el, status, stale) {
  const shown = stale ? 'STALE' : status;
  el.dataset.status = shown;
  el.title = stale ? fmt.STATUS_LABEL[status] + ', but no event for longer than the stale time' : '';
  setText(el, fmt.STATUS_LABEL[shown] || shown);
}

/** @returns {boolean} whether an open run has had no event for longer than the stale time */
export function isStale(run, nowMs, staleHours) {
  return (run.status === 'RUNNING' || run.status === 'PAUSED')
    && nowMs - fmt.millis(run.lastEventAt) > staleHours * 3600 * 1000;
}

export class Runs {
  constructor(ctx) {
    this.ctx = ctx;
    this.body = byId('runs-body');
    this.sub = byId('runs-sub');
    this.empty = byId('runs-empty');
    this.pageLabel = byId('runs-page');
    this.newer = byId('runs-newer');
    this.older = byId('runs-older');
    this.chips = byId('status-filter');
    this.pages = [null];
    this.page = null;
    this.filterKey = null;

    for (const status of STATUSES) {
      const chip = h('button.chip', {type: 'button', dataset: {status}, 'aria-pressed': 'false'},
        h('span.chip-dot', {'aria-hidden': 'true'}), fmt.STATUS_LABEL[status]);
      chip.addEventListener('click', () => {
        const current = new Set(ctx.state.statuses);
        if (current.has(status)) {
          current.delete(status);
        } else {
          current.add(status);
        }
        ctx.setState({statuses: STATUSES.filter(s => current.has(s))});
      });
      this.chips.append(chip);
    }
    // at either end a pager button is marked aria-disabled, not disabled: a disabled button would drop the focus
    this.newer.addEventListener('click', () => this.go(-1));
    this.older.addEventListener('click', () => this.go(+1));
    this.turned = false;
    this.body.addEventListener('click', e => {
      const row = e.target.closest('tr[data-key]');
      if (!row || e.target.closest('a') && (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1)) {
        return; // let the browser open the link in a new tab
      }
      e.preventDefault();
      ctx.openRun(row.dataset.key, row.querySelector('a'));
    });
  }

  /** The variables of the runs watch; a change of filters goes back to the first page. */
  variables() {
    const s = this.ctx.state;
    const filter = {tenant: s.tenant, dagName: s.dag, statuses: s.statuses.length ? s.statuses : null};
    const key = JSON.stringify(filter);
    if (key !== this.filterKey) {
      this.filterKey = key;
      this.pages = [null];
      this.index = 0;
    }
    return {first: PAGE_SIZE, after: this.pages[this.index || 0], filter};
  }

  go(step) {
    if ((step < 0 ? this.newer : this.older).getAttribute('aria-disabled') === 'true') {
      return;
    }
    const next = (this.index || 0) + step;
    if (next < 0 || (step > 0 && !(this.page && this.page.pageInfo.hasNextPage))) {
      return;
    }
    if (step > 0) {
      this.pages[next] = this.page.pageInfo.endCursor;
    }
    this.index = next;
    this.turned = true;
    this.ctx.refreshRuns();
  }

  syncChips() {
    for (const chip of this.chips.children) {
      chip.setAttribute('aria-pressed', String(this.ctx.state.statuses.includes(chip.dataset.status)));
    }
  }

  setPage(page) {
    this.page = page;
    const now = this.ctx.now();
    const stale = this.ctx.state.staleHours;
    const runs = page.edges.map(e => e.node);
    reconcile(this.body, runs, r => r.id, r => this.createRow(r), (row, r) => this.updateRow(row, r, now, stale));
    this.empty.hidden = runs.length > 0;
    const from = (this.index || 0) * PAGE_SIZE;
    setText(this.sub, fmt.count(page.totalCount) + (page.totalCount === 1 ? ' run' : ' runs')
      + (this.ctx.state.statuses.length || this.ctx.state.tenant || this.ctx.state.dag ? ' match' : ''));
    setText(this.pageLabel, runs.length ? (from + 1) + '–' + (from + runs.length) + ' of '
      + fmt.count(page.totalCount) : '');
    this.newer.setAttribute('aria-disabled', String((this.index || 0) === 0));
    this.older.setAttribute('aria-disabled', String(!page.pageInfo.hasNextPage));
    if (this.turned) {
      this.turned = false;
      announce('Runs ' + this.pageLabel.textContent);
    }
  }

  createRow(run) {
    const link = h('a.run-link', {href: this.ctx.runHref(run.id)});
    const row = h('tr.run-row',
      h('td', badge(run.status, false)),
      h('td.dag', link),
      h('td.tenant'),
      h('td.started', h('time')),
      h('td.num.duration'),
      h('td.num.tasks', h('span.ok'), h('span.sep', ' / '), h('span.fail'), h('span.sep', ' / '), h('span.retry')),
      h('td.error'));
    return row;
  }

  updateRow(row, run, now, staleHours) {
    const cells = row.children;
    updateBadge(cells[0].firstChild, run.status, isStale(run, now, staleHours));
    const link = cells[1].firstChild;
    setText(link, run.dagName);
    link.href = this.ctx.runHref(run.id);
    link.setAttribute('aria-label', 'Open run of ' + run.dagName + ' started ' + fmt.absolute(run.startedAt));
    setText(cells[2], run.tenant);
    const time = cells[3].firstChild;
    time.dateTime = run.startedAt;
    time.title = fmt.absolute(run.startedAt);
    time.dataset.at = run.startedAt;
    setText(time, fmt.relative(run.startedAt, now));
    if (run.durationSeconds !== null) {
      setText(cells[4], fmt.duration(run.durationSeconds));
      cells[4].classList.remove('muted');
      cells[4].title = '';
    } else {
      setText(cells[4], fmt.duration((now - fmt.millis(run.startedAt)) / 1000) + '…');
      cells[4].classList.add('muted');
      cells[4].title = 'Still open: time since it started';
    }
    const [ok, , fail, , retry] = cells[5].children;
    setText(ok, run.tasksSucceeded);
    setText(fail, run.tasksFailed);
    setText(retry, run.tasksRetried);
    fail.classList.toggle('zero', run.tasksFailed === 0);
    retry.classList.toggle('zero', run.tasksRetried === 0);
    const line = fmt.firstLine(run.error);
    setText(cells[6], line);
    cells[6].title = line;
    row.dataset.status = run.status;
  }

  /** Refreshes the relative times. */
  tick(now) {
    for (const time of this.body.querySelectorAll('time[data-at]')) {
      setText(time, fmt.relative(time.dataset.at, now));
    }
  }
}
