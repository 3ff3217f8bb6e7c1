// Meldcode's one script, served by the application itself (no other host). Every page works
// without it; it only adds what cannot be done in HTML alone. Each part below is independent,
// and does nothing on a page without the elements it looks for.
"use strict";

// Copy buttons: a button with data-copy="ID" copies the text of the field with that id, and the
// element with data-copy-status="ID" (a live region) says so. The button is hidden in the HTML and
// shown here, so that without script the field's text stays there to select by hand.
(function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector('[data-copy-status="' + button.getAttribute("data-copy") + '"]');
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var say = function (text) { if (status) status.textContent = text; };
      var fallback = function () {
        field.focus();
        field.select();
        say("Kopiëren lukte niet vanzelf. De link is geselecteerd: kopieer hem met Ctrl+C (Mac: Cmd+C).");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("De link is gekopieerd.");
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
