/* The inspector's visit form, made to work with no connection (issue 15, point 6).

   Online, the page copies the inspector's assigned visits (with the protocol, indicator lists and
   labels) into IndexedDB. Everything typed is kept there at once, as records of the §7 envelope in
   the outbox (inspections-outbox.js), and sent through POST /api/v1/inspections/sync/ when the
   phone is back online or on "Send now". Per record: accepted → out of the outbox, with the new
   version; invalid → kept, errors shown on it; conflict → kept, the inspector chooses field by field
   between their version and the server's. A completed visit, once sent, is deleted from the phone
   (its workers' names with it). */
(function () {
  "use strict";
  var F = window.RutaForms;
  var $ = F.$;
  var $all = F.$all;
  var app = document.getElementById("field-app");
  if (!app || !window.indexedDB || !window.RutaOutbox || !window.fetch) return;

  // The catalogue (jsi18n) may be missing on a phone that never loaded it online: fall back to English.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    var i = 0;
    return format.replace(/%s/g, function () { return String(values[i++]); });
  };

  var KINDS = ["visit", "interview", "infraction"];  // a visit first: the others refer to it
  var NO_VISIT = "00000000-0000-0000-0000-000000000000";
  var COUNTRIES = ["HN", "GT", "SV", "NI", "CR", "PA", "BZ", "MX", "US", "CU", "HT", "DO", "CO", "VE", "EC", "PE", "BR", "CN", "IN"];
  var CHOICES = JSON.parse(($("#field-choices") || { textContent: "{}" }).textContent);
  var urls = {
    visits: app.getAttribute("data-visits-url"),
    sync: app.getAttribute("data-sync-url"),
    evidence: app.getAttribute("data-evidence-url"),
    login: app.getAttribute("data-login-url"),
    sw: app.getAttribute("data-sw-url"),
    scope: app.getAttribute("data-scope")
  };
  var token = ($("meta[name=csrf-token]") || { content: "" }).content;
  var outbox = null;
  var view = { name: "list", visit: null, record: null };
  var syncing = false;

  // ---------------------------------------------------------------- small helpers
  function iso() { return new Date().toISOString(); }
  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  function label(group, value) { return (CHOICES[group] && CHOICES[group][value]) || ""; }
  function byCode(list) {
    var map = {};
    (list || []).forEach(function (item) { map[item.code] = item.label; });
    return map;
  }
  function message(state, text, link) {
    var box = $("[data-sync-message]", app);
    box.hidden = false;
    box.setAttribute("data-state", state);
    box.className = "notice field-message field-" + state;
    box.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(a);
    }
  }
  function countryName(code) {
    if (!code) return "";
    try { return new Intl.DisplayNames([document.documentElement.lang || "es"], { type: "region" }).of(code); } catch (e) { return code; }
  }

  // ---------------------------------------------------------------- the phone's copy
  function cached(uuid) {
    return outbox.get("cache", "visit:" + uuid).then(function (row) { return row ? row.detail : null; });
  }
  function storeVisit(detail) {
    return outbox.put("cache", { key: "visit:" + detail.id, group: detail.id, detail: detail });
  }
  function localRecords(uuid) {
    return outbox.pending().then(function (entries) {
      var mine = {};
      entries.filter(function (entry) { return entry.group === uuid; }).forEach(function (entry) { mine[entry.id] = entry; });
      return mine;
    });
  }
  function filesOf(uuid) {
    return outbox.all("files").then(function (files) { return files.filter(function (file) { return file.group === uuid; }); });
  }
  /* The visit as the inspector sees it: the server's copy with this phone's unsent edits on top. */
  function model(uuid) {
    return Promise.all([cached(uuid), localRecords(uuid), filesOf(uuid)]).then(function (parts) {
      var detail = parts[0];
      if (!detail) return null;
      var local = parts[1];
      var merge = function (kind, rows) {
        var seen = {};
        var out = (rows || []).map(function (row) {
          seen[row.id] = true;
          var entry = local[row.id];
          return { id: row.id, version: row.version, data: entry ? entry.data : row.data, entry: entry || null };
        });
        Object.keys(local).forEach(function (id) {
          var entry = local[id];
          if (entry.kind === kind && !seen[id]) out.push({ id: id, version: null, data: entry.data, entry: entry });
        });
        return out;
      };
      return {
        detail: detail,
        visitEntry: local[uuid] || null,
        data: local[uuid] ? local[uuid].data : detail.data,
        interviews: merge("interview", detail.interviews),
        infractions: merge("infraction", detail.infractions),
        files: parts[2]
      };
    });
  }

  /* The server accepted ``sent``: its content, at the new version, becomes the phone's server copy. */
  function accepted(sent, result) {
    return cached(sent.group).then(function (detail) {
      if (!detail) return null;
      if (sent.kind === "visit") {
        detail.version = result.version;
        detail.data = sent.data;
      } else {
        var list = sent.kind === "interview" ? (detail.interviews = detail.interviews || []) : (detail.infractions = detail.infractions || []);
        var row = list.filter(function (item) { return item.id === sent.id; })[0];
        if (row) { row.version = result.version; row.data = sent.data; } else list.push({ id: sent.id, version: result.version, data: sent.data });
      }
      return storeVisit(detail);
    });
  }

  /* The version a new edit starts from: the phone's server copy of the record (none for a new one).
     Read when the edit is kept, not when the form opened: a sync in between moved it on. */
  function withVersion(record) {
    return cached(record.group).then(function (detail) {
      var version = null;
      if (detail && record.kind === "visit") version = detail.version;
      else if (detail) {
        var rows = (record.kind === "interview" ? detail.interviews : detail.infractions) || [];
        var row = rows.filter(function (item) { return item.id === record.id; })[0];
        version = row ? row.version : null;
      }
      record.base_version = version;
      return record;
    });
  }

  // ---------------------------------------------------------------- saving what is typed
  var timers = {};
  var saving = {};
  function markSaving() {
    var busy = Object.keys(timers).length + Object.keys(saving).length;
    app.setAttribute("data-saving", busy ? "1" : "0");
  }
  /* Keep a record on the phone shortly after the last keystroke (and at once on change/blur). */
  function schedule(id, build, now) {
    if (timers[id]) window.clearTimeout(timers[id].handle);
    var run = function () {
      delete timers[id];
      var record = build();
      var kept = (saving[id] || Promise.resolve()).then(function () {
        return withVersion(record);
      }).then(function () {
        return outbox.keep(record);
      }).then(null, function () {
        message("broken", gettext("This phone could not keep the last change (is its storage full?). Keep this page open and free some space."));
      }).then(function () {
        if (saving[id] === kept) delete saving[id];  // a later keystroke's save may be queued behind this one
        markSaving();
        soon();
        return showQueue();
      });
      saving[id] = kept;
      markSaving();
      return kept;
    };
    timers[id] = { handle: window.setTimeout(run, now ? 0 : 300), run: run };
    markSaving();
  }
  /* Connected, what is typed goes to the server a few seconds after the last change. */
  var later = null;
  function soon() {
    if (later) window.clearTimeout(later);
    later = window.setTimeout(function () { later = null; if (navigator.onLine) sync(); }, 3000);
  }
  function flushSaves() {
    var pendingRuns = Object.keys(timers).map(function (id) {
      window.clearTimeout(timers[id].handle);
      return timers[id].run();
    });
    return Promise.all(pendingRuns.concat(Object.keys(saving).map(function (id) { return saving[id]; })));
  }
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flushSaves(); });
  window.addEventListener("pagehide", flushSaves);

  // ---------------------------------------------------------------- what is waiting
  var KIND_LABELS = {
    visit: gettext("Visit record"),
    interview: gettext("Worker interview"),
    infraction: gettext("Infraction")
  };
  var STATE_LABELS = {
    queued: gettext("waiting to be sent"),
    invalid: gettext("needs a correction"),
    conflict: gettext("changed by someone else: choose what to keep"),
    refused: gettext("refused by the server")
  };
  function showQueue() {
    return Promise.all([outbox.pending(), outbox.all("files"), outbox.all("cache")]).then(function (parts) {
      var entries = parts[0];
      var files = parts[1];
      var names = {};
      parts[2].forEach(function (row) { if (row.detail) names[row.group] = row.detail.establishment.name; });
      var count = entries.length + files.length;
      var counter = $("[data-queue-count]", app);
      counter.setAttribute("data-count", String(count));
      counter.textContent = count
        ? interpolate(ngettext("%s change is kept on this phone, waiting to be sent.", "%s changes are kept on this phone, waiting to be sent.", count), [count])
        : gettext("Nothing is waiting to be sent.");
      $("[data-queue]", app).hidden = !count;
      $("[data-sync]", app).hidden = !count;
      var list = $("[data-queue-list]", app);
      list.textContent = "";
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.setAttribute("data-queued", entry.kind);
        item.setAttribute("data-state", entry.state);
        var link = document.createElement("a");
        link.href = "#visit/" + entry.group + (entry.state === "conflict" ? "/conflict/" + entry.id : entry.kind === "interview" ? "/interview/" + entry.id : "");
        link.textContent = KIND_LABELS[entry.kind] + " · " + (names[entry.group] || "");
        item.appendChild(link);
        item.appendChild(document.createTextNode(" — " + STATE_LABELS[entry.state]));
        list.appendChild(item);
      });
      files.forEach(function (file) {
        var item = document.createElement("li");
        item.setAttribute("data-queued", "file");
        item.setAttribute("data-state", file.state);
        item.textContent = file.name + " · " + (names[file.group] || "") + " — " + STATE_LABELS[file.state];
        list.appendChild(item);
      });
      return count;
    });
  }
  function showConnection() {
    var line = $("[data-connection]", app);
    line.setAttribute("data-state", navigator.onLine ? "online" : "offline");
    line.textContent = navigator.onLine
      ? gettext("Online.")
      : gettext("Offline: everything you type is kept on this phone and sent when the connection returns.");
  }

  // ---------------------------------------------------------------- talking to the server
  function call(method, url, body, isForm) {
    var headers = { "Accept": "application/json", "X-CSRFToken": token };
    if (body && !isForm) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: body ? (isForm ? body : JSON.stringify(body)) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }
  /* A shell kept by the service worker may hold a token from before the last log-in: fetch the
     current one. False when the session ended (the inspector must log in again). */
  function freshToken() {
    return fetch(urls.scope, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.redirected || !response.ok) return false;
      return response.text().then(function (html) {
        var meta = new DOMParser().parseFromString(html, "text/html").querySelector("meta[name=csrf-token]");
        if (!meta) return false;
        token = meta.content;
        return true;
      });
    }).catch(function () { return false; });
  }
  function signedOut() {
    message("signed-out", gettext("Your session has ended. Nothing is lost: the changes stay on this phone."), {
      href: urls.login, text: gettext("Log in again to send them.")
    });
  }
  /* POST with one retry after renewing the CSRF token (403/401 from a stale one). */
  function post(url, body, isForm) {
    return call("POST", url, body, isForm).then(function (answer) {
      if (answer.status !== 401 && answer.status !== 403) return answer;
      return freshToken().then(function (renewed) {
        if (!renewed) return { status: answer.status, body: answer.body, signedOut: true };
        return call("POST", url, body, isForm);
      });
    });
  }

  /* Bring the assigned visits onto the phone (and drop those no longer assigned, unless something
     typed about them is still waiting). */
  function refresh() {
    if (!navigator.onLine) return Promise.resolve();
    return call("GET", urls.visits).then(function (answer) {
      if (answer.status === 401 || answer.status === 403) { signedOut(); return null; }
      if (answer.status !== 200 || !answer.body) return null;
      var rows = Array.isArray(answer.body) ? answer.body : answer.body.results || [];
      var ids = rows.map(function (row) { return row.id; });
      return outbox.put("cache", { key: "visits", group: "", rows: rows }).then(function () {
        return Promise.all(rows.map(function (row) {
          return call("GET", urls.visits + row.id + "/").then(function (detail) {
            if (detail.status === 200 && detail.body) return storeVisit(detail.body);
            return null;
          });
        }));
      }).then(function () { return outbox.all("cache"); }).then(function (rows) {
        return Promise.all(rows.filter(function (row) { return row.detail && ids.indexOf(row.group) < 0; }).map(function (row) {
          return Promise.all([localRecords(row.group), filesOf(row.group)]).then(function (parts) {
            if (!Object.keys(parts[0]).length && !parts[1].length) return outbox.forget(row.group);
            return null;
          });
        }));
      });
    }).catch(function () { /* offline after all: the phone's copy stays */ });
  }

  function uploadFiles() {
    return Promise.all([outbox.all("files"), outbox.pending()]).then(function (parts) {
      var waiting = parts[1].filter(function (entry) { return entry.kind === "visit" && entry.base_version === null; });
      var files = parts[0].filter(function (file) {
        return file.state === "queued" && !waiting.some(function (entry) { return entry.id === file.group; });
      });
      var sent = 0;
      return files.reduce(function (chain, file) {
        return chain.then(function () {
          var body = new FormData();
          body.append("file", file.blob, file.name);
          body.append("idempotency_key", file.idempotency_key);
          return post(urls.evidence.replace(NO_VISIT, file.group), body, true).then(function (answer) {
            if (answer.status === 200 || answer.status === 201) { sent += 1; return outbox.remove("files", file.id); }
            if (answer.status === 413 || answer.status === 400) {
              file.state = "refused";
              file.error = answer.status === 413 ? gettext("The file is too large.")
                : Object.keys((answer.body && answer.body.errors) || {}).map(function (field) {
                  return answer.body.errors[field].map(function (error) { return error.message; }).join(" ");
                }).join(" ");
              return outbox.put("files", file);
            }
            return null;  // the server is busy: try again next time
          });
        });
      }, Promise.resolve()).then(function () { return sent; });
    });
  }

  /* A completed visit with nothing left to send is deleted from the phone. */
  function purgeCompleted() {
    var purged = [];
    return outbox.all("cache").then(function (rows) {
      return Promise.all(rows.filter(function (row) { return row.detail; }).map(function (row) {
        return model(row.group).then(function (visit) {
          if (!visit || visit.data.status !== "completed") return null;
          var left = visit.visitEntry || visit.files.length ||
            visit.interviews.some(function (item) { return item.entry; }) ||
            visit.infractions.some(function (item) { return item.entry; });
          if (left) return null;
          purged.push(visit.detail.establishment.name);
          return outbox.forget(row.group);
        });
      }));
    }).then(function () { return purged; });
  }

  function sync() {
    if (syncing) return Promise.resolve();
    showConnection();
    if (!navigator.onLine) {
      message("offline", gettext("No connection: the changes stay on this phone and are sent when it returns."));
      return Promise.resolve();
    }
    syncing = true;
    app.setAttribute("data-sync", "sending");
    var summary = { accepted: 0, files: 0, invalid: 0, conflict: 0, failed: null, purged: [] };
    return flushSaves().then(function () {
      return outbox.send(function (body) { return post(urls.sync, body); }, KINDS, accepted);
    }).then(function (answer) {
      if (answer.signedOut) { summary.failed = "signed-out"; return; }
      if (answer.status && answer.status !== 200) { summary.failed = answer.status; return; }
      answer.results.forEach(function (pair) {
        var status = pair.result.status;
        if (status === "invalid") summary.invalid += 1;
        else if (status === "conflict") summary.conflict += 1;
        else summary.accepted += 1;
      });
    }).then(function () {
      return summary.failed ? 0 : uploadFiles();
    }).then(function (files) {
      summary.files = files || 0;
      return summary.failed ? [] : purgeCompleted();
    }).then(function (purged) {
      summary.purged = purged;
      return summary.failed ? null : refresh();
    }).catch(function () {
      summary.failed = "network";
    }).then(function () {
      syncing = false;
      app.setAttribute("data-sync", "idle");
      report(summary);
      return rerender();
    });
  }

  function report(summary) {
    if (summary.failed === "signed-out") { signedOut(); return; }
    if (summary.failed) {
      message("retry", gettext("Could not send now; everything stays on this phone and will be sent later."));
      return;
    }
    var parts = [];
    if (summary.accepted) parts.push(interpolate(ngettext("%s record sent.", "%s records sent.", summary.accepted), [summary.accepted]));
    if (summary.files) parts.push(interpolate(ngettext("%s file sent.", "%s files sent.", summary.files), [summary.files]));
    if (summary.invalid) parts.push(interpolate(ngettext("%s record needs a correction.", "%s records need a correction.", summary.invalid), [summary.invalid]));
    if (summary.conflict) parts.push(interpolate(ngettext("%s record was changed by someone else: choose what to keep.", "%s records were changed by someone else: choose what to keep.", summary.conflict), [summary.conflict]));
    summary.purged.forEach(function (name) {
      parts.push(interpolate(gettext("The completed visit to %s was sent and deleted from this phone, with the workers' names."), [name]));
    });
    if (!parts.length) return;
    message(summary.invalid || summary.conflict ? "attention" : summary.purged.length ? "purged" : "sent", parts.join(" "));
  }

  // ---------------------------------------------------------------- list of visits
  function showList() {
    return Promise.all([outbox.get("cache", "visits"), outbox.all("cache")]).then(function (parts) {
      var kept = {};
      parts[1].forEach(function (row) { if (row.detail) kept[row.group] = row.detail; });
      var rows = (parts[0] && parts[0].rows) || [];
      // Visits opened on this phone stay listed offline even if the list itself was refreshed since.
      Object.keys(kept).forEach(function (id) {
        if (!rows.some(function (row) { return row.id === id; })) rows.push({ id: id, establishment: kept[id].establishment, data: kept[id].data });
      });
      var list = $("[data-visit-list]", app);
      list.textContent = "";
      rows.forEach(function (row) {
        var detail = kept[row.id];
        var item = document.createElement("li");
        item.setAttribute("data-visit", row.id);
        var link = document.createElement("a");
        link.href = "#visit/" + row.id;
        link.textContent = (row.establishment && row.establishment.name) || (detail && detail.establishment.name) || "";
        item.appendChild(link);
        var data = (detail && detail.data) || row.data || {};
        var line = document.createElement("small");
        line.textContent = [label("inspection_type", data.inspection_type || row.inspection_type),
          row.planned_for || (detail && detail.planned_for) || "",
          label("status", data.status || row.status),
          detail ? gettext("ready to work offline") : gettext("open it once online to work offline")].filter(Boolean).join(" · ");
        item.appendChild(document.createElement("br"));
        item.appendChild(line);
        list.appendChild(item);
      });
      $("[data-visit-empty]", app).hidden = rows.length > 0;
    });
  }

  // ---------------------------------------------------------------- one visit
  function fill(root, texts) {
    Object.keys(texts).forEach(function (name) {
      $all("[data-text='" + name + "']", root).forEach(function (el) { el.textContent = texts[name] || ""; });
    });
  }

  function visitRecord(visit, form) {
    var data = clone(visit.data);
    var typed = F.read(form);
    Object.keys(typed).forEach(function (name) { data[name] = typed[name]; });
    data.steps = data.steps || {};
    $all("[data-step]", form).forEach(function (row) {
      data.steps[row.getAttribute("data-step")] = {
        done: $("[data-step-done]", row).checked,
        note: $("[data-step-note]", row).value.trim()
      };
    });
    if (!data.started_at) data.started_at = iso();
    if (data.status !== "completed") data.status = "in_progress";
    return data;
  }

  function showVisit(uuid) {
    return model(uuid).then(function (visit) {
      var body = $("[data-visit-body]", app);
      body.textContent = "";
      if (!visit) {
        var missing = document.createElement("p");
        missing.className = "notice notice-warning";
        missing.textContent = gettext("This visit is not on this phone. Open it once while online.");
        body.appendChild(missing);
        return;
      }
      var detail = visit.detail;
      body.appendChild(F.instantiate("tpl-visit", ""));
      fill(body, {
        establishment: detail.establishment.name,
        type: label("inspection_type", visit.data.inspection_type),
        place: [detail.establishment.address, detail.establishment.municipality && detail.establishment.municipality.label].filter(Boolean).join(", "),
        planned: detail.planned_for || "",
        protocol: detail.protocol ? interpolate(gettext("Protocol version %s"), [detail.protocol.version]) : ""
      });
      var form = $("[data-visit-form]", body);
      var steps = $("[data-steps]", form);
      ((detail.protocol && detail.protocol.steps) || []).forEach(function (step) {
        var row = F.instantiate("tpl-step", "").firstElementChild;
        row.setAttribute("data-step", step.code);
        fill(row, {
          label: step.label,
          required: step.required ? gettext("(required)") : "",
          guidance: step.guidance,
          evidence: step.required_evidence || gettext("none")
        });
        var note = $("[data-step-note]", row);
        note.id = "step-note-" + step.code;
        $("[data-step-note-label]", row).htmlFor = note.id;
        var saved = (visit.data.steps || {})[step.code] || {};
        $("[data-step-done]", row).checked = !!saved.done;
        note.value = saved.note || "";
        $("[data-step-more]", row).open = !!note.value;  // a note written is shown
        steps.appendChild(row);
      });
      F.write(form, visit.data);
      var save = function (event) {
        schedule(uuid, function () {
          return { kind: "visit", id: uuid, group: uuid, data: visitRecord(visit, form) };
        }, event.type === "change");
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);

      $("[data-add-interview]", body).addEventListener("click", function () {
        var id = window.RutaOutbox.uuid();
        var data = {
          visit: uuid, held_in_private: true, age: null, age_group: "unknown", sex: "unknown", nationality: "",
          job: "", consent_to_identify: false, given_names: "", family_names: "", forced_labour_indicators: [],
          ilo_ec_indicators: [], exploitation: "labour", hazardous_work: false, immediate_danger: false, notes: ""
        };
        outbox.keep({ kind: "interview", id: id, group: uuid, base_version: null, data: data }).then(function () {
          location.hash = "#visit/" + uuid + "/interview/" + id;
        });
      });
      $("[data-add-infraction]", body).addEventListener("click", function () {
        var id = window.RutaOutbox.uuid();
        var data = { visit: uuid, legal_basis: "", description: "", remedy: "", remedy_due: null };
        outbox.keep({ kind: "infraction", id: id, group: uuid, base_version: null, data: data }).then(function () {
          return showVisitRecords(uuid);
        }).then(function () {
          var added = $("[data-infraction='" + id + "'] select", app);
          if (added) added.focus();
        });
      });
      $("[data-evidence-input]", body).addEventListener("change", function (event) {
        var chosen = Array.prototype.slice.call(event.target.files || []);
        Promise.all(chosen.map(function (file) {
          return outbox.put("files", {
            id: window.RutaOutbox.uuid(), group: uuid, name: file.name, type: file.type, size: file.size,
            blob: file, idempotency_key: window.RutaOutbox.uuid(), state: "queued", saved_at: iso()
          });
        })).then(function () {
          event.target.value = "";
          return showVisitRecords(uuid);
        }).then(showQueue).then(function () { if (navigator.onLine) sync(); });
      });
      var complete = $("[data-complete]", body);
      complete.addEventListener("click", function () {
        if (complete.getAttribute("data-confirm") !== "yes") {
          complete.setAttribute("data-confirm", "yes");
          complete.textContent = gettext("Confirm: the visit is complete");
          return;
        }
        flushSaves().then(function () { return model(uuid); }).then(function (latest) {
          var data = visitRecord(latest, form);
          data.status = "completed";
          data.closed_at = iso();
          visit.data = data;
          return withVersion({ kind: "visit", id: uuid, group: uuid, data: data }).then(function (record) { return outbox.keep(record); });
        }).then(function () {
          message("completed", navigator.onLine
            ? gettext("The visit is complete. Sending it; once sent it is deleted from this phone.")
            : gettext("The visit is complete and kept on this phone. It is sent when the connection returns, then deleted from this phone."));
          return showQueue();
        }).then(function () { return navigator.onLine ? sync() : rerender(); });
      });
      return showVisitRecords(uuid);
    });
  }

  function recordState(entry) {
    if (!entry) return gettext("Sent.");
    return STATE_LABELS[entry.state] ? STATE_LABELS[entry.state].charAt(0).toUpperCase() + STATE_LABELS[entry.state].slice(1) + "." : "";
  }

  function interviewSummary(data, position) {
    var age = data.age !== null && data.age !== undefined ? interpolate(gettext("%s years"), [data.age]) : label("age_group", data.age_group);
    var parts = [interpolate(gettext("Worker %s"), [position]), age, label("sex", data.sex), data.job];
    if ((data.forced_labour_indicators || []).length) {
      parts.push(interpolate(ngettext("%s indicator", "%s indicators", data.forced_labour_indicators.length), [data.forced_labour_indicators.length]));
    }
    if (data.immediate_danger) parts.push(gettext("immediate danger"));
    return parts.filter(Boolean).join(" · ");
  }

  /* The parts of the visit page that change after a save or a sync (never the form being typed in). */
  function showVisitRecords(uuid) {
    return model(uuid).then(function (visit) {
      var body = $("[data-visit-body]", app);
      if (!visit || !$("[data-visit-form]", body)) return;
      var state = $("[data-visit-state]", body);
      var entry = visit.visitEntry;
      state.hidden = !entry || entry.state === "queued";
      state.textContent = "";
      if (entry && entry.state === "conflict") {
        var resolve = document.createElement("a");
        resolve.href = "#visit/" + uuid + "/conflict/" + uuid;
        resolve.textContent = gettext("This visit was changed by someone else: choose what to keep.");
        state.appendChild(resolve);
      } else if (entry && entry.state === "invalid") {
        state.textContent = gettext("The server refused this visit record: correct the fields marked.");
      }
      F.showErrors($("[data-visit-form]", body), entry && entry.state === "invalid" ? entry.errors : null);
      if (visit.data.status === "completed") {
        $("[data-complete]", body).disabled = true;
        $("[data-complete]", body).textContent = gettext("Completed: waiting to be sent");
      }

      var list = $("[data-interviews]", body);
      list.textContent = "";
      visit.interviews.forEach(function (interview, index) {
        var item = document.createElement("li");
        item.setAttribute("data-interview", interview.id);
        item.setAttribute("data-state", interview.entry ? interview.entry.state : "sent");
        var link = document.createElement("a");
        link.href = "#visit/" + uuid + "/" + (interview.entry && interview.entry.state === "conflict" ? "conflict/" : "interview/") + interview.id;
        link.textContent = interviewSummary(interview.data, index + 1);
        item.appendChild(link);
        var line = document.createElement("small");
        line.textContent = " " + recordState(interview.entry);
        item.appendChild(line);
        list.appendChild(item);
      });

      var bases = visit.detail.legal_bases || [];
      var holder = $("[data-infractions]", body);
      visit.infractions.forEach(function (infraction, index) {
        var box = $("[data-infraction='" + infraction.id + "']", holder);
        if (!box) {
          box = F.instantiate("tpl-infraction", "inf-" + infraction.id.slice(0, 8) + "-").firstElementChild;
          box.setAttribute("data-infraction", infraction.id);
          var select = $("select[data-field=legal_basis]", box);
          var none = document.createElement("option");
          none.value = "";
          none.textContent = gettext("Choose the legal basis");
          select.appendChild(none);
          bases.forEach(function (basis) {
            var option = document.createElement("option");
            option.value = basis.code;
            option.textContent = basis.label;
            select.appendChild(option);
          });
          F.write(box, infraction.data);
          var save = function (event) {
            schedule(infraction.id, function () {
              var data = clone(infraction.data);
              var typed = F.read(box);
              Object.keys(typed).forEach(function (name) { data[name] = typed[name]; });
              data.visit = uuid;
              infraction.data = data;
              return { kind: "infraction", id: infraction.id, group: uuid, data: data };
            }, event.type === "change");
          };
          box.addEventListener("input", save);
          box.addEventListener("change", save);
          holder.appendChild(box);
        }
        fill(box, { title: interpolate(gettext("Infraction %s"), [index + 1]) });
        var stateLine = $("[data-record-state]", box);
        stateLine.textContent = recordState(infraction.entry);
        if (infraction.entry && infraction.entry.state === "conflict") {
          var link = document.createElement("a");
          link.href = "#visit/" + uuid + "/conflict/" + infraction.id;
          link.textContent = gettext("Choose what to keep");
          stateLine.appendChild(document.createTextNode(" "));
          stateLine.appendChild(link);
        }
        F.showErrors(box, infraction.entry && infraction.entry.state === "invalid" ? infraction.entry.errors : null);
      });

      var files = $("[data-evidence]", body);
      files.textContent = "";
      visit.files.forEach(function (file) {
        var item = document.createElement("li");
        item.setAttribute("data-file", file.id);
        item.setAttribute("data-state", file.state);
        item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " kB) — " + STATE_LABELS[file.state] + (file.error ? ": " + file.error : "");
        if (file.state === "refused") {
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "secondary outline small";
          drop.textContent = gettext("Remove from this phone");
          drop.addEventListener("click", function () {
            outbox.remove("files", file.id).then(function () { return showVisitRecords(uuid); }).then(showQueue);
          });
          item.appendChild(document.createTextNode(" "));
          item.appendChild(drop);
        }
        files.appendChild(item);
      });
    });
  }

  // ---------------------------------------------------------------- one interview
  function countryOptions(select) {
    var none = document.createElement("option");
    none.value = "";
    none.textContent = gettext("Not known or not given");
    select.appendChild(none);
    var region = COUNTRIES.slice(0, 4);
    var rest = COUNTRIES.slice(4).sort(function (a, b) { return countryName(a).localeCompare(countryName(b)); });
    region.concat(rest).forEach(function (code) {
      var option = document.createElement("option");
      option.value = code;
      option.textContent = countryName(code);
      select.appendChild(option);
    });
  }

  function isChild(data) {
    if (data.age !== null && data.age !== undefined) return data.age < 18;
    return data.age_group === "child";
  }

  function showInterview(uuid, id) {
    return model(uuid).then(function (visit) {
      var body = $("[data-interview-body]", app);
      body.textContent = "";
      var interview = visit && visit.interviews.filter(function (item) { return item.id === id; })[0];
      if (!interview) {
        var missing = document.createElement("p");
        missing.className = "notice notice-warning";
        missing.textContent = gettext("This interview is not on this phone.");
        body.appendChild(missing);
        return;
      }
      var position = visit.interviews.indexOf(interview) + 1;
      body.appendChild(F.instantiate("tpl-interview", ""));
      fill(body, { title: interpolate(gettext("Worker %s"), [position]) });
      var form = $("[data-interview-form]", body);
      countryOptions($("[data-countries]", form));
      F.checkboxes($("[data-set=forced_labour_indicators] [data-options]", form), visit.detail.forced_labour_indicators || [], "fl-");
      var ilo = $("[data-set=ilo_ec_indicators]", form);
      var lists = visit.detail.ilo_ec_indicators || { adult: [], child: [] };
      // The ILO–EC list depends on the worker's age and on the exploitation suspected.
      var showIlo = function (data) {
        var child = isChild(data);
        $("[data-child-note]", form).hidden = !child;
        $("[data-ilo-list-note]", ilo).textContent = child
          ? gettext("Indicators for a child (under 18).") : gettext("Indicators for an adult.");
        var options = (child ? lists.child : lists.adult).filter(function (item) {
          return !item.exploitation || item.exploitation === data.exploitation;
        });
        F.checkboxes($("[data-options]", ilo), options, "ilo-");
        $all("input[type=checkbox]", ilo).forEach(function (box) {
          box.checked = (data.ilo_ec_indicators || []).indexOf(box.value) >= 0;
        });
      };
      var identity = $("[data-identity]", form);
      var data = clone(interview.data);
      F.write(form, data);
      showIlo(data);
      identity.hidden = !data.consent_to_identify;
      var entry = interview.entry;
      if (entry && entry.state === "invalid") F.showErrors(form, entry.errors);
      if (entry && entry.state === "conflict") {
        var note = document.createElement("p");
        note.className = "notice notice-warning";
        var link = document.createElement("a");
        link.href = "#visit/" + uuid + "/conflict/" + id;
        link.textContent = gettext("This interview was changed by someone else: choose what to keep.");
        note.appendChild(link);
        body.insertBefore(note, form);
      }
      var savedLine = $("[data-saved]", body);
      savedLine.textContent = gettext("Everything typed here is kept on this phone at once.");

      var save = function (event) {
        var typed = F.read(form);
        if (event.target.getAttribute("data-field") === "age" && typed.age !== null && !isNaN(typed.age)) {
          typed.age_group = typed.age < 18 ? "child" : "adult";
          $("[data-field=age_group]", form).value = typed.age_group;
        }
        if (event.target.getAttribute("data-field") === "consent_to_identify") {
          identity.hidden = !typed.consent_to_identify;
          if (!typed.consent_to_identify) {
            // No consent, no name: what was typed is wiped from the form and from the phone.
            typed.given_names = "";
            typed.family_names = "";
            F.write(identity, typed);
          }
        }
        var field = event.target.getAttribute("data-field");
        $("[data-child-note]", form).hidden = !isChild(typed);
        if ((["age", "age_group"].indexOf(field) >= 0 && isChild(typed) !== isChild(data)) ||
            (field === "exploitation" && typed.exploitation !== data.exploitation)) {
          typed.ilo_ec_indicators = [];
          showIlo(typed);
        }
        Object.keys(typed).forEach(function (name) { data[name] = typed[name]; });
        data.visit = uuid;
        schedule(id, function () {
          return { kind: "interview", id: id, group: uuid, data: clone(data) };
        }, event.type === "change");
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    });
  }

  // ---------------------------------------------------------------- a conflict, side by side
  var FIELD_LABELS = {
    establishment: gettext("Establishment"),
    inspection_type: gettext("Inspection type"),
    started_at: gettext("Started at"),
    observations: gettext("Observations"),
    immediate_danger: gettext("Immediate danger"),
    danger_note: gettext("What was seen"),
    status: gettext("Status"),
    closed_at: gettext("Closed at"),
    held_in_private: gettext("Held in private"),
    age: gettext("Age"),
    age_group: gettext("Age group"),
    sex: gettext("Sex"),
    nationality: gettext("Nationality"),
    job: gettext("Job or task"),
    consent_to_identify: gettext("Agrees to be identified"),
    given_names: gettext("Given names"),
    family_names: gettext("Family names"),
    forced_labour_indicators: gettext("Forced-labour indicators"),
    ilo_ec_indicators: gettext("ILO–EC indicators"),
    exploitation: gettext("Kind of exploitation"),
    hazardous_work: gettext("Hazardous work"),
    notes: gettext("Notes"),
    legal_basis: gettext("Legal basis"),
    description: gettext("What was found"),
    remedy: gettext("Remedy ordered"),
    remedy_due: gettext("Remedy due by")
  };

  function flatten(data) {
    var flat = {};
    Object.keys(data || {}).forEach(function (name) {
      if (name === "visit") return;
      if (name === "steps") {
        Object.keys(data.steps || {}).forEach(function (code) { flat["steps." + code] = data.steps[code]; });
      } else {
        flat[name] = data[name];
      }
    });
    return flat;
  }

  function shown(name, value, detail) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
    if (typeof value === "boolean") return value ? gettext("Yes") : gettext("No");
    if (name.indexOf("steps.") === 0) return (value.done ? gettext("Done") : gettext("Not done")) + (value.note ? ": " + value.note : "");
    var lists = {
      forced_labour_indicators: byCode(detail.forced_labour_indicators),
      ilo_ec_indicators: byCode((detail.ilo_ec_indicators && detail.ilo_ec_indicators.adult || []).concat(detail.ilo_ec_indicators && detail.ilo_ec_indicators.child || [])),
      legal_basis: byCode(detail.legal_bases)
    };
    if (lists[name]) return [].concat(value).map(function (code) { return lists[name][code] || code; }).join("; ");
    if (name === "nationality") return countryName(value);
    if (CHOICES[name]) return label(name, value) || String(value);
    if (name === "establishment") return detail.establishment.name;
    if (typeof value === "string" && MOMENT.test(value)) return new Date(value).toLocaleString(document.documentElement.lang || undefined);
    return String(value);
  }

  var MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
  /* Equal values, also when the server wrote the same moment differently ("…Z" and "…+00:00"). */
  function same(a, b) {
    if (typeof a === "string" && typeof b === "string" && MOMENT.test(a) && MOMENT.test(b)) return Date.parse(a) === Date.parse(b);
    if ((a === undefined || a === null || a === "") && (b === undefined || b === null || b === "")) return true;
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function showConflict(uuid, id) {
    return Promise.all([model(uuid), outbox.get("records", id)]).then(function (parts) {
      var visit = parts[0];
      var entry = parts[1];
      var body = $("[data-conflict-body]", app);
      body.textContent = "";
      if (!visit || !entry || entry.state !== "conflict") {
        var none = document.createElement("p");
        none.className = "notice";
        none.textContent = gettext("Nothing to choose here any more.");
        body.appendChild(none);
        return;
      }
      body.appendChild(F.instantiate("tpl-conflict", ""));
      var steps = byCode((visit.detail.protocol && visit.detail.protocol.steps) || []);
      var mine = flatten(entry.data);
      var theirs = flatten(entry.server.data);
      var names = Object.keys(mine).concat(Object.keys(theirs).filter(function (name) { return !(name in mine); }));
      var differing = names.filter(function (name) { return !same(mine[name], theirs[name]); });
      var rows = $("[data-conflict-rows]", body);
      differing.forEach(function (name, index) {
        // One group per field: its name, then the two versions to choose from (this phone's first).
        var group = document.createElement("fieldset");
        group.setAttribute("data-conflict-field", name);
        var legend = document.createElement("legend");
        legend.textContent = name.indexOf("steps.") === 0 ? steps[name.slice(6)] || gettext("Protocol step") : FIELD_LABELS[name] || gettext("Other field");
        group.appendChild(legend);
        [["mine", mine[name]], ["server", theirs[name]]].forEach(function (side) {
          var radio = document.createElement("input");
          radio.type = "radio";
          radio.name = "choice-" + index;
          radio.value = side[0];
          radio.id = "choice-" + index + "-" + side[0];
          radio.checked = side[0] === "mine";
          var text = document.createElement("label");
          text.htmlFor = radio.id;
          text.appendChild(radio);
          var content = document.createElement("span");
          var whose = document.createElement("strong");
          whose.textContent = rows.getAttribute("data-" + side[0]) + " ";
          content.appendChild(whose);
          content.appendChild(document.createTextNode(shown(name, side[1], visit.detail)));
          text.appendChild(content);
          group.appendChild(text);
        });
        rows.appendChild(group);
      });
      var form = $("[data-conflict-form]", body);
      var send = function (keepMine) {
        var data = clone(entry.data);
        differing.forEach(function (name, index) {
          var chosen = $("input[name=choice-" + index + "]:checked", form);
          if (keepMine || !chosen || chosen.value === "mine") return;
          if (name.indexOf("steps.") === 0) {
            data.steps = data.steps || {};
            if (theirs[name] === undefined) delete data.steps[name.slice(6)]; else data.steps[name.slice(6)] = theirs[name];
          } else if (theirs[name] === undefined) {
            delete data[name];
          } else {
            data[name] = theirs[name];
          }
        });
        outbox.resolve(id, data).then(function () {
          message("resolved", gettext("Your choice is kept on this phone and sent as a new version."));
          location.hash = "#visit/" + uuid + (entry.kind === "interview" ? "/interview/" + id : "");
          return navigator.onLine ? sync() : showQueue();
        });
      };
      form.addEventListener("submit", function (event) { event.preventDefault(); send(false); });
      $("[data-keep-mine]", form).addEventListener("click", function () { send(true); });
    });
  }

  // ---------------------------------------------------------------- navigation
  function route() {
    var parts = (location.hash || "").replace(/^#/, "").split("/");
    var next = { name: "list", visit: null, record: null };
    if (parts[0] === "visit" && parts[1]) {
      next = { name: parts[2] === "interview" ? "interview" : parts[2] === "conflict" ? "conflict" : "visit", visit: parts[1], record: parts[3] || null };
    }
    view = next;
    $all("[data-view]", app).forEach(function (section) { section.hidden = section.getAttribute("data-view") !== view.name; });
    app.setAttribute("data-view-shown", view.name);
    var shown;
    if (view.name === "visit") shown = showVisit(view.visit);
    else if (view.name === "interview") shown = showInterview(view.visit, view.record);
    else if (view.name === "conflict") shown = showConflict(view.visit, view.record);
    else shown = showList();
    return shown.then(function () {
      var title = $("[data-view='" + view.name + "'] h2", app);
      if (title && view.name !== "list") { title.tabIndex = -1; title.focus(); }
      app.setAttribute("data-ready", "1");
    });
  }

  /* After a sync: refresh what may have changed without rebuilding a form someone is typing in. */
  function rerender() {
    return showQueue().then(function () {
      if (view.name === "list") return showList();
      return cached(view.visit).then(function (detail) {
        if (!detail) { location.hash = ""; return route(); }
        if (view.name === "visit") return showVisitRecords(view.visit);
        if (view.name === "conflict") return showConflict(view.visit, view.record);
        return outbox.get("records", view.record).then(function (entry) {
          var form = $("[data-interview-form]", app);
          if (form) F.showErrors(form, entry && entry.state === "invalid" ? entry.errors : null);
        });
      });
    });
  }

  $all("[data-go-list]", app).forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); flushSaves(); location.hash = ""; });
  });
  $all("[data-go-visit]", app).forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); flushSaves(); location.hash = "#visit/" + view.visit; });
  });
  $("[data-sync]", app).addEventListener("click", function () { sync(); });

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !urls.sw) return;
    navigator.serviceWorker.register(urls.sw, { scope: urls.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var assets = $all("link[rel=stylesheet], script[src]").map(function (el) { return el.href || el.src; });
      if (registration.active) registration.active.postMessage({ cache: assets });
    }).catch(function () { /* without a service worker the form still works while the page stays open */ });
  }

  window.RutaOutbox.open("ruta-inspections-" + app.getAttribute("data-user")).then(function (opened) {
    outbox = opened;
    showConnection();
    window.addEventListener("hashchange", function () { flushSaves().then(route); });
    window.addEventListener("online", function () { showConnection(); sync(); });
    window.addEventListener("offline", showConnection);
    window.setInterval(function () { if (navigator.onLine) outbox.pending().then(function (left) { if (left.some(function (e) { return e.state === "queued"; })) sync(); }); }, 60000);
    return showQueue();
  }).then(function () {
    return navigator.onLine ? sync() : null;
  }).then(function () {
    return route();
  }).then(registerWorker).catch(function () {
    message("broken", gettext("This phone's browser cannot keep the form offline (storage refused). Use another browser or stay online."));
  });
})();
