/*
 * Failures: the window's failed tasks grouped by error signature, with count, first and last seen, the DAGs and
 * tenants affected, and a link that opens the run of the latest failure.
 */
import {byId, h, reconcile, setText} from '../dom.js';
import * as fmt from '../format.js';

export class Failures {
  constructor(ctx) {
    this.ctx = ctx;
    this.list = byId('failure-list');
    this.sub = byId('failures-sub');
    this.empty = byId('failures-empty');
    this.list.addEventListener('click', e => {
      const link = e.target.closest('a.open-run');
      if (link && !(e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1)) {
        e.preventDefault();
        ctx.openRun(link.dataset.run, link);
      }
    });
  }

  setGroups(groups) {
    const now = this.ctx.now();
    reconcile(this.list, groups, g => g.signature, () => this.createItem(), (li, g) => this.updateItem(li, g, now));
    this.empty.hidden = groups.length > 0;
    const total = groups.reduce((n, g) => n + g.count, 0);
    setText(this.sub, groups.length ? fmt.count(total) + ' failed ' + (total === 1 ? 'task' : 'tasks') + ' · '
      + groups.length + (groups.length === 1 ? ' signature' : ' signatures') : 'by error signature');
  }

  createItem() {
    return h('li.failure',
      h('div.failure-count'),
      h('div.failure-main',
        h('div.failure-signature'),
        h('div.failure-meta.muted',
          h('span.seen'), ' · ', h('span.where')),
        h('details.failure-example', h('summary', 'Latest error'), h('pre.error-text')),
        h('div.failure-actions')));
  }

  updateItem(li, g, now) {
    setText(li.querySelector('.failure-count'), fmt.count(g.count));
    const sig = li.querySelector('.failure-signature');
    setText(sig, fmt.firstLine(g.signature) || g.signature);
    sig.title = g.signature;
    const seen = li.querySelector('.seen');
    setText(seen, g.count === 1 ? 'at ' + fmt.relative(g.lastSeen, now) : 'first ' + fmt.relative(g.firstSeen, now)
      + ', last ' + fmt.relative(g.lastSeen, now));
    seen.title = fmt.absolute(g.firstSeen) + ' → ' + fmt.absolute(g.lastSeen);
    setText(li.querySelector('.where'), list(g.dags, 'DAG') + ' · ' + list(g.tenants, 'tenant'));
    li.querySelector('.where').title = 'DAGs: ' + g.dags.join(', ') + '\nTenants: ' + g.tenants.join(', ');
    setText(li.querySelector('.failure-example pre'), g.exampleError);
    // the link is changed in place, so that a focused link keeps the focus when the latest run changes
    const actions = li.querySelector('.failure-actions');
    let link = actions.querySelector('a.open-run');
    let gone = actions.querySelector('.no-run');
    if (g.exampleRunId) {
      if (gone) {
        gone.remove();
      }
      if (!link) {
        link = h('a.open-run', 'Open the latest run', h('span.muted.task'));
        actions.append(link);
      }
      delete link.dataset.leaving;
      link.href = this.ctx.runHref(g.exampleRunId);
      link.dataset.run = g.exampleRunId;
      setText(link.querySelector('.task'), ' (task ' + g.exampleTaskId + ')');
    } else {
      if (link && link !== document.activeElement) {
        link.remove();
      } else if (link && link.dataset.leaving === undefined) {
        const focused = link;
        focused.dataset.leaving = ''; // the focused link stays until the focus leaves it
        focused.addEventListener('blur', () => {
          if (focused.dataset.leaving !== undefined) {
            focused.remove();
          }
        }, {once: true});
      }
      if (!gone) {
        gone = h('span.muted.no-run');
        actions.append(gone);
      }
      setText(gone, 'The latest run (task ' + g.exampleTaskId + ') is no longer kept');
    }
  }
}

function list(values, noun) {
  if (values.length === 0) {
    return 'no ' + noun;
  }
  if (values.length <= 2) {
    return values.join(', ');
  }
  return values.slice(0, 2).join(', ') + ' +' + (values.length - 2) + ' ' + noun + 's';
}
