// Meldcode's one script, served by the application itself (no other host). Every page works
// without it; it only adds what cannot be done in HTML alone. Each part below is independent,
// and does nothing on a page without the elements it looks for.
"use strict";

// Copy buttons: a button with data-copy="ID" copies the text of the field with that id, and the
// element with data-copy-status="ID" (a live region) says so (data-copied: in its own words). The button is hidden in the HTML and
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
        say("Kopiëren lukte niet vanzelf. De tekst is geselecteerd: kopieer hem met Ctrl+C (Mac: Cmd+C).");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.getAttribute("data-copied") || "De link is gekopieerd.");
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();

// Print buttons: a button with data-print prints the page (hidden without script, where the
// page says Ctrl+P instead).
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  if (document.querySelector("button[data-print]")) {
    document.querySelectorAll(".print-hint").forEach(function (hint) { hint.hidden = true; });
  }
})();

// Errors and sessions. (1) A form that comes back with mistakes: focus moves to the summary at
// its top, so that a screen reader reads it first and a keyboard user tabs on to its links.
// (2) The warning before the idle limit: the page says in how many seconds to show it
// (data-warn-in, five minutes before the end); "Blijf ingelogd" asks the server for
// /sessie/verlengen, which moves the idle limit on, and hides the warning again. Without this
// script, the time of the end stands beside every form instead.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  var warning = document.getElementById("sessie-waarschuwing");
  if (!warning) {
    return;
  }
  var message = warning.querySelector(".session-message");
  var button = warning.querySelector(".session-stay");
  var timer = null;

  function clock(secondsFromNow) {
    var end = new Date(Date.now() + secondsFromNow * 1000);
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return two(end.getHours()) + ":" + two(end.getMinutes());
  }

  function schedule(warnIn, secondsLeft) {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(function () {
      message.textContent = "U bent een tijd niet actief geweest. Om " +
        clock(secondsLeft - warnIn) + " wordt u uitgelogd. Wat u nog niet verstuurde, " +
        "raakt u dan niet kwijt.";
      warning.hidden = false;
    }, Math.max(0, warnIn) * 1000);
  }

  var warnIn = parseInt(warning.getAttribute("data-warn-in"), 10);
  var secondsLeft = parseInt(warning.getAttribute("data-seconds-left"), 10);
  if (isNaN(warnIn) || isNaN(secondsLeft)) {
    return;
  }
  schedule(warnIn, secondsLeft);

  button.addEventListener("click", function () {
    fetch("/sessie/verlengen", { credentials: "same-origin", redirect: "manual" })
      .then(function (res) {
        if (res.status === 204) {
          warning.hidden = true;
          // A new idle period starts now: the same times as on a fresh page.
          schedule(warnIn, secondsLeft);
        } else {
          message.textContent = "U bent al uitgelogd. Verstuur het formulier: daarna logt u opnieuw " +
            "in, en u raakt niets kwijt.";
        }
      })
      .catch(function () {
        message.textContent = "Dat lukte niet: er is nu geen verbinding. Probeer het zo nog eens.";
      });
  });
})();
