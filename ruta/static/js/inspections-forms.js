/* Small helpers to turn the page's <template> blocks into forms and back into record data, with no
   framework: an element with data-field="name" holds one value (a checkbox a boolean, a number input
   an integer or null, anything else a trimmed string); an element with data-set="name" holds a list
   (the values of its ticked checkboxes). Errors in the API's shape ({field: [{code, message}]}) go
   next to their field (data-errors-for). */
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* Clone a <template>; ids (and the labels, descriptions pointing at them) get ``prefix`` so
     several copies can sit on one page, and data-for labels are tied to their data-field control. */
  function instantiate(id, prefix) {
    var fragment = document.getElementById(id).content.cloneNode(true);
    $all("[id]", fragment).forEach(function (el) { el.id = prefix + el.id; });
    $all("label[for]", fragment).forEach(function (el) { el.htmlFor = prefix + el.htmlFor; });
    $all("label[data-for]", fragment).forEach(function (label) {
      var name = label.getAttribute("data-for");
      var control = $("[data-field='" + name + "']", fragment);
      if (!control) return;
      control.id = control.id || prefix + name;
      label.htmlFor = control.id;
    });
    return fragment;
  }

  function read(root) {
    var data = {};
    $all("[data-field]", root).forEach(function (el) {
      var name = el.getAttribute("data-field");
      if (el.type === "checkbox") data[name] = el.checked;
      else if (el.type === "number") data[name] = el.value.trim() === "" ? null : parseInt(el.value, 10);
      else if (el.type === "date") data[name] = el.value || null;
      else data[name] = el.value.trim();
    });
    $all("[data-set]", root).forEach(function (el) {
      data[el.getAttribute("data-set")] = $all("input[type=checkbox]:checked", el).map(function (box) { return box.value; });
    });
    return data;
  }

  function write(root, data) {
    $all("[data-field]", root).forEach(function (el) {
      var value = data[el.getAttribute("data-field")];
      if (el.type === "checkbox") el.checked = !!value;
      else el.value = value === null || value === undefined ? "" : String(value);
    });
    $all("[data-set]", root).forEach(function (el) {
      var chosen = data[el.getAttribute("data-set")] || [];
      $all("input[type=checkbox]", el).forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
    });
  }

  /* A list of labelled checkboxes (value = code, text = label: a code is never shown). */
  function checkboxes(container, options, prefix) {
    container.textContent = "";
    options.forEach(function (option) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = option.code;
      box.id = prefix + option.code;
      label.htmlFor = box.id;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + option.label));
      container.appendChild(label);
    });
  }

  function showErrors(root, errors) {
    $all("[data-errors-for]", root).forEach(function (el) { el.hidden = true; el.textContent = ""; });
    $all(".field-error", root).forEach(function (el) { el.classList.remove("field-error"); });
    Object.keys(errors || {}).forEach(function (field) {
      var messages = (errors[field] || []).map(function (error) { return error.message || String(error); }).join(" ");
      var slot = $("[data-errors-for='" + field + "']", root) || $("[data-errors-for='__all__']", root);
      var control = $("[data-field='" + field + "']", root) || $("[data-set='" + field + "']", root);
      if (control) {
        control.classList.add("field-error");
        control.setAttribute("aria-invalid", "true");
      }
      if (slot) {
        slot.hidden = false;
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + messages;
      }
    });
  }

  window.RutaForms = { $: $, $all: $all, instantiate: instantiate, read: read, write: write, checkboxes: checkboxes, showErrors: showErrors };
})();
