/*
 * The KPI tiles: the window's task figures, each with its change against the previous window of the same length,
 * and the runs running, paused and stale now.
 */
import {byId, h, setText} from '../dom.js';
import * as fmt from '../format.js';

/**
 * Each window tile: its key, label, how to read its value from TaskStats, how to show it, and which direction is
 * bad ('up' for failures, 'none' for volume).
 */
const WINDOW_TILES = [
  {key: 'succeeded', label: 'Succeeded', value: s => s.succeeded, show: fmt.count, bad: 'none'},
  {key: 'failed', label: 'Failed', value: s => s.failed, show: fmt.count, bad: 'up'},
  {key: 'retried', label: 'Retried', value: s => s.retried, show: fmt.count, bad: 'up'},
  {key: 'errorRate', label: 'Error rate', value: s => s.errorRate, show: fmt.percent, bad: 'up', points: true},
  {key: 'avgDuration', label: 'Avg duration', value: s => s.avgDurationSeconds, show: fmt.duration, bad: 'up'},
  {key: 'p95Duration', label: 'p95 duration', value: s => s.p95DurationSeconds, show: fmt.duration, bad: 'up'},
];

const NOW_TILES = [
  {key: 'running', label: 'Running', value: c => c.running},
  {key: 'paused', label: 'Paused', value: c => c.paused, hint: 'waiting for approval'},
  {key: 'stale', label: 'Stale', value: c => c.stale},
];

export class Kpis {
  constructor(ctx) {
    this.ctx = ctx;
    this.sub = byId('kpis-sub');
    const tiles = byId('tiles');
    this.tiles = {};
    this.taskLabel = h('div.group-label', 'Tasks');
    const tasks = h('div.group-tiles');
    const runs = h('div.group-tiles');
    tiles.append(h('div.tile-group.task-tiles', this.taskLabel, tasks),
      h('div.tile-group.run-tiles', h('div.group-label', 'Runs · now'), runs));
    for (const t of WINDOW_TILES.concat(NOW_TILES)) {
      const value = h('div.tile-value', {text: '–'});
      const note = h('div.tile-note', {text: ' '});
      const el = h('div.tile', {dataset: {kpi: t.key}}, h('div.tile-label', {text: t.label}), value, note);
      (WINDOW_TILES.includes(t) ? tasks : runs).append(el);
      this.tiles[t.key] = {el, value, note};
    }
    this.current = null;
    this.previous = null;
    this.counts = null;
  }

  setSummary(summary) {
    this.current = summary;
    this.render();
  }

  setPrevious(summary) {
    this.previous = summary;
    this.render();
  }

  setCounts(counts) {
    this.counts = counts;
    this.render();
  }

  render() {
    const hours = this.ctx.windowHours();
    const label = fmt.windowLabel(hours);
    if (this.current) {
      setText(this.sub, fmt.absolute(this.current.windowStart).replace(' UTC', '') + ' → '
        + fmt.absolute(this.current.windowEnd) + ' · changes against the previous ' + label);
      setText(this.taskLabel, 'Tasks · last ' + label);
      const stats = this.current.window;
      const before = this.previous && this.previous.windowEnd === this.current.windowStart ? this.previous.window
        : null;
      for (const t of WINDOW_TILES) {
        const tile = this.tiles[t.key];
        const v = t.value(stats);
        setText(tile.value, t.show(v));
        this.renderDelta(tile, t, v, before ? t.value(before) : undefined);
      }
      this.tiles.failed.el.dataset.level = stats.failed > 0 ? 'bad' : 'ok';
      this.tiles.errorRate.el.dataset.level = stats.errorRate >= 0.05 ? 'bad' : stats.errorRate > 0 ? 'warn' : 'ok';
      this.tiles.retried.el.dataset.level = stats.retried > 0 ? 'warn' : 'ok';
    }
    if (this.counts) {
      const stale = this.ctx.state.staleHours;
      for (const t of NOW_TILES) {
        const tile = this.tiles[t.key];
        setText(tile.value, fmt.count(t.value(this.counts)));
      }
      setText(this.tiles.running.note, 'active within ' + fmt.windowLabel(stale));
      setText(this.tiles.paused.note, 'waiting for approval');
      setText(this.tiles.stale.note, 'silent > ' + fmt.windowLabel(stale));
      this.tiles.stale.el.title = 'Running or paused, but no event for longer than ' + fmt.windowLabel(stale)
        + ' (a crashed runner, a rejected approval); change it in the settings (⚙)';
      this.tiles.stale.el.dataset.level = this.counts.stale > 0 ? 'stale' : 'ok';
      this.tiles.paused.el.dataset.level = this.counts.paused > 0 ? 'info' : 'ok';
      this.tiles.running.el.dataset.level = this.counts.running > 0 ? 'run' : 'ok';
    }
  }

  renderDelta(tile, t, now, before) {
    const note = tile.note;
    note.className = 'tile-note';
    if (before === undefined) {
      setText(note, ' ');
      return;
    }
    if (now === null || before === null) {
      setText(note, before === null && now !== null ? 'no data before' : ' ');
      return;
    }
    const diff = now - before;
    if (Math.abs(diff) < 1e-12) {
      setText(note, '= same as before');
      note.classList.add('flat');
      return;
    }
    const arrow = diff > 0 ? '▲' : '▼';
    let text;
    if (t.points) {
      text = arrow + ' ' + (Math.abs(diff) * 100).toFixed(2) + ' pp';
    } else if (t.show === fmt.count) {
      text = arrow + ' ' + fmt.count(Math.abs(diff)) + (before > 0 ? ' (' + pct(diff / before) + ')' : ' (from 0)');
    } else {
      text = arrow + ' ' + fmt.duration(Math.abs(diff)) + (before > 0 ? ' (' + pct(diff / before) + ')' : '');
    }
    setText(note, text);
    if (t.bad === 'up') {
      note.classList.add(diff > 0 ? 'worse' : 'better');
    } else {
      note.classList.add('flat');
    }
  }
}

function pct(ratio) {
  const p = Math.abs(ratio * 100);
  return (ratio > 0 ? '+' : '−') + (p >= 100 ? Math.round(p) : p.toFixed(p >= 10 ? 0 : 1)) + ' %';
}
