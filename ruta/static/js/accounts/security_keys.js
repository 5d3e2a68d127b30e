/* Security keys (WebAuthn) with @simplewebauthn/browser, served from node_modules.

   The server renders the ceremony options (its challenge kept in the session) in a data-options
   attribute; this file asks the browser's authenticator and puts its answer (JSON) in the form's
   hidden "credential" field, then sends the form. The server verifies everything. Messages shown
   here come translated from the page (#security-key-messages data attributes). */
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  var texts = $("#security-key-messages");
  function message(name) { return texts ? texts.getAttribute("data-" + name) : name; }

  function show(text) {
    var box = $("#security-key-status");
    if (!box) return;
    box.hidden = false;
    box.textContent = text;
  }

  function explain(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "AbortError") return message("cancelled");
    if (name === "InvalidStateError") return message("already");
    if (name === "SecurityError") return message("wrong-address");
    return message("failed");
  }

  function options(element) {
    try { return JSON.parse(element.getAttribute("data-options") || ""); } catch (e) { return null; }
  }

  function supported() {
    var lib = window.SimpleWebAuthnBrowser;
    if (!lib || !lib.browserSupportsWebAuthn()) { show(message("unsupported")); return null; }
    return lib;
  }

  function setupRegistration(form) {
    var busy = false;
    form.addEventListener("submit", function (event) {
      var field = form.elements.credential;
      if (!field || field.value) return;  // the key already answered: let the form go
      event.preventDefault();
      if (busy) return;
      var name = form.elements.name;
      if (name && !name.value.trim()) { name.focus(); show(message("name-first")); return; }
      var lib = supported();
      var optionsJSON = options(form);
      if (!lib || !optionsJSON) return;
      busy = true;
      show(message("touch"));
      lib.startRegistration({ optionsJSON: optionsJSON })
        .then(function (answer) { field.value = JSON.stringify(answer); form.submit(); })
        .catch(function (error) { busy = false; show(explain(error)); });
    });
  }

  function setupAuthentication(button) {
    var form = document.getElementById(button.getAttribute("data-form"));
    if (!form) return;
    button.hidden = false;
    var busy = false;
    button.addEventListener("click", function () {
      if (busy) return;
      var password = form.elements.password;
      if (password && !password.value) { password.focus(); show(message("password-first")); return; }
      var lib = supported();
      var optionsJSON = options(button);
      if (!lib || !optionsJSON) return;
      busy = true;
      show(message("touch"));
      lib.startAuthentication({ optionsJSON: optionsJSON })
        .then(function (answer) {
          form.elements.credential.value = JSON.stringify(answer);
          if (form.elements.code) form.elements.code.value = "";
          form.submit();
        })
        .catch(function (error) { busy = false; show(explain(error)); });
    });
  }

  $all("form[data-security-key=register]").forEach(setupRegistration);
  $all("button[data-security-key=authenticate]").forEach(setupAuthentication);
})();
