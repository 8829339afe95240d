// Offline reading over HTTP: registers the service worker (sw.js at the site root) that keeps
// the pages a visitor reads. Nothing on a page needs it. Opened from disk (file://) the site is
// already offline and browsers refuse workers there, so it does nothing.
(function () {
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.getAttribute("data-sw"), { updateViaCache: "none" }).catch(function () {
      // A host that refuses workers (plain HTTP, a policy): the site reads the same without.
    });
  });
})();
