/*
 * Charts with Apache ECharts: a bundle of only the parts drawn here (vendor/echarts.min.js, made by web-ui/echarts),
 * loaded when the first chart is made, so that the figures and tables do not wait for it. Colours come from the page's
 * CSS custom properties, so the charts follow the light or dark theme. ECharts writes tooltips with innerHTML: every
 * tooltip here is built by a formatter that escapes every value (escapeHtml), and uses CSS classes rather than inline
 * styles (the page's Content-Security-Policy allows no inline style).
 */

/** ECharts, once loaded. */
let echarts = null;
let loading = null;

/** @returns {Promise<object>} ECharts, loaded once */
function load() {
  if (!loading) {
    loading = import('../vendor/echarts.min.js').then(module => {
      echarts = module;
      return module;
    });
  }
  return loading;
}

/**
 * Clips a rectangle to another (for custom series, which are drawn once ECharts is loaded).
 * @returns {object|undefined} the clipped rectangle, or undefined when nothing is left
 */
export function clipRect(rect, bounds) {
  return echarts.graphic.clipRectByRect(rect, bounds);
}

const ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;'};

/** @returns {string} text made safe to place in HTML */
export function escapeHtml(value) {
  return String(value === null || value === undefined ? '' : value).replace(/[&<>"'`]/g, c => ESCAPES[c]);
}

let colors = null;

/** @returns {object} the theme's colours, read from CSS custom properties once per theme (reading styles costs) */
export function palette() {
  if (colors) {
    return colors;
  }
  const css = getComputedStyle(document.documentElement);
  const v = name => css.getPropertyValue(name).trim();
  colors = {
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--grid'),
    surface: v('--surface'),
    ok: v('--ok'),
    fail: v('--fail'),
    retry: v('--retry'),
    run: v('--run'),
    pause: v('--pause'),
    p50: v('--p50'),
    p95: v('--p95'),
    font: v('--font-sans'),
  };
  return colors;
}

const charts = new Set();
const scheme = matchMedia('(prefers-color-scheme: dark)');
scheme.addEventListener('change', () => {
  colors = null;
  for (const c of charts) {
    c.render();
  }
});

/**
 * A chart in an element, re-rendered when data arrives, when the theme changes, and resized with its element.
 */
export class Chart {
  /**
   * @param {HTMLElement} el where to draw
   * @param {(data: any, colors: object) => object} build makes the ECharts option from the data and the colours
   */
  constructor(el, build) {
    this.el = el;
    this.build = build;
    this.data = null;
    this.instance = null;
    this.observer = null;
    this.disposed = false;
    charts.add(this);
    load().then(ec => {
      if (this.disposed) {
        return;
      }
      this.instance = ec.init(el, null, {renderer: 'canvas'});
      this.observer = new ResizeObserver(() => this.instance.resize());
      this.observer.observe(el);
      this.render();
    });
  }

  /** Shows new data. */
  set(data) {
    this.data = data;
    this.render();
  }

  render() {
    if (this.data === null || this.instance === null) {
      return;
    }
    this.instance.setOption(this.build(this.data, palette()), {notMerge: false, replaceMerge: ['series']});
  }

  /** Releases the chart. */
  dispose() {
    this.disposed = true;
    charts.delete(this);
    if (this.instance) {
      this.observer.disconnect();
      this.instance.dispose();
    }
  }
}

/** Options every chart shares: UTC times, the theme's text and grid colours, no animation on live updates. */
export function base(colors) {
  return {
    useUTC: true,
    animation: !matchMedia('(prefers-reduced-motion: reduce)').matches,
    animationDuration: 300,
    animationDurationUpdate: 300,
    textStyle: {fontFamily: colors.font, color: colors.muted},
    grid: {left: 8, right: 12, top: 28, bottom: 4, containLabel: true},
    tooltip: {
      trigger: 'axis',
      confine: true,
      className: 'chart-tip',
      backgroundColor: colors.surface,
      borderColor: colors.grid,
      borderWidth: 1,
      padding: [8, 10],
      textStyle: {color: colors.text, fontFamily: colors.font, fontSize: 12},
      axisPointer: {type: 'shadow', shadowStyle: {color: 'rgba(127,127,127,0.12)'}},
    },
    legend: {
      top: 0, right: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10,
      textStyle: {color: colors.muted, fontSize: 12},
    },
  };
}

/** A time x axis in the theme. */
export function timeAxis(colors, min, max) {
  return {
    type: 'time', min, max,
    axisLine: {lineStyle: {color: colors.grid}},
    axisTick: {show: false},
    axisLabel: {color: colors.muted, hideOverlap: true},
    splitLine: {show: false},
  };
}

/** A value y axis in the theme, with a label formatter. */
export function valueAxis(colors, formatter, extra) {
  return Object.assign({
    type: 'value',
    axisLabel: {color: colors.muted, formatter},
    splitLine: {lineStyle: {color: colors.grid}},
    splitNumber: 3,
  }, extra || {});
}

/**
 * The HTML of a tooltip: a title and rows of (series class, name, value), all escaped.
 * @param {string} title
 * @param {Array<[string, string, string]>} rows [dot class, label, value]
 */
export function tooltipHtml(title, rows) {
  let html = '<div class="tip-title">' + escapeHtml(title) + '</div>';
  for (const [dot, label, value] of rows) {
    html += '<div class="tip-row"><span class="tip-dot ' + escapeHtml(dot) + '"></span><span class="tip-label">'
      + escapeHtml(label) + '</span><span class="tip-value">' + escapeHtml(value) + '</span></div>';
  }
  return html;
}
