/* The dashboard of a unit's year: draws the charts (vendored Chart.js) from the JSON the page
   carries in #dashboard-data. The children's table is sorted and paged on the server. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var navy = "#0f2d5c", red = "#a3151d", gold = "#d9a400";
  var number = new Intl.NumberFormat("vi-VN");

  function empty(canvas) {
    var note = document.createElement("p");
    note.className = "muted";
    note.textContent = "Chưa có số liệu.";
    canvas.parentNode.replaceWith(note);
  }

  function bar(id, labels, datasets, horizontal, max) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (!labels.length) { empty(canvas); return; }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        locale: "vi-VN",  // the axes' numbers as the page writes them: 25.000, not 25,000
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 },
                   tooltip: { callbacks: { label: function (c) {
                     return (c.dataset.label ? c.dataset.label + ": " : "") + number.format(c.raw);
                   } } } },
        scales: {
          x: { beginAtZero: true, max: horizontal ? max : undefined, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  // long names on several lines: a canvas does not wrap text
  function lines(label) {
    var out = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 28) { out.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { out.push(line); }
    return out;
  }

  bar("chart-targets", data.targets.labels.map(lines), [
    { label: "Chỉ tiêu", data: data.targets.target, backgroundColor: gold },
    { label: "Kết quả", data: data.targets.actual, backgroundColor: navy }
  ], true, 100);
  bar("chart-awards", data.awards.labels.map(lines), [{ label: "Số khen thưởng", data: data.awards.values, backgroundColor: red }]);
  bar("chart-initiatives", data.initiatives.labels, [{ label: "Sáng kiến", data: data.initiatives.values, backgroundColor: navy }]);
}());
