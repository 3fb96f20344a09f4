// Draws the report's charts from the figures in #report-data (the same figures the tables show), then marks each
// chart container: data-drawn="true", data-points (points or bars drawn), data-painted (canvas pixels painted).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
                 '#9c755f', '#bab0ac'];
  function color(i) { return palette[i % palette.length]; }
  // The percentile axis: x = -log10(1 - p/100), so p50, p90, p99 and p99.9 are evenly spread.
  function px(p) { return -Math.log10(1 - p / 100); }
  var percentileTicks = [50, 75, 90, 95, 99, 99.5, 99.9];

  // A success dataset's ratios on the chart's intervals, null where the API had no sample in an interval.
  function perInterval(spec, d) {
    var byX = {};
    d.points.forEach(function (p) { byX[p.x] = p.v; });
    return spec.labels.map(function (x) { return x in byX ? byX[x] : null; });
  }

  function config(id, spec) {
    var common = { animation: false, responsive: true, maintainAspectRatio: false,
                   plugins: { legend: { position: 'bottom' } } };
    if (id === 'latency') {
      return { type: 'line', options: Object.assign(common, {
          parsing: false,
          scales: {
            x: { type: 'linear', min: px(50), max: px(99.9), title: { display: true, text: 'percentile' },
                 afterBuildTicks: function (axis) { axis.ticks = percentileTicks.map(function (p) { return { value: px(p) }; }); },
                 ticks: { callback: function (v) {
                   for (var i = 0; i < percentileTicks.length; i++) {
                     if (Math.abs(px(percentileTicks[i]) - v) < 1e-9) { return 'p' + percentileTicks[i]; }
                   }
                   return ''; } } },
            y: { beginAtZero: true, title: { display: true, text: 'ms' } } } }),
        data: { datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, borderColor: color(i), backgroundColor: color(i), pointRadius: 3,
                   data: d.points.map(function (p) { return { x: px(p.p), y: p.v }; }) }; }) } };
    }
    if (id === 'success' && spec.labels.length >= 3) {
      return { type: 'line', options: Object.assign(common, {
          scales: { y: { min: 0, max: 100, title: { display: true, text: 'success %' } },
                    x: { title: { display: true, text: 'interval start (UTC)' } } } }),
        data: { labels: spec.labels, datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, borderColor: color(i), backgroundColor: color(i), pointRadius: 4, spanGaps: true,
                   data: perInterval(spec, d) }; }) } };
    }
    if (id === 'success') {  // one or two intervals: a bar per API and interval, so that no API hides another
      return { type: 'bar', options: Object.assign(common, {
          scales: { y: { min: 0, max: 100, title: { display: true, text: 'success %' } },
                    x: { title: { display: true, text: 'interval start (UTC)' } } } }),
        data: { labels: spec.labels, datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, backgroundColor: color(i),
                   data: perInterval(spec, d) }; }) } };
    }
    var stacked = id !== 'phases';
    return { type: 'bar', options: Object.assign(common, {
        indexAxis: id === 'served' ? 'y' : 'x',
        // counts are whole numbers: no 0.2 steps on the value axis
        scales: { x: { stacked: stacked, beginAtZero: true, ticks: { precision: id === 'served' ? 0 : undefined } },
                  y: { stacked: stacked, beginAtZero: true, ticks: { precision: id === 'errors' ? 0 : undefined },
                       title: { display: id === 'phases', text: 'ms' } } } }),
      data: { labels: spec.labels, datasets: spec.datasets.map(function (d, i) {
        return { label: d.label, backgroundColor: color(i), data: d.values }; }) } };
  }

  function painted(canvas) {
    var ctx = canvas.getContext('2d');
    var img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    var n = 0;
    for (var i = 3; i < img.length; i += 4) { if (img[i] !== 0) { n++; } }
    return n;
  }

  document.querySelectorAll('div.chart[data-chart]').forEach(function (el) {
    var id = el.getAttribute('data-chart');
    var spec = data[id];
    var canvas = el.querySelector('canvas');
    try {
      var chart = new Chart(canvas, config(id, spec));
      var points = 0;
      chart.data.datasets.forEach(function (d, i) {
        chart.getDatasetMeta(i).data.forEach(function (e, j) {
          var v = d.data[j];
          if (v !== null && v !== undefined && !e.skip) { points++; }
        });
      });
      el.setAttribute('data-points', String(points));
      el.setAttribute('data-width', String(canvas.width));
      el.setAttribute('data-height', String(canvas.height));
      el.setAttribute('data-painted', String(painted(canvas)));
      el.setAttribute('data-drawn', String(canvas.width > 0 && canvas.height > 0 && points > 0));
    } catch (e) {
      el.setAttribute('data-drawn', 'false');
      el.setAttribute('data-error', String(e));
    }
  });
}());
