// Dashboard charts (plotly.js, served from the plotly package): data embedded by the page, same as /api/dashboard.
"use strict";

(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || !window.Plotly) return;
  const data = JSON.parse(source.textContent);
  const f = window.faturas;
  const months = data.series.map(function (row) { return f.monthLabel(row.month); });
  const num = function (key) { return data.series.map(function (row) { return row[key] === null ? null : Number(row[key]); }); };
  const text = function (key, format) {
    return data.series.map(function (row) { return row[key] === null ? "—" : format(row[key]); });
  };
  const COLORS = { consumption: "#1f4e8c", compensated: "#2e8540", withoutGd: "#8c3b1f", savings: "#2e8540", balance: "#5b3f9c" };

  function layout(yTitle) {
    return {
      separators: ",.",
      margin: { l: 64, r: 12, t: 8, b: 48 },
      barmode: "group",
      legend: { orientation: "h", y: -0.2 },
      xaxis: { type: "category", automargin: true },
      yaxis: { title: { text: yTitle }, automargin: true, rangemode: "tozero", tickformat: ",.0f" },
      font: { family: "system-ui, sans-serif", size: 13, color: "#1b1b1b" },
      hoverlabel: { namelength: -1 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
    };
  }
  const config = { responsive: true, displayModeBar: false, locale: "pt-BR" };

  function bar(name, key, color, format) {
    return {
      type: "bar", name: name, x: months, y: num(key), marker: { color: color },
      customdata: text(key, format), hovertemplate: "%{x}<br>" + name + ": %{customdata}<extra></extra>",
    };
  }

  window.Plotly.newPlot("chart-energy", [
    bar("Consumo", "consumption_kwh", COLORS.consumption, f.kwh),
    bar("Compensada", "compensated_kwh", COLORS.compensated, f.kwh),
  ], layout("kWh"), config);

  window.Plotly.newPlot("chart-money", [
    bar("Total sem GD", "total_without_gd", COLORS.withoutGd, f.money),
    bar("Economia GD", "gd_savings", COLORS.savings, f.money),
  ], layout("R$"), config);

  const balance = {
    type: "scatter", mode: "lines+markers", name: "Saldo GD", x: months, y: num("gd_balance_kwh"),
    line: { color: COLORS.balance }, connectgaps: true,
    customdata: text("gd_balance_kwh", f.kwh), hovertemplate: "%{x}<br>Saldo: %{customdata}<extra></extra>",
  };
  window.Plotly.newPlot("chart-balance", [balance], layout("kWh"), config);
})();
