/* Wide tables (issue 17): a DSFR table wider than the page scrolls inside its container (.fr-table__container,
   overflow: auto). A keyboard user scrolls it only if the container can take the focus (WCAG 2.1.1, axe-core's
   "scrollable-region-focusable"): while it overflows, the container is focusable and named after the table's
   caption (a region); once it fits again, it leaves the tab order. Without JavaScript the table still scrolls
   with a pointer and its links still bring the focus into it. */
(function () {
  "use strict";

  function update(container) {
    var overflows = container.scrollWidth > container.clientWidth + 1;
    if (overflows && !container.hasAttribute("tabindex")) {
      var caption = container.querySelector("caption");
      var name = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
      container.setAttribute("tabindex", "0");
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", (name || "Tableau") + " (défilement horizontal)");
      container.setAttribute("data-pacte-scroll", "");
    } else if (!overflows && container.hasAttribute("data-pacte-scroll")) {
      container.removeAttribute("tabindex");
      container.removeAttribute("role");
      container.removeAttribute("aria-label");
      container.removeAttribute("data-pacte-scroll");
    }
  }

  function updateAll() {
    document.querySelectorAll(".fr-table__container").forEach(update);
  }

  var pending = null;
  function onResize() {
    if (pending !== null) {
      window.cancelAnimationFrame(pending);
    }
    pending = window.requestAnimationFrame(function () {
      pending = null;
      updateAll();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
  window.addEventListener("load", updateAll); // fonts and icons change the widths
  window.addEventListener("resize", onResize);
})();
