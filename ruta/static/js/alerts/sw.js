/* Service worker of the public report pages: keeps the blank form and its assets so the page opens
   without connection. Reports themselves are queued by report.js and sent when back online; this
   cache never holds a report, an answer or a tracking code (only GET of the form page and assets). */
"use strict";
var CACHE = "ruta-report-v2";  // v1 could hold other pages of the scope: dropped on activation

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
    // Only the blank form is kept: never a page with a query string or any other page.
    var blankForm = url.pathname === "/report/" && !url.search;
    event.respondWith(
      fetch(request).then(function (response) { return blankForm ? store(request, response) : response; }).catch(function () {
        return caches.match(request).then(function (hit) { return hit || caches.match("/report/"); });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/jsi18n/") === 0) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) { return store(request, response); });
      })
    );
  }
});
