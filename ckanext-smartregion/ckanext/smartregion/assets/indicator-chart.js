/* The indicator chart: the total series, breakdown series the reader switches on with
   checkboxes (keyboard-accessible), and the baseline and target marked. The data come from a
   JSON script element rendered by the page; the table beside it is the accessible alternative. */
ckan.module("smartregion-indicator-chart", function ($) {
  "use strict";
  var PALETTE = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e", "#a61c00", "#3d85c6"];

  function sortedPeriods(rows) {
    var seen = {};
    rows.forEach(function (row) { seen[row.period] = true; });
    return Object.keys(seen).sort();
  }

  function seriesOf(rows, periods, dimension, category) {
    var byPeriod = {};
    rows.forEach(function (row) {
      if ((row.dimension || "") === dimension && (row.category || "") === category) {
        byPeriod[row.period] = Number(row.value);
      }
    });
    return periods.map(function (period) { return period in byPeriod ? byPeriod[period] : null; });
  }

  return {
    initialize: function () {
      var data = JSON.parse(document.getElementById(this.options.source).textContent);
      var periods = sortedPeriods(data.rows);
      var markers = [];
      if (data.baseline) { markers.push(data.baseline); }
      if (data.target) { markers.push(data.target); }
      markers.forEach(function (m) { if (periods.indexOf(m.period) < 0) { periods.push(m.period); } });
      periods.sort();
      var datasets = [{
        label: data.labels.total, data: seriesOf(data.rows, periods, "", ""),
        borderColor: PALETTE[0], backgroundColor: PALETTE[0], spanGaps: true, tension: 0.1
      }];
      data.breakdowns.forEach(function (b, i) {
        datasets.push({
          label: b.category, data: seriesOf(data.rows, periods, b.dimension, b.category),
          borderColor: PALETTE[(i + 1) % PALETTE.length], backgroundColor: PALETTE[(i + 1) % PALETTE.length],
          spanGaps: true, hidden: true, borderDash: [4, 3]
        });
      });
      markers.forEach(function (m, i) {
        datasets.push({
          label: m.label, type: "scatter", pointStyle: i === 0 ? "rectRot" : "star", pointRadius: 9,
          borderColor: "#333", backgroundColor: i === 0 ? "#999" : "#f1c232",
          data: periods.map(function (p) { return p === m.period ? m.value : null; })
        });
      });
      var chart = new Chart(this.el.find("canvas")[0], {
        type: "line",
        data: { labels: periods, datasets: datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { position: "bottom" }, title: { display: false } },
          scales: { y: { title: { display: true, text: data.unit } } }
        }
      });
      this.el.find("input[data-series]:checked").each(function () {
        chart.setDatasetVisibility(Number(this.getAttribute("data-series")), true);
      });
      chart.update();
      this.el.find("input[data-series]").on("change", function () {
        var index = Number(this.getAttribute("data-series"));
        chart.setDatasetVisibility(index, this.checked);
        chart.update();
      });
    }
  };
});
