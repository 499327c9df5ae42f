// Trend chart of the project page: weekly progress % and cumulative homes delivered.
(function () {
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  var few = data.weeks.length <= 12;
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  chart.setOption({
    animation: !still,
    color: ["#0b3d91", "#e0a800"],
    tooltip: { trigger: "axis" },
    legend: { data: ["形象进度(%)", "累计交房(套)"], top: 0 },
    grid: { left: 50, right: 60, top: 36, bottom: 30 },
    xAxis: { type: "category", data: data.weeks, axisLabel: { formatter: function (v) { return v.slice(5); } } },
    yAxis: [
      { type: "value", name: "%", min: 0, max: 100 },
      { type: "value", name: "套", minInterval: 1 }
    ],
    series: [
      { name: "形象进度(%)", type: "line", data: data.progress, smooth: true, showSymbol: few, areaStyle: { opacity: 0.08 } },
      { name: "累计交房(套)", type: "line", step: "end", yAxisIndex: 1, data: data.delivered, showSymbol: few }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
