/* Alert forms: department → municipality filter (offline too), repeatable persons, and on the
   public form an offline queue. A report made without connection is kept (with its idempotency key) in
   localStorage and sent when the phone is back online; the key makes a resend harmless.

   What stays on the phone (ASVS 8.2): only reports not sent yet, and only the fields the server
   needs. A report leaves storage as soon as the server answers (accepted or refused), after
   QUEUE_DAYS unsent, or when the reporter deletes it; an empty queue removes the storage key, so
   someone who picks up the phone later finds nothing. The tracking code is shown, never stored. */
(function () {
  "use strict";
  var QUEUE_KEY = "ruta.alerts.queue";
  var QUEUE_DAYS = 3;  // the page says so (alerts/report.html, data-kept)
  var QUEUE_MAX_AGE_MS = QUEUE_DAYS * 24 * 60 * 60 * 1000;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setupPlace(form) {
    // The municipalities come with the page (#municipality-data), not from the network: the filter
    // works offline too, on the page the service worker kept.
    var wrapper = $("[data-department-filter]", form);
    var department = wrapper && $("select", wrapper);
    var municipality = $("select[name=municipality]", form);
    var data = $("#municipality-data");
    if (!wrapper || !department || !municipality || !data) return;
    var rows;
    try { rows = JSON.parse(data.textContent); } catch (e) { return; }
    var original = municipality.innerHTML;  // every municipality, grouped by department
    function apply() {
      var chosen = municipality.value;
      municipality.innerHTML = original;
      if (department.value) {
        var unknown = municipality.options[0].cloneNode(true);
        municipality.innerHTML = "";
        municipality.appendChild(unknown);
        rows.forEach(function (row) {
          if (row.department !== department.value) return;
          var option = document.createElement("option");
          option.value = row.code;
          option.textContent = row.name;
          municipality.appendChild(option);
        });
      }
      municipality.value = chosen;
      if (municipality.selectedIndex < 0) municipality.selectedIndex = 0;
    }
    wrapper.hidden = false;
    department.addEventListener("change", apply);
    // reset() restores the selects' values but not the options this script replaced.
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    if (department.value) apply();
  }

  function setupPersons(form) {
    var button = $("[data-add-person]", form);
    var rows = $("[data-person-rows]", form);
    var total = $("input[name=person-TOTAL_FORMS]", form);
    if (!button || !rows || !total) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var all = $all("[data-person-row]", rows);
      var index = parseInt(total.value, 10);
      var clone = all[all.length - 1].cloneNode(true);
      $all("input, select, label, small", clone).forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/person-\d+-/, "person-" + index + "-"));
        });
        if (el.tagName === "INPUT") el.value = "";
        if (el.tagName === "SELECT") el.selectedIndex = 0;
        if (el.tagName === "SMALL" && el.classList.contains("error")) el.remove();
      });
      rows.appendChild(clone);
      total.value = String(index + 1);
      var focus = $("input, select", clone);
      if (focus) focus.focus();
    });
  }

  function payloadFrom(form) {
    var value = function (name) { var el = form.elements[name]; return el ? (el.value || "").trim() : ""; };
    var persons = $all("[data-person-row]", form).map(function (row) {
      var age = $("input[name$=-age]", row).value.trim();
      var group = $("select[name$=-age_group]", row).value || "unknown";
      var sex = $("select[name$=-sex]", row).value || "unknown";
      if (!age && group === "unknown" && sex === "unknown") return null;
      var years = age ? parseInt(age, 10) : null;
      if (years !== null) group = years < 18 ? "child" : "adult";
      return { age: years, age_group: group, sex: sex };
    }).filter(Boolean);
    var now = form.querySelector("input[name=happening_now]:checked");
    return {
      narrative: value("narrative"),
      municipality: value("municipality") || null,
      department: value("department") || null,
      signals: $all("input[name=signals]:checked", form).map(function (el) { return el.value; }),
      happening_now: !!(now && now.value === "yes"),
      persons: persons,
      reporter_contact: value("reporter_contact"),
      channel: "public_web",
      website: value("website"),
      idempotency_key: value("idempotency_key")
    };
  }

  function setupOffline(form) {
    var apiUrl = form.getAttribute("data-api-url");
    if (!apiUrl || !window.fetch || !window.localStorage) return;
    var box = $("#report-status");
    var texts = $("#report-messages");
    var csrf = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
    var message = function (name) { return texts ? texts.getAttribute("data-" + name) : name; };

    function save(items) {
      if (items.length) localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
      else localStorage.removeItem(QUEUE_KEY);
    }
    function fresh(item) {
      var at = Date.parse(item && item.queuedAt);
      return !!(item && item.payload) && !isNaN(at) && Date.now() - at < QUEUE_MAX_AGE_MS;
    }
    var expired = 0;
    function load() {
      var items;
      try { items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { items = null; }
      if (!Array.isArray(items)) { localStorage.removeItem(QUEUE_KEY); return []; }
      var kept = items.filter(fresh);
      if (kept.length !== items.length) { expired += items.length - kept.length; save(kept); }
      return kept;
    }
    function clearQueue() { localStorage.removeItem(QUEUE_KEY); }

    function show(state, text, extra) {
      box.hidden = false;
      box.setAttribute("data-state", state);
      box.className = "notice report-status report-" + state;
      box.textContent = text;
      if (extra) box.appendChild(extra);
      box.focus && box.focus();
    }

    function queuedView() {
      var wrap = document.createElement("div");
      var kept = document.createElement("p");
      kept.textContent = message("kept");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.setAttribute("data-clear-queue", "");
      button.textContent = message("clear");
      button.addEventListener("click", function () {
        clearQueue();
        show("cleared", message("cleared"));
      });
      wrap.appendChild(kept);
      wrap.appendChild(button);
      return wrap;
    }

    function restore(payload) {
      // A refused report comes back into the form (in memory only) so it can be corrected.
      ["narrative", "reporter_contact"].forEach(function (name) {
        if (form.elements[name] && payload[name]) form.elements[name].value = payload[name];
      });
    }

    function sentView(body) {
      var wrap = document.createElement("div");
      var code = document.createElement("p");
      code.className = "tracking-code";
      code.setAttribute("data-tracking-code", "");
      code.textContent = body.tracking_code;
      // The code goes to the tracking page in a POST body: a URL would leave it in logs and history.
      var track = document.createElement("form");
      track.method = "post";
      track.action = form.getAttribute("data-track-url");
      track.setAttribute("data-track-form", "");
      [["csrfmiddlewaretoken", csrf], ["code", body.tracking_code]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        track.appendChild(input);
      });
      var button = document.createElement("button");
      button.type = "submit";
      button.textContent = message("track");
      track.appendChild(button);
      wrap.appendChild(code);
      wrap.appendChild(track);
      return wrap;
    }

    function errorList(body) {
      var list = document.createElement("ul");
      var errors = (body && body.errors) || {};
      Object.keys(errors).forEach(function (field) {
        errors[field].forEach(function (error) {
          var item = document.createElement("li");
          item.textContent = error.message;
          list.appendChild(item);
        });
      });
      return list;
    }

    function send(item) {
      return fetch(apiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(item.payload)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      });
    }

    var flushing = false;
    function flush() {
      if (flushing || !navigator.onLine) return;
      var items = load();
      if (!items.length) return;
      flushing = true;
      var item = items[0];
      show("sending", message("sending"));
      send(item).then(function (result) {
        var rest = load().filter(function (other) { return other.payload.idempotency_key !== item.payload.idempotency_key; });
        if (result.status === 201 || result.status === 200) {
          save(rest);
          show("sent", message("sent"), sentView(result.body));
        } else if (result.status === 400 || result.status === 413) {
          save(rest);
          restore(item.payload);
          show("failed", message("failed"), errorList(result.body));
        } else {
          show("queued", message("retry"), queuedView());
        }
      }).catch(function () {
        show("queued", message("queued"), queuedView());
      }).then(function () {
        flushing = false;
        if (load().length && navigator.onLine && box.getAttribute("data-state") === "sent") flush();
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = payloadFrom(form);
      var items = load().filter(function (other) { return other.payload.idempotency_key !== payload.idempotency_key; });
      items.push({ payload: payload, queuedAt: new Date().toISOString() });
      save(items);
      form.reset();
      form.elements.idempotency_key.value = newKey();
      if (!navigator.onLine) { show("queued", message("queued"), queuedView()); return; }
      flush();
    });

    window.addEventListener("online", flush);
    window.setInterval(flush, 30000);
    var waiting = load();
    if (expired) show("expired", message("expired"));
    if (waiting.length) { if (navigator.onLine) flush(); else show("queued", message("queued"), queuedView()); }

    if ("serviceWorker" in navigator && form.getAttribute("data-sw-url")) {
      navigator.serviceWorker.register(form.getAttribute("data-sw-url"), { scope: "/report/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        var assets = $all("link[rel=stylesheet], script[src]").map(function (el) { return el.href || el.src; });
        if (registration.active) registration.active.postMessage({ cache: assets.concat([location.pathname]) });
      }).catch(function () { /* the form still works without a service worker */ });
    }
  }

  $all("[data-report-form]").forEach(function (form) {
    setupPlace(form);
    setupPersons(form);
    setupOffline(form);
  });
})();
