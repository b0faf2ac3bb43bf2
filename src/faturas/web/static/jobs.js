// Processamento: while jobs are queued or running, keep the counts current without reloading the page.
"use strict";

(function () {
  const cells = document.querySelectorAll("#queue-counts [data-count]");
  if (!cells.length) return;
  const format = new Intl.NumberFormat("pt-BR");
  const busy = function () {
    return ["queued", "running"].some(function (key) {
      const cell = document.querySelector('#queue-counts [data-count="' + key + '"]');
      return cell && cell.textContent.trim() !== "0";
    });
  };
  function refresh() {
    window.faturas.fetchJson("/api/jobs/counts").then(function (answer) {
      if (answer.ok) {
        cells.forEach(function (cell) { cell.textContent = format.format(answer.body[cell.dataset.count]); });
      }
      if (busy()) setTimeout(refresh, 3000);
    }).catch(function () { setTimeout(refresh, 10000); });
  }
  if (busy()) setTimeout(refresh, 3000);
})();
