// Asks before an action that cannot be undone: a form (or the button that submits it) with data-confirm="question".
// One listener for the whole page, so forms swapped in by htmx are covered too. On yes the form gets confirmed=1,
// which the server requires (attestation/core/confirm.py): without it — JavaScript off — the server asks instead.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.dataset.confirm) || form.dataset.confirm;
  var field = form.querySelector("input[data-confirmed]");
  if (!question) {
    if (field) field.remove();
    return;
  }
  if (!window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  if (!field) {
    field = document.createElement("input");
    field.type = "hidden";
    field.name = "confirmed";
    field.value = "1";
    field.setAttribute("data-confirmed", "");
    form.appendChild(field);
  }
}, true);
