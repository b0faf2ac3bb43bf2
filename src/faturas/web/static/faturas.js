// Shared by every page: the CSRF header for requests that change something, and pt-BR formats.
"use strict";

window.faturas = (function () {
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)faturas_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Every non-GET request carries X-CSRF-Token (the auth layer checks it when login is on).
  function withCsrf(headers) {
    const token = csrfToken();
    const all = Object.assign({}, headers || {});
    if (token) all["X-CSRF-Token"] = token;
    return all;
  }

  function fetchJson(url, options) {
    const opts = Object.assign({ credentials: "same-origin" }, options || {});
    if (opts.method && opts.method.toUpperCase() !== "GET") opts.headers = withCsrf(opts.headers);
    return fetch(url, opts).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  const MONTHS = ["JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"];
  function monthLabel(iso) {
    const [year, month] = iso.split("-");
    return MONTHS[Number(month) - 1] + "/" + year;
  }
  const moneyFormat = new Intl.NumberFormat("pt-BR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const kwhFormat = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 3 });
  function money(value) { return "R$ " + moneyFormat.format(Number(value)); }
  function kwh(value) { return kwhFormat.format(Number(value)) + " kWh"; }

  return { csrfToken, withCsrf, fetchJson, monthLabel, money, kwh };
})();
