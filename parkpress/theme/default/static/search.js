// Search over the index the build wrote next to the search page (search-index.js sets
// window.parkpressSearch; see parkpress/search.py). Words were stemmed at build time; here
// a query word is only folded (lowercase, no accents, ß -> ss, exactly as search.fold does)
// and looked up: first in the index's table of word forms, then as a stem, then as an
// inflected form of a stem, then as the start of a stem and, where the language writes
// compounds (German), as a part of one.  Scripts without spaces (Han, kana, Hangul, Thai) were
// indexed as character bigrams and single characters; a query in them is cut the same way.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var messages = document.getElementById("search-messages");
  if (!form || !input || !status || !list || !messages) return;
  var index = null;
  var loading = null;  // the queries waiting while the index loads
  var limit = parseInt(form.getAttribute("data-limit"), 10) || 50;
  var EXACT = 1, INFLECTED = 0.9, PREFIX = 0.5, PART = 0.4;
  var SUFFIX = 3;  // how many letters an unseen inflection may add to a known stem
  var decoded = {};

  // "3,1:a,2" -> [3, 1, 4, 10, 6, 1]: document numbers are gaps from the previous one, weights
  // follow a colon where they are not 1, all in base 36 (see search.py _encode).
  function postings(i) {
    if (decoded[i]) return decoded[i];
    var list = [], doc = 0;
    index.postings[i].split(",").forEach(function (entry) {
      var parts = entry.split(":");
      doc += parseInt(parts[0], 36);
      list.push(doc, parts.length > 1 ? parseInt(parts[1], 36) : 1);
    });
    return (decoded[i] = list);
  }

  function message(key, fallback) {
    var node = messages.content.querySelector('[data-key="' + key + '"]');
    return node ? node.textContent : fallback || "";
  }

  // The ranges of search.SPACELESS, and its tokens: runs of them, or letters and digits.
  var SPACELESS = "\u0e00-\u0e7f\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff" +
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{3134f}";
  var TOKEN = new RegExp("[" + SPACELESS + "]+|(?:(?![" + SPACELESS + "])[\\p{L}\\p{N}_])+", "gu");
  var IS_SPACELESS = new RegExp("^[" + SPACELESS + "]", "u");

  function fold(word) {
    return word.toLowerCase().replace(/ß/g, "ss").normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }

  function spaceless(word) { return IS_SPACELESS.test(word); }

  // A query's words: a run of a spaceless script is cut into its bigrams, as the index was (a
  // document holding every bigram is found); a single character of one is looked up as itself.
  function words(text) {
    var found = [];
    (fold(text).match(TOKEN) || []).forEach(function (token) {
      var chars = Array.from(token);
      if (chars.length > 1 && spaceless(token)) {
        for (var i = 1; i < chars.length; i++) found.push(chars[i - 1] + chars[i]);
      } else if (chars.length > 1 || spaceless(token)) {
        found.push(token);
      }
    });
    return found;
  }

  // stem index -> how well it matches one query word (the best way it was found)
  function stemsFor(word) {
    var found = {};
    function add(i, quality) { if (!(found[i] >= quality)) found[i] = quality; }
    var stems = index.stems;
    (index.forms[word] || []).forEach(function (i) { add(i, EXACT); });
    var exact = stems.indexOf(word);
    if (exact >= 0) add(exact, EXACT);
    if (spaceless(word)) return found;  // bigrams and characters are not stemmed: no partial matches
    if (!Object.keys(found).length) {
      var best = -1;
      stems.forEach(function (stem, i) {
        if (stem.length >= 4 && word.length - stem.length <= SUFFIX && word.indexOf(stem) === 0) {
          if (best < 0 || stem.length > stems[best].length) best = i;
        }
      });
      if (best >= 0) add(best, INFLECTED);
    }
    var roots = Object.keys(found).map(function (i) { return stems[i]; });
    if (!roots.length) roots = [word];
    stems.forEach(function (stem, i) {
      roots.forEach(function (root) {
        if (root.length < 3 || stem === root) return;
        if (stem.indexOf(root) === 0) add(i, PREFIX);
        else if (index.compounds && root.length >= 4 && stem.indexOf(root) > 0) add(i, PART);
      });
    });
    return found;
  }

  function search(query) {
    var terms = words(query);
    var scores = null;
    terms.forEach(function (word) {
      var matched = stemsFor(word), forWord = {};
      Object.keys(matched).forEach(function (i) {
        var list = postings(i);
        for (var p = 0; p < list.length; p += 2) {
          var score = list[p + 1] * matched[i];
          if (!(forWord[list[p]] >= score)) forWord[list[p]] = score;
        }
      });
      // Every word of the query must match (AND); scores add up.
      if (scores === null) {
        scores = forWord;
      } else {
        Object.keys(scores).forEach(function (doc) {
          if (doc in forWord) scores[doc] += forWord[doc];
          else delete scores[doc];
        });
      }
    });
    return Object.keys(scores || {})
      .map(Number)
      .sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The index (tens of KB) is loaded on the first search, as a classic script so that it also
  // loads from file://, where fetch() of a JSON file is refused.
  function withIndex(then) {
    if (index || window.parkpressSearch) { index = index || window.parkpressSearch; then(); return; }
    if (loading) { loading.push(then); return; }
    loading = [then];
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = script.onerror = function () {
      index = window.parkpressSearch || null;
      var waiting = loading;
      loading = null;
      waiting.forEach(function (callback) { callback(); });
    };
    document.head.appendChild(script);
  }

  function show(query) {
    if (!index) { withIndex(function () { render(query); }); return; }
    render(query);
  }

  function render(query) {
    list.textContent = "";
    if (!index) { status.textContent = message("unavailable", "Search is not available."); return; }
    if (!query.trim()) { status.textContent = ""; return; }
    if (!words(query).length) { status.textContent = message("short"); return; }
    var found = search(query);
    found.slice(0, limit).forEach(function (number) {
      var doc = index.docs[number];  // [url, title, kind, date, summary]
      var item = element("li", "search-result");
      var heading = element("h2", "card-title");
      var link = element("a", "", doc[1]);
      link.href = doc[0];
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(element("p", "meta", doc[3] ? doc[2] + " · " + doc[3] : doc[2]));
      item.appendChild(element("p", "", doc[4]));
      list.appendChild(item);
    });
    status.textContent = found.length > limit ? message("more") : message(String(found.length));
  }

  function remember(query) {
    var url = location.href.split(/[?#]/)[0] + (query ? "?q=" + encodeURIComponent(query) : "");
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      // Some file:// setups refuse replaceState; the results are shown all the same.
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    remember(input.value);
  });
  input.addEventListener("input", function () {
    show(input.value);
    remember(input.value);
  });
  input.addEventListener("focus", function () { withIndex(function () {}); }, { once: true });
  var initial = new URLSearchParams(location.search).get("q") || "";
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
