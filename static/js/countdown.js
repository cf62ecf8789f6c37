// Ticks every .countdown element between server refreshes; the server's deadline stays the authority.
(function () {
  function format(total) {
    var s = Math.max(0, total), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(r).padStart(2, "0");
    return (h ? h + ":" : "") + mm + ":" + ss;
  }
  function tick() {
    document.querySelectorAll(".countdown[data-seconds]").forEach(function (el) {
      var left = parseInt(el.getAttribute("data-seconds"), 10);
      if (isNaN(left)) { return; }
      el.textContent = format(left);
      el.setAttribute("data-seconds", String(Math.max(0, left - 1)));
    });
  }
  tick();
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSwap", tick);
})();
