/*
 * Data quality: each source's location, events read, lines skipped by reason, last event and health; and what
 * makes the data incomplete (a source unhealthy, lagging or skipping lines), which every panel then warns about.
 * Sources need an admin token: a token limited to some tenants sees a note instead.
 */
import {byId, h, replace, setText} from '../dom.js';
import * as fmt from '../format.js';

/**
 * @returns {string|null} why the data is incomplete, in one line, or null when it is complete
 */
export function incompleteness(sources) {
  const problems = [];
  for (const s of sources) {
    if (!s.healthy) {
      problems.push(s.name + ' is unhealthy');
    }
    if (s.linesSkipped > 0) {
      problems.push(s.name + ' skipped ' + fmt.count(s.linesSkipped) + (s.linesSkipped === 1 ? ' line' : ' lines'));
    }
    const lag = [];
    if (s.lagBytes > 0) {
      lag.push(fmt.count(s.lagBytes) + ' bytes');
    }
    if (s.lagObjects > 0) {
      lag.push(fmt.count(s.lagObjects) + (s.lagObjects === 1 ? ' object' : ' objects'));
    }
    if (lag.length) {
      problems.push(s.name + ' has ' + lag.join(' and ') + ' not read yet');
    }
  }
  return problems.length ? problems.join('; ') : null;
}

export class Quality {
  constructor(ctx) {
    this.ctx = ctx;
    this.body = byId('quality-body');
    this.sub = byId('quality-sub');
    this.sources = null;
    this.forbidden = false;
  }

  setForbidden() {
    this.forbidden = true;
    this.sources = null;
    setText(this.sub, 'needs an admin token');
    replace(this.body, h('p.muted.note-block', 'What each source has read, and whether it is healthy, covers every '
      + 'tenant: it is shown to an admin token only. This token sees its tenants\' runs and tasks everywhere else.'));
  }

  setSources(sources) {
    this.forbidden = false;
    this.sources = sources;
    const now = this.ctx.now();
    const healthy = sources.filter(s => s.healthy).length;
    setText(this.sub, sources.length ? healthy + ' of ' + sources.length + ' healthy' : 'no sources');
    replace(this.body, ...sources.map(s => this.source(s, now)));
  }

  source(s, now) {
    const skipped = s.skippedByReason.filter(r => r.count > 0);
    const lag = [s.lagBytes > 0 ? fmt.count(s.lagBytes) + ' bytes' : null,
      s.lagObjects > 0 ? fmt.count(s.lagObjects) + ' objects' : null].filter(Boolean).join(', ');
    return h('article.source', {dataset: {healthy: String(s.healthy), source: s.name}},
      h('header.source-head',
        h('span.health', {dataset: {healthy: String(s.healthy)}}, s.healthy ? 'Healthy' : 'Unhealthy'),
        h('h3.source-name', s.name), h('span.tag', s.kind)),
      h('code.location', {title: s.location}, s.location),
      s.error ? h('p.source-error', s.error) : null,
      h('dl.source-facts',
        h('div', h('dt', 'Events read'), h('dd', fmt.count(s.eventsRead))),
        h('div', h('dt', 'Lines skipped'), h('dd', {class: s.linesSkipped ? 'warn' : ''},
          fmt.count(s.linesSkipped))),
        h('div', h('dt', 'Ignored'), h('dd', {title: 'Event types dagscope does not use, such as resume_token'},
          fmt.count(s.ignored))),
        h('div', h('dt', 'Last event'), h('dd', s.lastEventAt ? h('time', {dateTime: s.lastEventAt,
          title: fmt.absolute(s.lastEventAt)}, fmt.relative(s.lastEventAt, now)) : '–')),
        h('div', h('dt', 'Not read yet'), h('dd', {class: lag ? 'warn' : ''}, lag || 'nothing'))),
      skipped.length ? h('ul.skips', ...skipped.map(r => h('li', h('span.skip-reason', r.reason), ' ',
        h('span.skip-count', fmt.count(r.count))))) : null);
  }

  /** @returns {string|null} why the data is incomplete, when it is and the sources can be seen */
  incomplete() {
    return this.sources ? incompleteness(this.sources) : null;
  }
}
