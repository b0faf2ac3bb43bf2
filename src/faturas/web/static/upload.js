// Enviar faturas: one upload per file (with its own progress bar), then its job polled until it ends.
"use strict";

(function () {
  const STATUS = {
    uploading: "Enviando…",
    queued: "Na fila",
    running: "Processando",
    succeeded: "Armazenada",
    duplicate: "Duplicada",
    failed: "Falhou",
    rejected: "Recusado",
  };
  const FINISHED = new Set(["succeeded", "duplicate", "failed", "rejected"]);
  const UPLOADS_AT_ONCE = 3;
  const POLL_MS = 1000;

  const tbody = document.querySelector("#uploads tbody");
  const section = document.getElementById("progress");
  const summary = document.getElementById("summary");
  const announcer = document.getElementById("announcer");
  const rows = [];
  const waiting = [];
  let uploading = 0;
  let pollTimer = null;

  function addFile(file) {
    const tr = document.createElement("tr");
    tr.dataset.file = file.name;
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = file.webkitRelativePath || file.name;
    const progressCell = document.createElement("td");
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", "Envio de " + file.name);
    progressCell.appendChild(progress);
    const state = document.createElement("td");
    state.className = "state";
    tr.append(name, progressCell, state);
    tbody.appendChild(tr);
    const row = { file, tr, progress, state, jobId: null };
    rows.push(row);
    setStatus(row, "uploading");
    waiting.push(row);
  }

  function setStatus(row, status, detail, link) {
    const changed = row.tr.dataset.status !== status;
    row.tr.dataset.status = status;
    row.state.textContent = "";
    const label = document.createElement("span");
    label.className = "badge " + status;
    label.textContent = STATUS[status] || status;
    row.state.appendChild(label);
    if (detail) {
      const reason = document.createElement("span");
      reason.className = "reason";
      reason.textContent = " " + detail;
      row.state.appendChild(reason);
    }
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      row.state.append(" ", a);
    }
    if (changed && FINISHED.has(status)) {
      announcer.textContent = row.file.name + ": " + STATUS[status] + (detail ? " — " + detail : "");
    }
  }

  function pump() {
    while (uploading < UPLOADS_AT_ONCE && waiting.length) {
      upload(waiting.shift());
    }
  }

  function upload(row) {
    uploading += 1;
    const form = new FormData();
    form.append("files", row.file, row.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    const headers = window.faturas.withCsrf({ Accept: "application/json" });
    Object.keys(headers).forEach(function (key) { xhr.setRequestHeader(key, headers[key]); });
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) row.progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", function () {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (error) { body = {}; }
      if (xhr.status === 429 || xhr.status === 503) {
        // Too many uploads at once, or the server is briefly unavailable: wait as it asks, then send again.
        const seconds = Math.min(Math.max(Number(xhr.getResponseHeader("Retry-After")) || 5, 1), 120);
        row.progress.value = 0;
        setStatus(row, "uploading", "Aguardando " + seconds + " s para enviar de novo (" + (body.message || "servidor ocupado") + ").");
        uploading -= 1;
        setTimeout(function () { waiting.unshift(row); pump(); }, seconds * 1000);
        return;
      }
      if (xhr.status === 202 && body.jobs && body.jobs.length) {
        row.progress.value = 100;
        row.jobId = body.jobs[0].job_id;
        setStatus(row, body.jobs[0].status, body.jobs[0].existing ? "(este arquivo já tinha sido enviado)" : "");
        schedulePoll();
      } else {
        setStatus(row, "rejected", body.message || "O servidor recusou o arquivo (erro " + xhr.status + ").");
      }
      done();
    });
    xhr.addEventListener("error", function () {
      setStatus(row, "rejected", "Não foi possível falar com o servidor. Verifique a conexão e envie de novo.");
      done();
    });
    xhr.send(form);
  }

  function done() {
    uploading -= 1;
    pump();
    updateSummary();
  }

  function schedulePoll() {
    if (!pollTimer) pollTimer = setTimeout(poll, POLL_MS);
  }

  function poll() {
    pollTimer = null;
    const pending = rows.filter(function (row) { return row.jobId && !FINISHED.has(row.tr.dataset.status); });
    if (!pending.length) return;
    Promise.all(pending.slice(0, 20).map(function (row) {
      return window.faturas.fetchJson("/api/jobs/" + encodeURIComponent(row.jobId)).then(function (answer) {
        if (answer.ok) showJob(row, answer.body);
      }).catch(function () { /* the next poll tries again */ });
    })).then(function () {
      updateSummary();
      schedulePoll();
    });
    // Round robin: the first ones go to the back, so every job is looked at.
    pending.slice(0, 20).forEach(function (row) { rows.push(rows.splice(rows.indexOf(row), 1)[0]); });
  }

  function showJob(row, job) {
    if (job.status === "failed") {
      setStatus(row, "failed", job.error ? job.error.message : "");
    } else if (job.status === "duplicate") {
      const invoice = job.invoice_ids && job.invoice_ids[0];
      setStatus(row, "duplicate", job.message || "", invoice ? { href: "/faturas/" + invoice, text: "ver a fatura armazenada" } : null);
    } else if (job.status === "succeeded") {
      const invoice = job.invoice_ids && job.invoice_ids[0];
      setStatus(row, "succeeded", "", invoice ? { href: "/faturas/" + invoice, text: "ver fatura" } : null);
    } else {
      setStatus(row, job.status);
    }
  }

  function updateSummary() {
    if (!rows.length) return;
    const count = { succeeded: 0, duplicate: 0, failed: 0 };
    let open = 0;
    rows.forEach(function (row) {
      const status = row.tr.dataset.status;
      if (status === "rejected") count.failed += 1;
      else if (status in count) count[status] += 1;
      else open += 1;
    });
    const parts = count.succeeded + " armazenada(s), " + count.duplicate + " duplicada(s), " + count.failed + " com falha";
    summary.dataset.done = open === 0 ? "true" : "false";
    summary.innerHTML = "";
    const text = document.createElement("p");
    text.textContent = open === 0 ? "Concluído: " + parts + "." : "Em andamento (" + open + " de " + rows.length + "): " + parts + ".";
    summary.appendChild(text);
    if (open === 0) {
      const next = document.createElement("p");
      next.innerHTML = '<a href="/faturas">Ver as faturas</a> · <a href="/dashboard">Abrir o dashboard</a>' +
        (count.failed ? ' · <a href="/processamento">Ver falhas</a>' : "");
      summary.appendChild(next);
    }
  }

  // Bills arrive as PDFs or as images (phone screenshots and photos); the server checks the content.
  function isBillFile(file) {
    return /\.(pdf|jpe?g|png|webp)$/i.test(file.name) || /^(application\/pdf|image\/(jpeg|png|webp))$/.test(file.type);
  }

  function addFiles(files, onlyPdf) {
    const list = Array.from(files).filter(function (file) { return !onlyPdf || isBillFile(file); });
    if (!list.length) {
      announcer.textContent = "Nenhum PDF ou imagem encontrado na seleção.";
      return;
    }
    section.hidden = false;
    list.forEach(addFile);
    updateSummary();
    pump();
  }

  // A dropped folder: walk it and take its PDFs and images.
  function readEntry(entry, into) {
    return new Promise(function (resolve) {
      if (entry.isFile) {
        entry.file(function (file) { into.push(file); resolve(); }, function () { resolve(); });
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        const all = [];
        (function readMore() {
          reader.readEntries(function (entries) {
            if (!entries.length) {
              Promise.all(all.map(function (child) { return readEntry(child, into); })).then(resolve);
            } else {
              all.push.apply(all, entries);
              readMore();
            }
          }, function () { resolve(); });
        })();
      } else {
        resolve();
      }
    });
  }

  const files = document.getElementById("files");
  const folder = document.getElementById("folder");
  files.addEventListener("change", function () { addFiles(files.files, false); files.value = ""; });
  folder.addEventListener("change", function () { addFiles(folder.files, true); folder.value = ""; });

  const zone = document.getElementById("dropzone");
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    const items = event.dataTransfer.items;
    const entries = items ? Array.from(items).map(function (item) {
      return item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    }) : [];
    if (entries.length && entries.every(Boolean) && entries.some(function (entry) { return entry.isDirectory; })) {
      const found = [];
      Promise.all(entries.map(function (entry) { return readEntry(entry, found); })).then(function () {
        addFiles(found, true);
      });
    } else {
      addFiles(event.dataTransfer.files, false);
    }
  });
})();
