/*
 * How numbers, durations and times read on the dashboard. Times are shown in UTC, as the logs and the API have them.
 */

const COUNT = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

/** @returns {string} a count with thousands separators: 12,345 */
export function count(n) {
  return n === null || n === undefined ? '–' : COUNT.format(n);
}

/** @returns {string} a compact count for tight places: 12.3k */
export function compactCount(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  if (Math.abs(n) < 10000) {
    return COUNT.format(n);
  }
  return new Intl.NumberFormat('en-US', {notation: 'compact', maximumFractionDigits: 1}).format(n);
}

/** @returns {string} a rate (0..1) as a percentage with two decimals: 1.18 % */
export function percent(rate) {
  if (rate === null || rate === undefined) {
    return '–';
  }
  return (rate * 100).toFixed(2) + ' %';
}

/**
 * A duration in seconds, to about three significant figures: 0.42 s, 9.23 s, 1 m 32 s, 2 h 05 m, 3 d 4 h.
 * @param {number|null} seconds
 */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) {
    return '–';
  }
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '−' : '';
  if (s < 10) {
    return sign + s.toFixed(2) + ' s';
  }
  if (s < 60) {
    return sign + s.toFixed(1) + ' s';
  }
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return sign + m + ' m ' + String(Math.floor(s - m * 60)).padStart(2, '0') + ' s';
  }
  if (s < 86400) {
    const hrs = Math.floor(s / 3600);
    return sign + hrs + ' h ' + String(Math.floor((s - hrs * 3600) / 60)).padStart(2, '0') + ' m';
  }
  const d = Math.floor(s / 86400);
  return sign + d + ' d ' + Math.floor((s - d * 86400) / 3600) + ' h';
}

/** @returns {number} epoch milliseconds of an ISO-8601 instant, or NaN */
export function millis(iso) {
  return iso ? Date.parse(iso) : NaN;
}

/** @returns {string} an instant as 2025-10-21 17:42:03 UTC */
export function absolute(iso) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return String(iso);
  }
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '') + ' UTC';
}

/** @returns {string} an instant's time of day, or its date and time when it is not on the reference day */
export function shortTime(iso, nowMs) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  const text = d.toISOString();
  const sameDay = nowMs !== undefined && new Date(nowMs).toISOString().slice(0, 10) === text.slice(0, 10);
  return sameDay ? text.slice(11, 16) : text.slice(5, 10) + ' ' + text.slice(11, 16);
}

/**
 * How long ago (or how far ahead) an instant is: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago",
 * "in 4 min".
 * @param {string} iso the instant
 * @param {number} nowMs what "now" is, in epoch milliseconds
 */
export function relative(iso, nowMs) {
  const t = millis(iso);
  if (Number.isNaN(t)) {
    return '–';
  }
  const diff = (nowMs - t) / 1000;
  const past = diff >= 0;
  const s = Math.abs(diff);
  let text;
  if (s < 5) {
    return 'just now';
  } else if (s < 60) {
    text = Math.floor(s) + ' s';
  } else if (s < 3600) {
    text = Math.floor(s / 60) + ' min';
  } else if (s < 86400 * 2) {
    const hrs = Math.floor(s / 3600);
    const min = Math.floor((s - hrs * 3600) / 60);
    text = hrs + ' h' + (hrs < 10 && min ? ' ' + min + ' min' : '');
  } else {
    text = Math.floor(s / 86400) + ' d';
  }
  return past ? text + ' ago' : 'in ' + text;
}

/** @returns {string} a countdown to an instant: "in 3 m 07 s", "in 2 h 10 m", or "due" once passed */
export function countdown(iso, nowMs) {
  const t = millis(iso);
  if (Number.isNaN(t)) {
    return '–';
  }
  const s = Math.floor((t - nowMs) / 1000);
  if (s <= 0) {
    return 'due now';
  }
  if (s < 60) {
    return 'in ' + s + ' s';
  }
  if (s < 3600) {
    return 'in ' + Math.floor(s / 60) + ' m ' + String(s % 60).padStart(2, '0') + ' s';
  }
  if (s < 86400) {
    return 'in ' + Math.floor(s / 3600) + ' h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + ' m';
  }
  return 'in ' + Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

/** @returns {string} a window length in hours as 1 h, 6 h, 24 h, 7 d, 90 min */
export function windowLabel(hours) {
  if (hours === null || hours === undefined) {
    return '';
  }
  if (hours < 1) {
    return Math.round(hours * 60) + ' min';
  }
  if (hours >= 48 && hours % 24 === 0) {
    return hours / 24 + ' d';
  }
  return (Number.isInteger(hours) ? hours : hours.toFixed(1)) + ' h';
}

/** @returns {string} the first line of a text (errors can span lines), trimmed */
export function firstLine(text) {
  if (!text) {
    return '';
  }
  const line = String(text).split(/\r?\n/).find(l => l.trim() !== '') || '';
  return line.trim();
}

/** Run and task statuses as the dashboard names them. */
export const STATUS_LABEL = {
  RUNNING: 'Running',
  PAUSED: 'Paused',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  STALE: 'Stale',
};
