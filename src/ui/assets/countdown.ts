/**
 * The page's only script: it counts down every `<time data-until>` once a second, in the same words
 * the server wrote (`duration` in ../words.ts). When a wait it was watching ends, it reloads the page
 * once to show what the server did (without the note of the last vote), unless someone is typing a comment.
 */
export const COUNTDOWN_JS = `"use strict";
(function () {
  function duration(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    if (s < 60) return s + " s";
    var m = Math.floor(s / 60);
    if (m < 60) return s % 60 === 0 ? m + " min" : m + " min " + (s % 60) + " s";
    return m % 60 === 0 ? Math.floor(m / 60) + " h" : Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
  var clocks = Array.prototype.slice.call(document.querySelectorAll("time[data-until]"));
  var reloading = false;
  function typing() {
    return Array.prototype.some.call(document.querySelectorAll("textarea"), function (t) {
      return t.value !== "";
    });
  }
  function tick() {
    var now = Date.now();
    clocks.forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-until")) - now;
      if (left > 0) {
        el.textContent = duration(left);
        el.setAttribute("data-running", "");
        return;
      }
      el.textContent = el.getAttribute("data-done") || "now";
      if (el.hasAttribute("data-running") && el.hasAttribute("data-reload") && !reloading && !typing()) {
        reloading = true;
        setTimeout(function () { location.replace(location.pathname); }, 1500);
      }
      el.removeAttribute("data-running");
    });
  }
  tick();
  setInterval(tick, 1000);
})();
`;
