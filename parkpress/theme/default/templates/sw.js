// parkpress service worker: keeps the pages a visitor has read, the site's shell and an
// offline page per language, so that a page read once opens again without a network.
// Written by the build; VERSION is a digest of every other output file, so any change to
// the site gives a new cache and the old one is dropped on activation.
"use strict";

var VERSION = {{ version|tojson }};
var SHELL = {{ shell|list|tojson }};
var OFFLINE = {{ offline|tojson }};
var FALLBACK = {{ fallback|tojson }};
var SEARCH = {{ search|tojson }};
// Several parkpress sites can share one host: each keeps to caches named after its scope.
var PREFIX = "parkpress " + self.registration.scope + " ";
var CACHE = PREFIX + VERSION;
var SLOW_MS = 4000;

// Pages are cached under one name however they were asked for: en/ is en/index.html.
function key(url) {
  var u = new URL(url);
  u.hash = "";
  u.search = "";
  if (u.pathname.slice(-1) === "/") u.pathname += "index.html";
  return u.href;
}

// A search page read is a search wanted offline too: keep its index, which it loads only on typing.
async function keepIndex(cache, url) {
  var index = SEARCH[url.slice(self.registration.scope.length)];
  if (!index) return;
  try {
    await cache.add(new URL(index, self.registration.scope).href);
  } catch (error) {
    // Offline: kept when the page is next read.
  }
}

function isPage(response) {
  return response.ok && !response.redirected && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // "reload": fetch past the HTTP cache, which may still hold the previous build's files.
      return cache.addAll(SHELL.map(function (path) { return new Request(path, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

// Drops the previous build's caches; the pages the visitor had kept there are fetched
// again, fresh, so that a new build replaces stale copies without losing the reading list.
self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(CACHE);
    var shell = SHELL.map(function (path) { return new URL(path, self.registration.scope).href; });
    var kept = new Set();
    for (var name of await caches.keys()) {
      if (name.indexOf(PREFIX) !== 0 || name === CACHE) continue;
      for (var request of await (await caches.open(name)).keys()) {
        if (shell.indexOf(request.url) < 0 && /\.html$/.test(request.url)) kept.add(request.url);
      }
      await caches.delete(name);
    }
    await self.clients.claim();
    // The page that registered this worker was loaded before it existed: keep it too.
    for (var client of await self.clients.matchAll({ type: "window" })) {
      if (client.url.indexOf(self.registration.scope) === 0) kept.add(key(client.url));
    }
    await Promise.all(Array.from(kept, function (url) { return refresh(cache, url); }));
  })());
});

async function refresh(cache, url) {
  try {
    var response = await fetch(url, { cache: "no-cache" });
    if (isPage(response)) await Promise.all([cache.put(url, response), keepIndex(cache, url)]);
  } catch (error) {
    // Offline while activating: the page is fetched again when it is next read.
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(self.registration.scope) !== 0) return;
  event.respondWith(request.mode === "navigate" ? page(event) : asset(request));
});

// A page: the network first, so that a visitor online reads the current version. The kept
// copy when the network fails, or when it is slow (trade-fair Wi-Fi): the page is still
// fetched and kept for the next time. A page never read: this language's offline page.
async function page(event) {
  var cache = await caches.open(CACHE);
  var url = key(event.request.url);
  var network = fetch(event.request).then(async function (response) {
    if (isPage(response)) await Promise.all([cache.put(url, response.clone()), keepIndex(cache, url)]);
    return response;
  });
  event.waitUntil(network.catch(function () {}));
  var kept = await cache.match(url);
  if (kept) {
    var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS, kept); });
    return Promise.race([network.catch(function () { return kept; }), slow]);
  }
  try {
    return await network;
  } catch (error) {
    return offlinePage(cache, url);
  }
}

// The offline page of the language the address is in, shown at that address (so that a reload
// back online brings the page asked for); its relative links still start from where it lies.
async function offlinePage(cache, url) {
  var lang = url.slice(self.registration.scope.length).split("/")[0];
  var offline = new URL(OFFLINE[lang] || FALLBACK, self.registration.scope).href;
  var kept = await cache.match(offline);
  if (!kept) return Response.error();
  // Links to a place on the page and "retry" go to the address asked for, not to the offline page.
  var here = url.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  var html = (await kept.text())
    .replace("<head>", '<head><base href="' + offline + '">')
    .replace(/href="#/g, 'href="' + here + "#")
    .replace(/<a data-retry href="[^"]*"/g, '<a data-retry href="' + here + '"');
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// CSS, scripts, icons, images: they change only with a new build, so the cache first.
async function asset(request) {
  var cache = await caches.open(CACHE);
  var kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  var response = await fetch(request);
  if (response.ok && ["style", "script", "image", "manifest", "font"].indexOf(request.destination) >= 0) {
    await cache.put(request, response.clone());
  }
  return response;
}
