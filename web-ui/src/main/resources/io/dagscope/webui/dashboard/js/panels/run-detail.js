/*
 * One run, in a dialog: its facts, its full error, a timeline (Gantt) of its tasks with their attempts, retries,
 * errors and checkpoint waits, and the same as a table.
 */
import {byId, h, replace, scrollableByKeyboard, setText} from '../dom.js';
import * as fmt from '../format.js';
import {Chart, base, clipRect, escapeHtml, timeAxis} from '../charts.js';
import {badge, isStale} from './runs.js';

const KIND = {
  ok: {label: 'succeeded', color: 'ok'},
  fail: {label: 'failed', color: 'fail'},
  retry: {label: 'failed, retried', color: 'retry'},
  run: {label: 'running', color: 'run'},
  wait: {label: 'waiting for approval', color: 'pause'},
  approved: {label: 'approved after waiting', color: 'pause'},
};

/** The bars of the timeline: one per attempt of each task, and one per checkpoint wait. */
export function segments(run, nowMs) {
  const out = [];
  const runEnd = run.endedAt ? fmt.millis(run.endedAt) : nowMs;
  run.tasks.forEach((task, row) => {
    const end = task.endedAt ? fmt.millis(task.endedAt) : Math.max(runEnd, nowMs);
    const start = task.startedAt ? fmt.millis(task.startedAt) : end;
    let from = start;
    let attempt = 1;
    for (const retry of task.retries) {
      const at = fmt.millis(retry.at);
      out.push({row, task, from, to: at, kind: 'retry', attempt: retry.attempt || attempt, error: retry.error});
      from = at;
      attempt = (retry.attempt || attempt) + 1;
    }
    let kind;
    if (task.checkpoint) {
      kind = task.status === 'SUCCEEDED' ? 'approved' : task.status === 'FAILED' ? 'fail' : 'wait';
    } else {
      kind = task.status === 'SUCCEEDED' ? 'ok' : task.status === 'FAILED' ? 'fail'
        : task.status === 'PAUSED' ? 'wait' : 'run';
    }
    out.push({row, task, from, to: task.endedAt || task.status === 'RUNNING' || task.status === 'PAUSED' ? end : from,
      kind, attempt: task.checkpoint ? null : task.attempts || attempt, error: task.status === 'FAILED' ? task.error
        : null, open: !task.endedAt});
  });
  return out;
}

function timeline(model, c) {
  const {run, segs, now} = model;
  const starts = segs.map(s => s.from);
  const ends = segs.map(s => s.to);
  let min = Math.min(fmt.millis(run.startedAt), ...starts);
  let max = Math.max(run.endedAt ? fmt.millis(run.endedAt) : now, ...ends);
  if (max - min < 1000) {
    max = min + 1000;
  }
  const pad = (max - min) * 0.02;
  min -= pad;
  max += pad;
  const ids = run.tasks.map(t => t.taskId);
  return Object.assign(base(c), {
    animation: false,
    legend: {show: false},
    grid: {left: 8, right: 16, top: 8, bottom: 4, containLabel: true},
    tooltip: Object.assign(base(c).tooltip, {
      trigger: 'item',
      formatter: p => {
        const s = segs[p.dataIndex];
        const k = KIND[s.kind];
        let html = '<div class="tip-title">' + escapeHtml(s.task.taskId) + '</div>'
          + '<div class="tip-row"><span class="tip-dot dot-' + k.color + '"></span><span class="tip-label">'
          + escapeHtml(s.task.checkpoint ? 'Checkpoint ' + k.label : (s.attempt ? 'Attempt ' + s.attempt + ' '
            : '') + k.label) + '</span><span class="tip-value">' + escapeHtml(fmt.duration((s.to - s.from) / 1000)
            + (s.open ? '…' : '')) + '</span></div>'
          + '<div class="tip-sub">' + escapeHtml(fmt.absolute(new Date(s.from).toISOString()).slice(11) + ' → '
            + (s.open ? 'now' : fmt.absolute(new Date(s.to).toISOString()).slice(11))) + '</div>';
        if (s.error) {
          html += '<div class="tip-error">' + escapeHtml(fmt.firstLine(s.error)).slice(0, 400) + '</div>';
        }
        return html;
      },
    }),
    xAxis: Object.assign(timeAxis(c, min, max), {position: 'top', splitLine: {show: true,
      lineStyle: {color: c.grid}}}),
    yAxis: {
      type: 'category', data: ids, inverse: true,
      axisLine: {show: false}, axisTick: {show: false},
      axisLabel: {color: c.text, width: 180, overflow: 'truncate', fontSize: 12},
      splitLine: {show: true, lineStyle: {color: c.grid, opacity: 0.5}},
    },
    series: [{
      type: 'custom',
      id: 'attempts',
      encode: {x: [1, 2], y: 0},
      data: segs.map(s => [s.row, s.from, s.to, s.kind]),
      renderItem: (params, api) => {
        const s = segs[params.dataIndex];
        const y = api.value(0);
        const a = api.coord([api.value(1), y]);
        const b = api.coord([api.value(2), y]);
        const height = Math.min(api.size([0, 1])[1] * 0.58, 22);
        const width = Math.max(b[0] - a[0] - (s.kind === 'retry' ? 1.5 : 0), 3);
        const rect = clipRect({x: a[0], y: a[1] - height / 2, width, height},
          {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height});
        if (!rect) {
          return null;
        }
        const color = c[KIND[s.kind].color];
        const hollow = s.kind === 'wait' || s.kind === 'approved';
        return {
          type: 'rect',
          shape: Object.assign(rect, {r: 3}),
          style: hollow ? {fill: color, opacity: 0.35, stroke: color, lineWidth: 1.5, lineDash: s.kind === 'wait'
            ? [4, 3] : null} : {fill: color, opacity: s.open ? 0.7 : 1},
        };
      },
    }],
  });
}

