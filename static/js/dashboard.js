// Charts of the dashboard. Every bar and slice opens the filtered list behind it.
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var palette = ["#0b3d91", "#e0a800", "#c8102e", "#198754", "#6f42c1", "#6c757d", "#0dcaf0"];

  function chart(id, option, urlOf) {
    var holder = document.getElementById(id);
    if (!holder) { return; }
    var instance = echarts.init(holder, null, { renderer: "svg" });
    instance.setOption(Object.assign({ color: palette, textStyle: { fontFamily: "inherit" } }, option));
    if (urlOf) {
      instance.on("click", function (params) {
        var url = urlOf(params);
        if (url) { window.location.href = url; }
      });
      holder.style.cursor = "pointer";
    }
    charts.push(instance);
  }

  var d = data.deliveries;
  var series = [
    { name: "当月交房(套)", type: "bar", data: d.monthly, barMaxWidth: 28 },
    { name: "累计交房(套)", type: "line", data: d.cumulative, smooth: false, symbolSize: 6 }
  ];
  if (d.target.length) {
    series.push({ name: "任务进度(套)", type: "line", data: d.target, symbol: "none",
      lineStyle: { type: "dashed", width: 2 }, color: "#c8102e" });
  }
  chart("chart-deliveries", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 36, bottom: 28 },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", name: "套", minInterval: 1 },
    series: series
  }, function () { return d.url; });

  chart("chart-statuses", {
    tooltip: { trigger: "item", formatter: "{b}：{c}个（{d}%）" },
    color: ["#0b3d91", "#e0a800", "#fd7e14", "#c8102e", "#20c997", "#198754"],
    series: [{ type: "pie", radius: ["38%", "66%"], center: ["50%", "50%"], data: data.statuses,
      label: { formatter: "{b}\n{c}" }, avoidLabelOverlap: true }]
  }, function (p) { return p.data && p.data.url; });

  chart("chart-problems", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: data.problems.map(function (p) { return p.name; }) },
    series: [{ type: "bar", name: "项目数", data: data.problems, barMaxWidth: 22,
      label: { show: true, position: "right" }, itemStyle: { color: "#0b3d91" } }]
  }, function (p) { return p.data && p.data.url; });

  var r = data.risk;
  var riskColors = { high: "#c8102e", medium: "#e0a800", low: "#198754" };
  chart("chart-risk", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: r.task_forces },
    series: r.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "risk", data: s.data, barMaxWidth: 20,
        itemStyle: { color: riskColors[s.level] } };
    })
  }, function (p) { return r.series[p.seriesIndex].urls[p.dataIndex]; });

  var w = data.petitions;
  chart("chart-petitions", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, type: "scroll" },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: w.weeks, name: "周" },
    yAxis: { type: "value", name: "件", minInterval: 1 },
    series: w.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "petitions", data: s.data, barMaxWidth: 26 };
    })
  }, function (p) { return w.series[p.seriesIndex].urls[p.dataIndex]; });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
