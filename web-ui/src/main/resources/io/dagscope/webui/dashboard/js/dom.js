/*
 * Building the page from data. Every string that comes from the logs (DAG names, task ids, tenants, errors) reaches
 * the page through textContent or an attribute value, never through innerHTML: it stays text whatever it contains.
 */

/**
 * Creates an element.
 * @param {string} tag the tag name, optionally with classes: 'td.num.muted'
 * @param {object} [attrs] attributes (may be left out); 'text' sets textContent, 'on' maps event names to handlers, 'dataset' sets
 *   data-* attributes, 'hidden' and boolean values toggle attributes, undefined/null/false values are left out
 * @param {...(Node|string|number|null|undefined|Array)} children nodes, or values shown as text
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  if (attrs !== null && attrs !== undefined
      && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs); // no attributes: the second argument is a child
    attrs = null;
  }
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) {
    el.className = classes.join(' ');
  }
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'on') {
        for (const [event, handler] of Object.entries(value)) {
          el.addEventListener(event, handler);
        }
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) {
          if (v !== undefined && v !== null) {
            el.dataset[k] = String(v);
          }
        }
      } else if (key === 'class') {
        el.className = [el.className, value].filter(Boolean).join(' ');
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

/**
 * Replaces an element's children.
 * @param {Element} el
 * @param {...(Node|string|Array)} children
 */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/**
 * Sets an element's text only when it changed (keeps selections and screen readers calm on live updates).
 * @param {Element} el
 * @param {string} text
 */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) {
    el.textContent = value;
  }
}

/** @returns {HTMLElement} the element with this id (which must exist) */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) {
    throw new Error('missing element #' + id);
  }
  return el;
}

/**
 * Updates a list of keyed children in place: existing elements are reused (keeping focus, hover and open details),
 * new ones created, gone ones removed, and the order made to match. An element that holds the keyboard focus is never
 * taken away under the user: when its item is gone it stays, marked data-leaving, at the end, until the focus leaves
 * it; when it has to move, it keeps the focus.
 * @param {Element} parent the container (e.g. a tbody)
 * @param {Array} items the data, in display order
 * @param {(item) => string} key a stable key per item
 * @param {(item) => Element} create builds the element of a new item
 * @param {(el: Element, item) => void} update fills an element from its item (also right after create)
 */
export function reconcile(parent, items, key, create, update) {
  const existing = new Map();
  for (const child of Array.from(parent.children)) {
    if (child.dataset.key !== undefined) {
      existing.set(child.dataset.key, child);
    } else {
      child.remove();
    }
  }
  let cursor = parent.firstElementChild;
  for (const item of items) {
    const k = key(item);
    let el = existing.get(k);
    if (el) {
      existing.delete(k);
      delete el.dataset.leaving;
    } else {
      el = create(item);
      el.dataset.key = k;
    }
    update(el, item);
    if (el !== cursor) {
      move(parent, el, cursor);
    } else {
      cursor = cursor.nextElementSibling;
    }
  }
  for (const el of existing.values()) {
    if (el.contains(document.activeElement)) {
      leaveWhenBlurred(el);
    } else {
      el.remove();
    }
  }
}

/** Moves an element before another, keeping the focus when it is inside (moving a node would drop it). */
function move(parent, el, before) {
  const focused = el.contains(document.activeElement) ? document.activeElement : null;
  if (focused && typeof parent.moveBefore === 'function') {
    parent.moveBefore(el, before);
    if (document.activeElement === focused) {
      return;
    }
  } else {
    parent.insertBefore(el, before);
  }
  if (focused && document.activeElement !== focused) {
    focused.focus({preventScroll: true});
  }
}

/** Keeps an element whose item is gone until the focus leaves it. */
function leaveWhenBlurred(el) {
  if (el.dataset.leaving !== undefined) {
    return;
  }
  el.dataset.leaving = '';
  el.addEventListener('focusout', function gone(e) {
    if (el.dataset.leaving === undefined) {
      el.removeEventListener('focusout', gone);
    } else if (!el.contains(e.relatedTarget)) {
      el.removeEventListener('focusout', gone);
      el.remove();
    }
  });
}

/**
 * Tells screen readers something that changed, through the page's one polite live region (#announcer). Only news
 * goes there: a routine refresh says nothing.
 * @param {string} text
 */
export function announce(text) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = text;
  }
}

/**
 * Makes a scrolling container reachable by keyboard while its content overflows it (not every browser makes scroll
 * regions focusable): it is a Tab stop then, and the arrow keys scroll it. Give it a role and a label (a region named
 * by its panel's heading).
 * @param {HTMLElement} el the container
 */
export function scrollableByKeyboard(el) {
  const update = () => {
    const overflows = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (overflows) {
      el.tabIndex = 0;
    } else {
      el.removeAttribute('tabindex');
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(el);
  for (const child of el.children) {
    observer.observe(child);
  }
  update();
}
