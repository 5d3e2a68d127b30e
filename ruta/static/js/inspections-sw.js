/* Service worker of the inspector's field form (scope /inspections/field/): keeps the app shell, its
   scripts, styles and the translation catalogue so the form opens with no connection.

   It never stores data about people: the shell page is kept only when it really is the shell (not a
   log-in page answered after a redirect), API answers are never cached (the visits live in the
   page's IndexedDB, which the page empties once a visit is completed and sent). */
"use strict";
var CACHE = "ruta-inspections-field-v1";
var SHELL = new URL("./", self.registration.scope).pathname;  // "/inspections/field/"

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.add(SHELL); }).catch(function () {}).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("ruta-inspections-field-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function sameOrigin(url) { return new URL(url, self.location.href).origin === self.location.origin; }

function isAsset(url) {
  return url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/jsi18n/") === 0;
}

// The page lists its assets once it is loaded (their names may carry a content hash).
self.addEventListener("message", function (event) {
  if (!event.data || !Array.isArray(event.data.cache)) return;
  var urls = event.data.cache.filter(function (url) { return sameOrigin(url) && isAsset(new URL(url, self.location.href)); });
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(urls); }).catch(function () {}));
});

function keep(request, response) {
  if (response && response.ok && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname !== SHELL) return;
    // Network first, so a connected inspector always gets the current shell (and a fresh CSRF token).
    event.respondWith(
      fetch(request).then(function (response) {
        return url.search ? response : keep(SHELL, response);
      }).catch(function () {
        return caches.match(SHELL).then(function (hit) { return hit || Response.error(); });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/jsi18n/") === 0) {
    // The catalogue follows the language chosen: network first, the kept copy when offline.
    event.respondWith(fetch(request).then(function (response) { return keep(request, response); }).catch(function () {
      return caches.match(request);
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // Stale while revalidate: instant offline, and a changed file is picked up on the next visit.
    event.respondWith(caches.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) { return keep(request, response); });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    }));
  }
});
