/*
 * The charts over the window, from taskSeries: task outcomes per bucket (stacked), p50 and p95 duration, error rate.
 */
import {byId, setText} from '../dom.js';
import * as fmt from '../format.js';
import {Chart, base, timeAxis, tooltipHtml, valueAxis} from '../charts.js';

function mid(bucket) {
  return (fmt.millis(bucket.start) + fmt.millis(bucket.end)) / 2;
}

function bucketTitle(bucket) {
  return fmt.absolute(bucket.start).replace(' UTC', '') + ' – ' + fmt.absolute(bucket.end).slice(11);
}

function range(series) {
  return [fmt.millis(series.windowStart), fmt.millis(series.windowEnd)];
}

function outcomes(series, c) {
  const [min, max] = range(series);
  const b = series.buckets;
  const bar = (name, cls, color, pick) => ({
    id: cls, name, type: 'bar', stack: 'tasks', barCategoryGap: '20%', large: false,
    itemStyle: {color, borderRadius: 0},
    emphasis: {focus: 'series'},
    data: b.map(x => [mid(x), pick(x.stats)]),
  });
  return Object.assign(base(c), {
    color: [c.ok, c.fail, c.retry],
    tooltip: Object.assign(base(c).tooltip, {
      formatter: params => {
        const bucket = b[params[0].dataIndex];
        return tooltipHtml(bucketTitle(bucket), [
          ['dot-ok', 'Succeeded', fmt.count(bucket.stats.succeeded)],
          ['dot-fail', 'Failed', fmt.count(bucket.stats.failed)],
          ['dot-retry', 'Retried', fmt.count(bucket.stats.retried)],
          ['dot-none', 'Runs started', fmt.count(bucket.runsStarted)],
        ]);
      },
    }),
    xAxis: timeAxis(c, min, max),
    yAxis: valueAxis(c, v => fmt.compactCount(v), {minInterval: 1}),
    series: [
      bar('Succeeded', 'ok', c.ok, s => s.succeeded),
      bar('Failed', 'fail', c.fail, s => s.failed),
      bar('Retried', 'retry', c.retry, s => s.retried),
    ],
  });
}

function durations(series, c) {
  const [min, max] = range(series);
  const b = series.buckets;
  const line = (name, id, color, pick, area) => ({
    id, name, type: 'line', showSymbol: false, smooth: 0.2, connectNulls: false,
    lineStyle: {width: 2, color}, itemStyle: {color},
    areaStyle: area ? {color, opacity: 0.12} : undefined,
    data: b.map(x => [mid(x), pick(x.stats)]),
  });
  return Object.assign(base(c), {
    tooltip: Object.assign(base(c).tooltip, {
      axisPointer: {type: 'line', lineStyle: {color: c.grid}},
      formatter: params => {
        const bucket = b[params[0].dataIndex];
        return tooltipHtml(bucketTitle(bucket), [
          ['dot-p95', 'p95', fmt.duration(bucket.stats.p95DurationSeconds)],
          ['dot-p50', 'p50', fmt.duration(bucket.stats.p50DurationSeconds)],
        ]);
      },
    }),
    xAxis: timeAxis(c, min, max),
    yAxis: valueAxis(c, v => fmt.duration(v).replace(/\.00 s$/, ' s')),
    series: [
      line('p95', 'p95', c.p95, s => s.p95DurationSeconds, true),
      line('p50', 'p50', c.p50, s => s.p50DurationSeconds, false),
    ],
  });
}

function errorRate(series, c) {
  const [min, max] = range(series);
  const b = series.buckets;
  // a bucket where nothing finished has no error rate to show (the API says 0): leave a gap
  const rate = s => (s.succeeded + s.failed > 0 ? s.errorRate * 100 : null);
  return Object.assign(base(c), {
    legend: {show: false},
    tooltip: Object.assign(base(c).tooltip, {
      axisPointer: {type: 'line', lineStyle: {color: c.grid}},
      formatter: params => {
        const bucket = b[params[0].dataIndex];
        const s = bucket.stats;
        return tooltipHtml(bucketTitle(bucket), [
          ['dot-fail', 'Error rate', s.succeeded + s.failed > 0 ? fmt.percent(s.errorRate) : 'nothing finished'],
          ['dot-none', 'Failed / finished', fmt.count(s.failed) + ' / ' + fmt.count(s.succeeded + s.failed)],
        ]);
      },
    }),
    xAxis: timeAxis(c, min, max),
    yAxis: valueAxis(c, v => (Math.round(v * 10) / 10) + ' %', {min: 0}),
    series: [{
      id: 'rate', name: 'Error rate', type: 'line', showSymbol: false, connectNulls: false, step: 'middle',
      lineStyle: {width: 2, color: c.fail}, itemStyle: {color: c.fail},
      areaStyle: {color: c.fail, opacity: 0.15},
      data: b.map(x => [mid(x), rate(x.stats)]),
    }],
  });
}

export class Trends {
  constructor(ctx) {
    this.ctx = ctx;
    this.sub = byId('outcomes-sub');
    this.charts = [
      new Chart(byId('outcomes-chart'), outcomes),
      new Chart(byId('durations-chart'), durations),
      new Chart(byId('error-rate-chart'), errorRate),
    ];
  }

  setSeries(series) {
    setText(this.sub, 'per ' + fmt.windowLabel(series.bucketMinutes / 60) + ' · last '
      + fmt.windowLabel(this.ctx.windowHours()));
    for (const chart of this.charts) {
      chart.set(series);
    }
  }
}
