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

  function show(state) {
    // The server writes the text in French (ScreeningJob.progress_text): the script only shows it.
    bar.value = state.percent;
    bar.textContent = state.percent + "\u202f%";
    text.textContent = state.text;
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
