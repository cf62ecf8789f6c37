// The secretary's desk for today (portal/today.py). The poll brings every part of the desk and htmx swaps each one
// out of band; a part that holds the keyboard focus is left as it is (a later poll refreshes it once the focus has
// left), so nobody loses their place. What is new since the last poll is said in the polite live region.
(function () {
  "use strict";

  function factsOf(list) {
    const found = new Map();
    if (list) list.querySelectorAll("[data-fact]").forEach((item) => found.set(item.dataset.fact, item.textContent.trim()));
    return found;
  }

  function announce(messages) {
    const region = document.getElementById("today-announce");
    if (!region || !messages.length) return;
    region.textContent = messages.join(". ");
  }

  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    if (!target || !target.id || !target.id.startsWith("today-")) return;
    if (target.id === "today-facts") {
      const before = factsOf(target);
      const after = factsOf(event.detail.fragment.querySelector("#today-facts"));
      announce([...after].filter(([key]) => !before.has(key)).map(([, text]) => text));
      return;
    }
    const focused = document.activeElement;
    if (focused && focused !== document.body && target.contains(focused)) event.detail.shouldSwap = false;
  });
})();
