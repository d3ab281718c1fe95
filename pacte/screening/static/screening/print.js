// The simulator's "print the summary" button: shown only when scripts run (the browser's own print works too).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