export class RunDetail {
  constructor(ctx) {
    this.ctx = ctx;
    this.dialog = byId('run-dialog');
    this.title = byId('run-title');
    this.status = byId('run-status');
    this.body = byId('run-body');
    this.chart = null;
    this.trigger = null;
    this.id = null;
    byId('run-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      const id = this.id;
      if (id) {
        this.id = null;
        this.teardown();
        ctx.closeRun();
        this.restoreFocus(id);
      }
    });
    // a click on the backdrop (outside the drawer) closes it
    this.dialog.addEventListener('click', e => {
      if (e.target === this.dialog) {
        this.dialog.close();
      }
    });
  }

  /** Opens the dialog for a run (its data arrives with show()). */
  open(id, trigger) {
    if (this.id === id && this.dialog.open) {
      return;
    }
    this.teardown();
    this.id = id;
    this.trigger = trigger || document.activeElement;
    setText(this.title, 'Run');
    replace(this.status);
    replace(this.body, h('p.muted.loading', 'Loading the run…'));
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
    byId('run-close').focus();
  }

  /** Closes the dialog (e.g. on Back), without touching the URL. */
  close() {
    if (this.dialog.open) {
      const id = this.id;
      this.id = null;
      this.dialog.close();
      this.teardown();
      this.restoreFocus(id);
    }
  }

  restoreFocus(id) {
    const link = id && document.querySelector('#runs-body tr[data-key="' + CSS.escape(id) + '"] a');
    const target = link || this.trigger;
    if (target && document.contains(target)) {
      target.focus();
    }
  }

  teardown() {
    if (this.chart) {
      this.chart.dispose();
      this.chart = null;
    }
    this.rendered = null;
  }

  /** Shows (or updates) the run's data; null when no such run is visible. */
  show(run) {
    if (!this.dialog.open) {
      return;
    }
    if (!run) {
      this.teardown();
      setText(this.title, 'Run not found');
      replace(this.status);
      replace(this.body, h('p', 'No run with the id ', h('code', this.id), ' is visible: it may have been dropped by '
        + 'retention (--retain-days, --retain-runs), or belong to a tenant this token may not see.'));
      return;
    }
    const now = this.ctx.now();
    setText(this.title, run.dagName);
    replace(this.status, badge(run.status, isStale(run, now, this.ctx.state.staleHours)));
    if (this.rendered !== run.id) {
      this.rendered = run.id;
      this.build();
    }
    this.fill(run, now);
  }

  build() {
    this.facts = h('dl.facts');
    this.errorBox = h('div.run-error');
    this.chartEl = h('div.gantt', {role: 'img', 'aria-label': 'Timeline of the run\'s tasks; the table below has '
      + 'the same'});
    this.legend = h('ul.gantt-legend', {'aria-hidden': 'true'},
      ...Object.entries({ok: 'succeeded', retry: 'failed attempt, retried', fail: 'failed', run: 'running',
        pause: 'checkpoint wait'}).map(([k, label]) => h('li', h('span.tip-dot.dot-' + k), label)));
    this.tasksBody = h('tbody');
    const tasksWrap = h('div.table-wrap', {role: 'region', 'aria-label': 'Tasks, table'}, h('table.table.tasks-table',
      h('thead', h('tr', h('th', {scope: 'col'}, 'Task'), h('th', {scope: 'col'}, 'Status'),
        h('th.num', {scope: 'col'}, 'Attempts'), h('th', {scope: 'col'}, 'Started'),
        h('th.num', {scope: 'col'}, 'Duration'), h('th', {scope: 'col'}, 'Error'))),
      this.tasksBody));
    replace(this.body,
      this.facts,
      this.errorBox,
      h('section.run-section', {'aria-label': 'Timeline'}, h('h3', 'Timeline'), this.legend, this.chartEl),
      h('section.run-section', {'aria-label': 'Tasks'}, h('h3', 'Tasks'), tasksWrap));
    scrollableByKeyboard(tasksWrap);
    this.chart = new Chart(this.chartEl, timeline);
  }

  fill(run, now) {
    const executed = run.tasks.length;
    const planned = run.taskCount;
    const fact = (term, ...value) => h('div', h('dt', term), h('dd', ...value));
    replace(this.facts,
      fact('Tenant', run.tenant),
      fact('Started', h('time', {dateTime: run.startedAt, title: fmt.relative(run.startedAt, now)},
        fmt.absolute(run.startedAt))),
      fact('Ended', run.endedAt ? fmt.absolute(run.endedAt) : h('span.muted', 'not yet')),
      fact('Duration', run.durationSeconds !== null ? fmt.duration(run.durationSeconds)
        : h('span.muted', fmt.duration((now - fmt.millis(run.startedAt)) / 1000) + ' so far')),
      fact('Tasks', h('span', {dataset: {planned: planned === null ? '' : planned, executed}},
        planned === null ? executed + ' executed (no planned count in the log)'
          : executed + ' of ' + planned + ' planned executed'
          + (executed < planned ? ' · ' + (planned - executed) + ' never started' : ''))),
      fact('Outcomes', h('span.ok', run.tasksSucceeded + ' succeeded'), ' · ',
        h('span', {class: run.tasksFailed ? 'fail' : ''}, run.tasksFailed + ' failed'), ' · ',
        h('span', {class: run.tasksRetried ? 'retry' : ''}, run.tasksRetried + ' retried')),
      fact('Last event', h('time', {dateTime: run.lastEventAt}, fmt.absolute(run.lastEventAt))),
      fact('Run id', h('code.run-id', run.id), run.inferred ? h('span.muted', ' (inferred: the log has no run id)')
        : null));
    if (run.error) {
      replace(this.errorBox, h('h3', 'Error'), h('pre.error-text', run.error));
      this.errorBox.hidden = false;
    } else {
      replace(this.errorBox);
      this.errorBox.hidden = true;
    }
    const segs = segments(run, now);
    this.chartEl.style.height = Math.max(120, run.tasks.length * 34 + 44) + 'px';
    this.chart.set({run, segs, now});
    // keep the errors the user opened open across live updates
    const open = new Set(Array.from(this.tasksBody.querySelectorAll('tr:has(details[open])'))
      .map(tr => tr.dataset.task));
    replace(this.tasksBody, ...run.tasks.map(task => this.taskRow(task, now)));
    for (const tr of this.tasksBody.children) {
      if (open.has(tr.dataset.task)) {
        const details = tr.querySelector('details');
        if (details) {
          details.open = true;
        }
      }
    }
  }

  taskRow(task, now) {
    const errors = [];
    for (const r of task.retries) {
      errors.push(h('li', h('span.muted', 'attempt ' + (r.attempt || '?') + ' at '
        + fmt.absolute(r.at).slice(11) + ': '), h('pre.error-text.inline', r.error || '(no error given)')));
    }
    const first = fmt.firstLine(task.error);
    const errorCell = h('td.error-cell');
    if (task.error && (task.error.trim() !== first || errors.length)) {
      errorCell.append(h('details', h('summary', first || 'retries'),
        task.error ? h('pre.error-text', task.error) : null,
        errors.length ? h('ol.retry-list', ...errors) : null));
    } else if (errors.length) {
      errorCell.append(h('details', h('summary', errors.length + ' retried'), h('ol.retry-list', ...errors)));
    } else {
      errorCell.append(first);
    }
    return h('tr', {dataset: {task: task.taskId, status: task.status}},
      h('th.task-id', {scope: 'row'}, task.taskId, task.checkpoint ? h('span.tag', 'checkpoint') : null),
      h('td', badge(task.status, false)),
      h('td.num', task.checkpoint ? '–' : String(task.attempts)),
      h('td', task.startedAt ? h('time', {dateTime: task.startedAt, title: fmt.absolute(task.startedAt)},
        fmt.absolute(task.startedAt).slice(11, 19)) : '–'),
      h('td.num', task.durationSeconds !== null ? fmt.duration(task.durationSeconds)
        : task.startedAt && !task.endedAt ? fmt.duration((now - fmt.millis(task.startedAt)) / 1000) + '…' : '–'),
      errorCell);
  }
}
