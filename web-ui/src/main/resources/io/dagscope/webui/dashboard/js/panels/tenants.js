/*
 * Tenants: each tenant's load in the window, sortable by any column, with a bar of its share of the tasks.
 */
import {byId, h, reconcile, setText} from '../dom.js';
import * as fmt from '../format.js';

const COLUMNS = [
  {key: 'tenant', label: 'Tenant', text: true},
  {key: 'runs', label: 'Runs', show: fmt.count},
  {key: 'tasks', label: 'Tasks', show: fmt.count},
  {key: 'errorRate', label: 'Error rate', show: fmt.percent},
  {key: 'avgLatencySeconds', label: 'Avg', show: fmt.duration},
  {key: 'p95LatencySeconds', label: 'p95', show: fmt.duration},
  {key: 'share', label: 'Share of tasks', bar: true},
];

export class Tenants {
  constructor(ctx) {
    this.ctx = ctx;
    this.head = byId('tenants-head');
    this.body = byId('tenants-body');
    this.sub = byId('tenants-sub');
    this.empty = byId('tenants-empty');
    this.rows = [];
    this.sort = {key: 'runs', descending: true};
    this.buttons = {};
    for (const col of COLUMNS) {
      const th = h('th', {scope: 'col', class: col.text || col.bar ? '' : 'num'});
      const button = h('button.sort', {type: 'button'}, col.label, h('span.sort-mark', {'aria-hidden': 'true'}));
      button.addEventListener('click', () => this.sortBy(col.key));
      th.append(button);
      this.head.append(th);
      this.buttons[col.key] = {th, button};
    }
    this.markSort();
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? {key, descending: !this.sort.descending}
      : {key, descending: key !== 'tenant'};
    this.markSort();
    this.render();
  }

  markSort() {
    for (const [key, {th, button}] of Object.entries(this.buttons)) {
      const on = key === this.sort.key;
      th.setAttribute('aria-sort', on ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      setText(button.querySelector('.sort-mark'), on ? (this.sort.descending ? ' ↓' : ' ↑') : '');
    }
  }

  setLoad(load) {
    this.rows = load;
    this.render();
  }

  render() {
    const total = this.rows.reduce((n, r) => n + r.tasks, 0);
    const rows = this.rows.map(r => Object.assign({share: total ? r.tasks / total : 0}, r));
    const {key, descending} = this.sort;
    rows.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      let d;
      if (x === null || y === null) {
        d = x === y ? 0 : x === null ? 1 : -1; // absent values last, whichever the direction
        return d !== 0 ? d : a.tenant.localeCompare(b.tenant);
      }
      d = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return (descending ? -d : d) || a.tenant.localeCompare(b.tenant);
    });
    const selected = this.ctx.state.tenant;
    reconcile(this.body, rows, r => r.tenant, () => this.createRow(), (row, r) => {
      const c = row.children;
      const pick = c[0].firstChild;
      setText(pick, r.tenant);
      pick.dataset.tenant = r.tenant;
      pick.title = r.tenant === selected ? 'Show every tenant' : 'Show only ' + r.tenant;
      setText(c[1], fmt.count(r.runs));
      setText(c[2], fmt.count(r.tasks));
      setText(c[3], fmt.percent(r.errorRate));
      c[3].dataset.level = r.errorRate >= 0.05 ? 'bad' : r.errorRate > 0 ? 'warn' : 'ok';
      setText(c[4], fmt.duration(r.avgLatencySeconds));
      setText(c[5], fmt.duration(r.p95LatencySeconds));
      const bar = c[6].querySelector('.share-fill');
      bar.style.width = (r.share * 100).toFixed(1) + '%';
      setText(c[6].querySelector('.share-text'), (r.share * 100).toFixed(1) + ' %');
      row.classList.toggle('selected', r.tenant === selected);
    });
    this.empty.hidden = rows.length > 0;
    setText(this.sub, fmt.count(rows.length) + (rows.length === 1 ? ' tenant' : ' tenants') + ' · last '
      + fmt.windowLabel(this.ctx.windowHours()) + (selected ? ' · the tenant filter is highlighted' : ''));
  }

  createRow() {
    return h('tr',
      h('th.tenant', {scope: 'row'}, h('button.link-button', {type: 'button', on: {click: e => {
        const tenant = e.currentTarget.dataset.tenant;
        this.ctx.setState({tenant: this.ctx.state.tenant === tenant ? null : tenant});
      }}})),
      h('td.num'), h('td.num'), h('td.num'), h('td.num'), h('td.num'),
      h('td.share', h('div.share-track', h('div.share-fill')), h('span.share-text.muted')));
  }
}
