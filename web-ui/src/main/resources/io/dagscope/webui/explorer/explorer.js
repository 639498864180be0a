/*
 * dagscope's GraphQL explorer: GraphiQL with a fetcher that sends queries to /graphql over HTTP and subscriptions
 * over WebSocket (graphql-transport-ws). Headers typed in GraphiQL's header editor (e.g. {"Authorization": "Bearer
 * ..."}) go with every request, and into connection_init for subscriptions; they are not stored by the browser.
 */
(function () {
  'use strict';

  var httpUrl = new URL('graphql', document.baseURI).toString();
  var wsUrl = httpUrl.replace(/^http/, 'ws');

  /** The type of the operation a request runs: 'query', 'mutation' or 'subscription'. */
  function operationType(query, operationName) {
    var text = String(query)
      .replace(/"""[\s\S]*?"""/g, '""')
      .replace(/"(?:\\.|[^"\\])*"/g, '""')
      .replace(/#[^\n\r]*/g, '');
    var pattern = /(^|[\s}])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/g;
    var match;
    var first = null;
    while ((match = pattern.exec(text)) !== null) {
      if (first === null) {
        first = match[2];
      }
      if (operationName && match[3] === operationName) {
        return match[2];
      }
    }
    return first || 'query';
  }

  function postQuery(params, headers) {
    return fetch(httpUrl, {
      method: 'POST',
      headers: Object.assign({'Content-Type': 'application/json', 'Accept': 'application/json'}, headers),
      body: JSON.stringify(params)
    }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return {errors: [{message: 'HTTP ' + response.status + ': ' + text}]};
        }
      });
    });
  }

  /** A subscription as an async iterable of results, over its own WebSocket. */
  function subscribe(params, headers) {
    var queue = [];
    var waiting = null;
    var finished = false;
    var socket = new WebSocket(wsUrl, 'graphql-transport-ws');

    function push(result) {
      if (waiting) {
        var resolve = waiting;
        waiting = null;
        resolve({value: result, done: false});
      } else {
        queue.push(result);
      }
    }

    function finish() {
      finished = true;
      if (waiting) {
        var resolve = waiting;
        waiting = null;
        resolve({value: undefined, done: true});
      }
    }

    socket.onopen = function () {
      var auth = headers.Authorization || headers.authorization;
      socket.send(JSON.stringify({type: 'connection_init', payload: auth ? {Authorization: auth} : {}}));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({id: '1', type: 'subscribe', payload: params}));
      } else if (message.type === 'next') {
        push(message.payload);
      } else if (message.type === 'error') {
        push({errors: message.payload});
        finish();
        socket.close(1000);
      } else if (message.type === 'complete') {
        finish();
        socket.close(1000);
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({type: 'pong'}));
      }
    };
    socket.onclose = function (event) {
      if (!finished) {
        push({errors: [{message: 'The connection closed: ' + event.code + ' ' + (event.reason || '')}]});
        finish();
      }
    };

    var iterator = {
      next: function () {
        if (queue.length > 0) {
          return Promise.resolve({value: queue.shift(), done: false});
        }
        if (finished) {
          return Promise.resolve({value: undefined, done: true});
        }
        return new Promise(function (resolve) {
          waiting = resolve;
        });
      },
      return: function () {
        if (!finished && socket.readyState <= 1) {
          socket.send(JSON.stringify({id: '1', type: 'complete'}));
          socket.close(1000);
        }
        finish();
        return Promise.resolve({value: undefined, done: true});
      }
    };
    iterator[Symbol.asyncIterator] = function () {
      return iterator;
    };
    return iterator;
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    if (operationType(params.query, params.operationName) === 'subscription') {
      return subscribe(params, headers);
    }
    return postQuery(params, headers);
  }

  var defaultQuery = [
    '# dagscope: live analytics over the orchestrator\'s logs.',
    '# Press the run button (or Ctrl-Enter). The Docs panel lists every field.',
    '# With authentication on, add {"Authorization": "Bearer <token>"} under Headers.',
    '',
    'query Overview {',
    '  taskSummary(window: {hours: 24}) {',
    '    windowStart',
    '    windowEnd',
    '    window { started succeeded failed retried errorRate p95DurationSeconds }',
    '  }',
    '  dagRuns(first: 5) {',
    '    totalCount',
    '    edges { node { id dagName tenant status startedAt durationSeconds } }',
    '  }',
    '  tenantLoad { tenant runs tasks errorRate }',
    '}',
    ''
  ].join('\n');

  /** Names GraphiQL's editors for screen readers by where they are (their text areas carry no label). */
  function editorLabel(textarea) {
    if (textarea.closest('.graphiql-query-editor')) {
      return 'GraphQL query';
    }
    if (textarea.closest('.result-window')) {
      return 'Response';
    }
    var tool = textarea.closest('.graphiql-editor-tool');
    if (tool) {
      var editors = tool.querySelectorAll('.graphiql-editor');
      return editors.length > 1 && editors[1].contains(textarea) ? 'Request headers (JSON)' : 'Variables (JSON)';
    }
    return 'Editor';
  }

  /**
   * GraphiQL's editors, made usable with assistive technology and the keyboard: each text area is named, and each
   * scrolling editor area is a Tab stop (not every browser makes scroll regions focusable) that hands the focus to its
   * editor.
   */
  function improveEditors() {
    document.querySelectorAll('.CodeMirror textarea').forEach(function (textarea) {
      var label = editorLabel(textarea);
      if (textarea.getAttribute('aria-label') !== label) {
        textarea.setAttribute('aria-label', label);
      }
    });
    // CodeMirror gives its scroller tabindex=-1: out of the Tab order
    document.querySelectorAll('.CodeMirror-scroll:not([data-keyboard])').forEach(function (scroll) {
      scroll.setAttribute('data-keyboard', '');
      scroll.setAttribute('tabindex', '0');
      scroll.addEventListener('focus', function (event) {
        var editor = scroll.closest('.CodeMirror');
        var textarea = editor && editor.querySelector('textarea');
        if (textarea && !editor.contains(event.relatedTarget)) {
          textarea.focus();
        }
      });
    });
  }
  new MutationObserver(improveEditors).observe(document.body, {childList: true, subtree: true});

  var root = document.getElementById('explorer');
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.innerHTML = '<p class="explorer-failure">The explorer\'s scripts did not load.</p>';
    return;
  }
  window.ReactDOM.createRoot(root).render(window.React.createElement(window.GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true
  }));
}());
