/* A durable outbox for forms filled without connection, speaking the sync envelope of DESIGN.md §7
   ({kind, id, base_version, idempotency_key, data} → one result per record). Kind-agnostic: the
   inspection visit form uses it, another offline form could too.

   Three IndexedDB stores, in one database per signed-in user (two people sharing a phone never see
   each other's drafts):
   - "records": what was typed and not yet accepted by the server, one entry per record id. An entry
     leaves only when the server accepted it (created / updated / unchanged); a refused one (invalid)
     or a conflicting one stays, with the server's answer, until the person fixes or resolves it.
   - "cache": the server's copies needed to open a form offline (by key).
   - "files": evidence files queued for upload (Blobs), each with its own idempotency key.

   An idempotency key is bound to one content: it is kept across retries of the same content (a
   lost answer then replays harmlessly) and replaced as soon as the content changes after a send
   was attempted (so an edit is never answered with the replay of an older one). */
(function () {
  "use strict";

  var STORES = ["records", "cache", "files"];

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // Plain-HTTP deployments (no secure context) have no randomUUID: build a v4 UUID by hand.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function Outbox(db) { this.db = db; }

  Outbox.prototype.tx = function (store, mode, work) {
    var db = this.db;
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(store, mode);
      var result;
      Promise.resolve(work(transaction.objectStore(store))).then(function (value) { result = value; });
      // Resolve once the write is on disk, not when it was merely requested: the browser may close next.
      transaction.oncomplete = function () { resolve(result); };
      transaction.onerror = function () { reject(transaction.error); };
      transaction.onabort = function () { reject(transaction.error); };
    });
  };
  Outbox.prototype.get = function (store, key) {
    return this.tx(store, "readonly", function (s) { return done(s.get(key)); });
  };
  Outbox.prototype.all = function (store) {
    return this.tx(store, "readonly", function (s) { return done(s.getAll()); });
  };
  Outbox.prototype.put = function (store, value) {
    return this.tx(store, "readwrite", function (s) { return done(s.put(value)); });
  };
  Outbox.prototype.remove = function (store, key) {
    return this.tx(store, "readwrite", function (s) { return done(s["delete"](key)); });
  };

  /* Keep what was typed for a record (merged over any earlier unsent edit of the same record). */
  Outbox.prototype.keep = function (record) {
    var self = this;
    return self.get("records", record.id).then(function (stored) {
      var entry = stored || {
        id: record.id,
        kind: record.kind,
        group: record.group || "",
        base_version: record.base_version === undefined ? null : record.base_version,
        idempotency_key: uuid(),
        attempted: false,
        state: "queued",
        errors: null,
        server: null
      };
      entry.data = record.data;
      entry.saved_at = new Date().toISOString();
      if (entry.attempted) { entry.idempotency_key = uuid(); entry.attempted = false; }
      if (entry.state === "invalid") entry.state = "queued";  // corrected: try again (errors stay shown until the answer)
      return self.put("records", entry).then(function () { return entry; });
    });
  };

  /* The person chose, field by field, between their version and the server's: send that choice as
     an edit of the server's version. */
  Outbox.prototype.resolve = function (id, data) {
    var self = this;
    return self.get("records", id).then(function (entry) {
      if (!entry || entry.state !== "conflict") return entry;
      entry.data = data;
      entry.base_version = entry.server.version;
      entry.server = null;
      entry.errors = null;
      entry.state = "queued";
      entry.idempotency_key = uuid();
      entry.attempted = false;
      entry.saved_at = new Date().toISOString();
      return self.put("records", entry).then(function () { return entry; });
    });
  };

  Outbox.prototype.pending = function () {
    return this.all("records").then(function (entries) {
      return entries.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : a.saved_at > b.saved_at ? 1 : 0; });
    });
  };

  /* Send every queued record in one envelope (``order`` puts kinds first that others refer to).
     ``post(body)`` does the HTTP call and answers {status, body}; ``accepted(sent, result)`` is
     given each accepted record before it leaves the outbox (to keep the server's copy). Resolves to
     {status, results: [{entry, result}]}; answers other than 200 leave everything queued. */
  Outbox.prototype.send = function (post, order, accepted) {
    var self = this;
    var rank = function (entry) { var at = order.indexOf(entry.kind); return at < 0 ? order.length : at; };
    return self.pending().then(function (entries) {
      var batch = entries.filter(function (entry) { return entry.state === "queued"; });
      batch.sort(function (a, b) { return rank(a) - rank(b); });
      if (!batch.length) return { status: 0, results: [] };
      return Promise.all(batch.map(function (entry) {
        entry.attempted = true;
        return self.put("records", entry);
      })).then(function () {
        return post({
          records: batch.map(function (entry) {
            return {
              kind: entry.kind,
              id: entry.id,
              base_version: entry.base_version,
              idempotency_key: entry.idempotency_key,
              data: entry.data
            };
          })
        });
      }).then(function (answer) {
        if (answer.status !== 200 || !answer.body || !Array.isArray(answer.body.results)) {
          return { status: answer.status, body: answer.body, signedOut: !!answer.signedOut, results: [] };
        }
        var byId = {};
        answer.body.results.forEach(function (result) { byId[result.id] = result; });
        // One after the other: ``accepted`` of two records of one visit rewrite the same server copy.
        var results = [];
        return batch.reduce(function (chain, sent) {
          var result = byId[sent.id];
          if (!result) return chain;
          return chain.then(function () { return self.settle(sent, result, accepted); }).then(function () {
            results.push({ entry: sent, result: result });
          });
        }, Promise.resolve()).then(function () {
          return { status: 200, results: results };
        });
      });
    });
  };

  /* Apply one record's answer. An entry edited while its send was under way keeps its new content
     and goes on from the version the server just gave the content it received. */
  Outbox.prototype.settle = function (sent, result, accepted) {
    var self = this;
    if (["created", "updated", "unchanged"].indexOf(result.status) >= 0) {
      return Promise.resolve(accepted && accepted(sent, result)).then(function () {
        return self.get("records", sent.id);
      }).then(function (entry) {
        if (!entry) return null;
        if (entry.idempotency_key === sent.idempotency_key) return self.remove("records", sent.id);
        entry.base_version = result.version;
        return self.put("records", entry);
      });
    }
    return self.get("records", sent.id).then(function (entry) {
      if (!entry) return null;
      var editedMeanwhile = entry.idempotency_key !== sent.idempotency_key;
      if (editedMeanwhile) return null;  // the newer content is sent next time and gets its own answer
      if (result.status === "invalid") {
        entry.state = "invalid";
        entry.errors = result.errors || {};
      } else if (result.status === "conflict") {
        entry.state = "conflict";
        entry.server = result.server || { version: result.version, data: {} };
      }
      return self.put("records", entry);
    });
  };

  Outbox.prototype.forget = function (group) {
    // Everything kept for one group (a visit): its records, its cached copy, its files.
    var self = this;
    return Promise.all(STORES.map(function (store) {
      return self.all(store).then(function (rows) {
        return Promise.all(rows.filter(function (row) { return row.group === group; }).map(function (row) {
          return self.remove(store, store === "cache" ? row.key : row.id);
        }));
      });
    }));
  };

  function open(name) {
    var request = window.indexedDB.open(name, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("records", { keyPath: "id" });
      db.createObjectStore("cache", { keyPath: "key" });
      db.createObjectStore("files", { keyPath: "id" });
    };
    return done(request).then(function (db) {
      // Ask the browser not to evict this database under storage pressure (best effort).
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      return new Outbox(db);
    });
  }

  window.RutaOutbox = { open: open, uuid: uuid };
})();
