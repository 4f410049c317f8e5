/* Charts of the web app, drawn by uPlot (npm `uplot`, vendored by scripts/build-web.sh).
   A page marks a chart with <figure class="chart" data-chart="line|bars|spark"> holding its
   data as <script type="application/json" class="chart-data"> (a data block: never run, so the
   CSP holds) or naming a same-origin JSON URL in data-chart-src. The data:
     {"x": [...], "x_label": "Month", "series": [{"label": "GDP", "values": [...], "unit": "%"}]}
   For "bars", x holds the category names. Hover shows every series' value, drag zooms (double
   click resets), the legend's entries show or hide a series (also with Enter or Space).
   After drawing, the figure gets data-drawn-ms (the time to draw) and data-drawn-at-ms (the
   time since the page's navigation began), read by `nox -s bench`. */
(function () {
  "use strict";
  var PALETTE = ["#1d4ed8", "#b45309", "#047857", "#be123c", "#6d28d9", "#0f766e", "#4d7c0f"];
  var INK = "#1f2933";
  var GRID = "#d9e2ec";

  function format(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    var abs = Math.abs(value);
    var text = abs >= 1e12 ? (value / 1e12).toFixed(2) + " T"
      : abs >= 1e9 ? (value / 1e9).toFixed(2) + " B"
      : abs >= 1e6 ? (value / 1e6).toFixed(2) + " M"
      : abs >= 1e4 ? Math.round(value).toLocaleString("en")
      : abs >= 100 ? value.toFixed(1)
      : value.toPrecision(3);
    return unit ? text + " " + unit : text;
  }

  // months and other counts: ticks on whole numbers (a year is 12)
  var WHOLE_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000];
  function wholeX(x) {
    return x.length > 0 && typeof x[0] === "number" && Number.isInteger(x[0]) && Number.isInteger(x[x.length - 1]);
  }

  function options(kind, data, width) {
    var bars = kind === "bars";
    var spark = kind === "spark";
    var series = [{ label: data.x_label || "x", value: bars ? function (u, i) { return i === null ? "" : data.x[i]; } : null }];
    data.series.forEach(function (s, i) {
      var colour = s.colour || PALETTE[i % PALETTE.length];
      series.push({
        label: s.label,
        stroke: colour,
        width: spark ? 1.5 : 2,
        fill: bars ? colour + "cc" : undefined,
        paths: bars ? uPlot.paths.bars({ size: [0.6, 120] }) : undefined,
        points: { show: false },
        value: function (u, v) { return format(v, s.unit); },
      });
    });
    var axis = { stroke: INK, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID } };
    return {
      width: width,
      height: spark ? 40 : Number(data.height || 300),
      series: series,
      legend: { show: !spark },
      cursor: spark ? { show: false } : { drag: { x: !bars, y: false } },
      // bars sit on whole numbers with half a bar's room at each end
      scales: { x: bars ? { time: false, range: function () { return [-0.5, data.x.length - 0.5]; } } : { time: false } },
      axes: spark ? [{ show: false }, { show: false }] : [
        Object.assign({ label: data.x_label || "" }, bars ? {
          splits: function () { return data.x.map(function (_, i) { return i; }); },
          values: function (u, ticks) { return ticks.map(function (t) { return data.x[t]; }); },
        } : wholeX(data.x) ? { incrs: WHOLE_STEPS } : {}, axis),
        Object.assign({ size: 70, values: function (u, ticks) { return ticks.map(function (t) { return format(t, ""); }); } }, axis),
      ],
    };
  }

  // The legend's entries are table rows uPlot toggles on click: make them keys as well.
  function keyboardLegend(plot, root) {
    root.querySelectorAll(".u-legend .u-series").forEach(function (row, i) {
      if (i === 0) return;
      row.setAttribute("tabindex", "0");
      row.setAttribute("role", "switch");
      var sync = function () { row.setAttribute("aria-checked", String(plot.series[i].show)); };
      sync();
      row.addEventListener("click", function () { setTimeout(sync); });
      row.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        plot.setSeries(i, { show: !plot.series[i].show });
        sync();
      });
    });
  }

  function draw(figure, data) {
    var started = performance.now();
    var kind = figure.getAttribute("data-chart") || "line";
    var x = kind === "bars" ? data.x.map(function (_, i) { return i; }) : data.x;
    var columns = [x].concat(data.series.map(function (s) { return s.values; }));
    var holder = document.createElement("div");
    holder.className = "chart-plot";
    figure.insertBefore(holder, figure.firstChild);
    var width = Math.max(figure.clientWidth || 0, 160);
    var opts = options(kind, data, width);
    // uPlot paints in a microtask after it is built: the time to draw ends at its first
    // "draw" hook, when the canvas holds every line
    var marked = false;
    opts.hooks = { draw: [function () {
      if (marked) return;
      marked = true;
      var drawn = performance.now();
      figure.setAttribute("data-drawn-ms", (drawn - started).toFixed(1));
      figure.setAttribute("data-drawn-at-ms", drawn.toFixed(1));  // since the navigation began
      figure.classList.add("drawn");
      figure.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
    }] };
    var plot = new uPlot(opts, columns, holder);
    keyboardLegend(plot, holder);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var w = Math.max(figure.clientWidth || 0, 160);
        if (Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: plot.height });
      }).observe(figure);
    }
  }

  function fail(figure, why) {
    figure.setAttribute("data-chart-error", why);
    var note = document.createElement("p");
    note.className = "error";
    note.textContent = "The chart could not be drawn: " + why;
    figure.appendChild(note);
  }

  function start(figure) {
    if (figure.hasAttribute("data-chart-started")) return;
    figure.setAttribute("data-chart-started", "");
    var block = figure.querySelector("script.chart-data");
    var source = figure.getAttribute("data-chart-src");
    if (block) {
      try { draw(figure, JSON.parse(block.textContent)); } catch (e) { fail(figure, String(e)); }
    } else if (source) {
      fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (data) { draw(figure, data); })
        .catch(function (e) { fail(figure, String(e)); });
    }
  }

  function startAll(root) {
    (root || document).querySelectorAll("figure[data-chart]").forEach(start);
  }

  window.aiaCharts = { startAll: startAll, format: format };
  document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { startAll(event.target); });
})();
