// Park directory filters: progressive enhancement of the full list in parks.html.
// Reads nothing from the network (works from file://); the state lives in the URL
// fragment (#industry=biomedicine&place=Tianjin) so a filtered view can be shared.
// Messages come pre-translated and pre-formatted from the build (<template id="filter-messages">).
(function () {
  "use strict";
  var form = document.getElementById("park-filters");
  var status = document.getElementById("filter-status");
  var messages = document.getElementById("filter-messages");
  if (!form || !status || !messages || !window.URLSearchParams) return;
  var fields = ["industry", "level", "place"];
  var cards = Array.prototype.slice.call(document.querySelectorAll(".park-cards > .card"));

  function words(card, name) {
    return (card.getAttribute(name) || "").split(" ");
  }

  function matches(card, state) {
    if (state.industry && words(card, "data-industries").indexOf(state.industry) < 0) return false;
    if (state.level && words(card, "data-levels").indexOf(state.level) < 0) return false;
    if (state.place) {
      var province = card.getAttribute("data-province");
      if (state.place !== province && state.place !== province + "/" + card.getAttribute("data-city")) return false;
    }
    return true;
  }

  function current() {
    var state = {};
    fields.forEach(function (name) { state[name] = form.elements[name].value; });
    return state;
  }

  function apply(announce) {
    var state = current(), shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, state);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    var filtered = fields.some(function (name) { return state[name]; });
    var text = messages.content.children[shown];
    // Announce only what the visitor changed; on load the full list needs no message.
    if (announce || filtered) status.textContent = text ? text.textContent : "";
    return state;
  }

  function writeFragment(state) {
    var params = new URLSearchParams();
    fields.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var hash = params.toString();
    var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      location.hash = hash;  // some file:// setups refuse replaceState
    }
  }

  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    fields.forEach(function (name) {
      var select = form.elements[name];
      select.value = params.get(name) || "";
      if (select.selectedIndex < 0) select.value = "";  // an unknown value from an old link
    });
  }

  form.hidden = false;
  form.addEventListener("change", function () { writeFragment(apply(true)); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    // The reset has not happened yet when the event fires.
    setTimeout(function () { writeFragment(apply(true)); }, 0);
  });
  window.addEventListener("hashchange", function () { readFragment(); apply(true); });
  readFragment();
  apply(false);
})();
