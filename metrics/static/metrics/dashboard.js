/* The dashboards' charts (ECharts): drawn from the JSON the page carries (#metrics-charts), the
   same rows as each chart's table. On the large screen (body[data-refresh-url]) the figures,
   charts and tables are reloaded every data-refresh-seconds. */
(function () {
  "use strict";

  var drawn = {};

  function seriesOf(chart) {
    var keys = chart.columns.map(function (c) { return c[0]; });
    return chart.series.map(function (key) {
      var index = keys.indexOf(key);
      return { name: chart.columns[index][1], values: chart.rows.map(function (r) { return r[index]; }) };
    });
  }

  function option(chart) {
    var categories = chart.rows.map(function (r) { return r[0] === null ? "—" : String(r[0]); });
    var series = seriesOf(chart);
    var base = {
      backgroundColor: "transparent",
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      aria: { enabled: true }
    };
    if (chart.kind === "pie") {
      base.series = [{
        type: "pie", radius: ["35%", "65%"], name: series[0].name,
        data: categories.map(function (name, i) { return { name: name, value: series[0].values[i] }; })
      }];
      return base;
    }
    var horizontal = chart.kind === "hbar";
    var category = { type: "category", data: categories, inverse: horizontal,
                     axisLabel: { width: 120, overflow: "truncate" } };
    var value = { type: "value" };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = series.map(function (s) {
      return {
        name: s.name, data: s.values,
        type: chart.kind === "line" ? "line" : "bar",
        stack: chart.kind === "stacked_bar" ? "total" : undefined
      };
    });
    return base;
  }

  function draw(chart, theme) {
    var element = document.getElementById("chart-" + chart.key);
    if (!element || typeof echarts === "undefined") { return; }
    if (!chart.rows.length) {
      if (drawn[chart.key]) { drawn[chart.key].dispose(); delete drawn[chart.key]; }
      element.innerHTML = "";
      var empty = document.createElement("p");
      empty.className = "metrics-chart__empty";
      empty.textContent = chart.empty;
      element.appendChild(empty);
      return;
    }
    if (!drawn[chart.key]) {
      element.innerHTML = "";
      drawn[chart.key] = echarts.init(element, theme, { renderer: "canvas" });
    }
    drawn[chart.key].setOption(option(chart), true);
  }

  function fillTable(chart) {
    var body = document.querySelector("[data-table='" + chart.key + "'] tbody");
    if (!body) { return; }
    body.innerHTML = "";
    if (!chart.rows.length) {
      var row = body.insertRow();
      var cell = row.insertCell();
      cell.colSpan = chart.columns.length;
      cell.textContent = chart.empty;
      return;
    }
    chart.rows.forEach(function (values) {
      var row = body.insertRow();
      values.forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { cell.scope = "row"; }
        cell.textContent = value === null ? "—" : value;
        row.appendChild(cell);
      });
    });
  }

  function fillFigures(figures) {
    var list = document.getElementById("figures");
    if (!list) { return; }
    list.querySelectorAll("dd").forEach(function (dd, i) {
      if (figures[i]) { dd.textContent = figures[i][1]; }
    });
  }

  function start() {
    var source = document.getElementById("metrics-charts");
    if (!source) { return; }
    var theme = document.body.dataset.theme === "dark" ? "dark" : null;
    JSON.parse(source.textContent).forEach(function (chart) { draw(chart, theme); });
    window.addEventListener("resize", function () {
      Object.keys(drawn).forEach(function (key) { drawn[key].resize(); });
    });

    var url = document.body.dataset.refreshUrl;
    if (url) {
      var seconds = parseInt(document.body.dataset.refreshSeconds, 10) || 300;
      window.setInterval(function () {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            data.charts.forEach(function (chart) { draw(chart, theme); fillTable(chart); });
            fillFigures(data.figures);
          })
          .catch(function () { /* keep showing the last figures; try again next time */ });
      }, seconds * 1000);
      var button = document.getElementById("fullscreen");
      if (button) {
        button.addEventListener("click", function () {
          if (document.fullscreenElement) { document.exitFullscreen(); }
          else { document.documentElement.requestFullscreen(); }
        });
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
