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
 * new ones created, gone ones removed, and the order made to match.
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
    } else {
      el = create(item);
      el.dataset.key = k;
    }
    update(el, item);
    if (el !== cursor) {
      parent.insertBefore(el, cursor);
    } else {
      cursor = cursor.nextElementSibling;
    }
  }
  for (const el of existing.values()) {
    el.remove();
  }
}
