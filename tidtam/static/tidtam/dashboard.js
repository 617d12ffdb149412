// The dashboard's charts (Apache ECharts, vendored), drawn from the JSON the page carries
// (#dashboard-data): the same figures as the tables beside them. A bar of a unit with units
// below it opens that unit's dashboard.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  var FONT = { fontFamily: "Sarabun, sans-serif" };
  var BAND_COLOURS = ["#9e9e9e", "#d9534f", "#f0ad4e", "#5cb85c"];
  var STATUS_COLOURS = ["#bdbdbd", "#90caf9", "#1976d2", "#ef6c00", "#2e7d32"];

  function stacked(el, title, labels, units, colours, onClick) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    var offset = colours.length - labels.length;
    chart.setOption({
      textStyle: FONT,
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: FONT },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: units.map(function (u) { return u.name; }) },
      series: labels.map(function (label, i) {
        return {
          name: label, type: "bar", stack: "all",
          itemStyle: { color: colours[i + offset] },
          data: units.map(function (u) { return u.counts[i]; })
        };
      })
    });
    if (onClick) chart.on("click", function (params) { onClick(units[params.dataIndex]); });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function budget(el, data) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    var targets = data.targets.map(function (t) {
      return { coord: [t.month, t.percent], value: t.percent, name: "เป้าหมายไตรมาส (" + t.measure + ")" };
    });
    chart.setOption({
      textStyle: FONT,
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: FONT },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "แผน", type: "line", data: data.planned, lineStyle: { type: "dashed" }, itemStyle: { color: "#607d8b" } },
        { name: "เบิกจ่าย", type: "line", data: data.disbursed, itemStyle: { color: "#1565c0" },
          markPoint: { symbol: "diamond", symbolSize: 14, itemStyle: { color: "#c62828" }, label: { show: false }, data: targets } },
        { name: "ใช้จ่าย (เบิกจ่าย + ก่อหนี้ผูกพัน)", type: "line", data: data.spent, itemStyle: { color: "#2e7d32" } },
        { name: "คาดการณ์เบิกจ่าย", type: "line", data: data.forecast.expected, lineStyle: { type: "dotted" }, itemStyle: { color: "#1565c0" } },
        { name: "ช่วงคาดการณ์ (ต่ำ)", type: "line", data: data.forecast.low, symbol: "none", lineStyle: { type: "dotted", opacity: 0.5 }, itemStyle: { color: "#90a4ae" } },
        { name: "ช่วงคาดการณ์ (สูง)", type: "line", data: data.forecast.high, symbol: "none", lineStyle: { type: "dotted", opacity: 0.5 }, itemStyle: { color: "#90a4ae" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  ready(function () {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var bands = document.getElementById("chart-bands");
    if (bands) {
      stacked(bands, "", data.bands.labels, data.bands.units, BAND_COLOURS, function (unit) {
        if (unit && unit.url) window.location.href = unit.url;
      });
    }
    var status = document.getElementById("chart-status");
    if (status) stacked(status, "", data.statuses.labels, data.statuses.units, STATUS_COLOURS, null);
    var money = document.getElementById("chart-budget");
    if (money) budget(money, data.budget);
    document.body.setAttribute("data-charts", "drawn");
  });
})();
