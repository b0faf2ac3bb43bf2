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

// Webhooks: "Reativar" switches a disabled subscription back on through the API (admins only).
(function () {
  const message = document.getElementById("webhook-message");
  document.querySelectorAll("button.webhook-enable").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      const id = button.dataset.subscriptionId;
      window.faturas.fetchJson("/api/webhooks/" + encodeURIComponent(id) + "/enable", { method: "POST" })
        .then(function (answer) {
          if (answer.ok) {
            const done = "Webhook reativado: as entregas pendentes serão enviadas agora.";
            window.location.assign("/processamento?feito=" + encodeURIComponent(done));
            return;
          }
          button.disabled = false;
          const reason = answer.body && answer.body.message ? answer.body.message : "erro " + answer.status;
          if (message) message.textContent = "Não foi possível reativar: " + reason;
        })
        .catch(function () {
          button.disabled = false;
          if (message) message.textContent = "Não foi possível reativar: sem resposta do servidor.";
        });
    });
  });
})();
