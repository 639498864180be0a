/*
 * The empty state: no source is configured, or none has read an event (or, for a token limited to some tenants,
 * nothing is visible). It says exactly how to point the server at the orchestrator's logs.
 */
import {byId, h, replace} from '../dom.js';
import * as fmt from '../format.js';

const COMMAND = 'dagscope serve \\\n'
  + '  --events /var/log/orch/orchestrator_events.jsonl \\\n'
  + '  --state  /var/log/orch/orchestrator_state.jsonl \\\n'
  + '  --schedules configs/schedules';
const ENVIRONMENT = 'export ORCH_EVENTS_PATH=/var/log/orch/orchestrator_events.jsonl\n'
  + 'export STATE_STORE_PATH=/var/log/orch/orchestrator_state.jsonl\n'
  + 'dagscope serve';
const CONFIG = '# dagscope.yaml, then: dagscope serve --config dagscope.yaml\n'
  + 'sources:\n'
  + '  - role: events\n'
  + '    location: /var/log/orch/orchestrator_events.jsonl*   # a file, or a glob of rotated files\n'
  + '  - role: state\n'
  + '    location: /var/log/orch/orchestrator_state.jsonl*\n'
  + 'schedules: configs/schedules';

const DOCS = [
  ['docs/server.md', 'flags, environment variables and endpoints of dagscope serve'],
  ['docs/configuration.md', 'the config file: many sources, S3, options'],
  ['docs/sources/jsonl.md', 'files, globs, rotation and gzip'],
  ['docs/dashboard.md', 'this dashboard'],
];

function copyButton(text) {
  const button = h('button.button.small', {type: 'button'}, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (e) {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => (button.textContent = 'Copy'), 2000);
  });
  return button;
}

function snippet(title, text) {
  return h('div.snippet', h('div.snippet-head', h('span', title), copyButton(text)), h('pre', text));
}

export class Empty {
  constructor() {
    this.el = byId('empty');
  }

  /**
   * @param {Array|null} sources the sources, or null when this token may not see them
   */
  show(sources) {
    const reading = sources && sources.length
      ? h('div.reading',
        h('h3', 'Reading now'),
        h('ul.locations', ...sources.map(s => h('li',
          h('span.health', {dataset: {healthy: String(s.healthy)}}, s.healthy ? 'Healthy' : 'Unhealthy'), ' ',
          h('strong', s.name), ' ', h('code', s.location), ' — ', fmt.count(s.eventsRead), ' events',
          s.error ? h('div.source-error', s.error) : null))),
        h('p.muted', 'A location that does not exist yet is fine: dagscope follows it and reads it as soon as '
          + 'lines arrive.'))
      : null;
    const lead = sources === null
      ? 'Nothing is visible to this token: no run or task of its tenants has been read. An admin token also shows '
        + 'which logs the server reads.'
      : sources.length === 0
        ? 'dagscope is running, but it has no logs to read: no --events or --state was given, and the default '
          + 'logs/orchestrator_events.jsonl and logs/orchestrator_state.jsonl do not exist here.'
        : 'dagscope is running, but it has not read a single event from its logs yet.';
    replace(this.el,
      h('div.empty-card',
        h('h2', {id: 'empty-title'}, 'No events yet'),
        h('p.lead', lead),
        reading,
        h('h3', 'Point dagscope at the orchestrator\'s logs'),
        h('p', 'The runner writes ', h('code', 'orchestrator_events.jsonl'), ' (', h('code', 'ORCH_EVENTS_PATH'),
          '), the scheduler ', h('code', 'orchestrator_state.jsonl'), ' (', h('code', 'STATE_STORE_PATH'),
          '). Give dagscope either of these, in one of three ways:'),
        h('div.snippets',
          snippet('1 · Flags', COMMAND),
          snippet('2 · The orchestrator\'s environment variables', ENVIRONMENT),
          snippet('3 · A config file', CONFIG)),
        h('p', 'Just trying it? ', h('code', 'dagscope demo'), ' generates realistic logs and serves them live.'),
        h('h3', 'More'),
        h('ul.doc-links',
          ...DOCS.map(([path, what]) => h('li', h('code', path), ' — ', what, ' (in the dagscope distribution)')),
          h('li', h('a', {href: 'health/ready'}, 'Readiness'), ' — whether every source is healthy'),
          h('li', h('a', {href: 'graphiql'}, 'GraphQL explorer'), ' — ask the API directly'))));
    this.el.hidden = false;
  }

  hide() {
    this.el.hidden = true;
  }
}
