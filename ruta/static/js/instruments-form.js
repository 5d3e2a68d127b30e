// Ruta's web form for XLSForm instruments: repeat instances (add/remove) and show/hide.
// Which questions are relevant is decided by the server's evaluator (one implementation of the
// XPath subset, never two that could disagree): after each change the form's answers are posted
// to the relevance URL, and the answer lists the inputs to hide, the calculated values and the
// notes that show answers.
(function () {
  "use strict";
  var form = document.querySelector("form.instrument-form");
  if (!form) return;
  var url = form.getAttribute("data-relevance-url");
  var pending = null;
  var sequence = 0;

  function refresh() {
    var mine = ++sequence;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || mine !== sequence) return;
        var hidden = new Set(answer.hidden);
        form.querySelectorAll("[data-field]").forEach(function (element) {
          element.hidden = hidden.has(element.getAttribute("data-field"));
        });
        form.querySelectorAll("output[data-value-for]").forEach(function (output) {
          output.textContent = answer.values[output.getAttribute("data-value-for")] || "";
        });
        form.querySelectorAll("[data-label-for]").forEach(function (element) {
          var label = answer.labels[element.getAttribute("data-label-for")];
          if (label !== undefined) element.textContent = label;
        });
      })
      .catch(function () { /* offline: keep the page as it is; the server checks on saving */ });
  }

  function schedule() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  function addInstance(button) {
    var base = button.getAttribute("data-repeat-add");
    var template = document.getElementById(base + "-template");
    var container = document.getElementById(base + "-instances");
    var index = parseInt(container.getAttribute("data-next-index"), 10) || 0;
    var placeholder = template.getAttribute("data-placeholder");
    var clone = template.content.cloneNode(true);
    clone.querySelectorAll("[name], [id], [for], [data-field], [data-value-for], [data-label-for], [data-repeat-add], template").forEach(function (element) {
      ["name", "id", "for", "data-field", "data-value-for", "data-label-for", "data-repeat-add"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) element.setAttribute(attribute, value.split(placeholder).join(String(index)));
      });
    });
    container.appendChild(clone);
    container.setAttribute("data-next-index", String(index + 1));
    schedule();
  }

  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-repeat-add]");
    if (add) { addInstance(add); return; }
    var remove = event.target.closest("[data-repeat-remove]");
    if (remove) {
      remove.closest(".repeat-instance").remove();
      schedule();
    }
  });
  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
})();
