/* Service worker of the public report pages: keeps the form and its assets so the page opens
   without connection. Reports themselves are queued by report.js and sent when back online. */
"use strict";
var CACHE = "ruta-report-v1";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(["/report/"]); }).catch(function () {}).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  if (event.data && Array.isArray(event.data.cache)) {
    caches.open(CACHE).then(function (cache) { return cache.addAll(event.data.cache); }).catch(function () {});
  }
});

function store(request, response) {
  if (response && response.ok) {
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
    event.respondWith(
      fetch(request).then(function (response) { return store(request, response); }).catch(function () {
        return caches.match(request).then(function (hit) { return hit || caches.match("/report/"); });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/geo/") === 0 || url.pathname.indexOf("/jsi18n/") === 0) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) { return store(request, response); });
      })
    );
  }
});
