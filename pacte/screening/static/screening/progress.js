// Job page of a batch screening: polls the JSON status of the job, moves the progress bar, and reloads the
// page when the job has ended (the downloads and the summary then appear). Without JavaScript, a meta
// refresh in <noscript> reloads the page instead.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-status-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-job-status-url");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var number = new Intl.NumberFormat("fr-FR");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    if (state.status === "en_attente") {
      text.textContent = "En attente d’un emplacement de calcul.";
      return;
    }
    var total = state.total_rows ? " sur " + number.format(state.total_rows) : "";
    text.textContent = state.percent + " % – " + number.format(state.rows) + " lignes lues" + total + ", " +
      number.format(state.households) + " foyers examinés, " + number.format(state.rejected) + " refusés.";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          window.setTimeout(poll, 5000);
          return;
        }
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
