// Asks before an action that cannot be undone: a form (or the button that submits it) with data-confirm="question".
// One listener for the whole page, so forms swapped in by htmx are covered too.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
