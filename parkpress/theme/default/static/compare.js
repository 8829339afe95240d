// Compare page: sortable columns and a choice of two to four parks, as an enhancement
// of the full table in compare.html. Sorting uses the raw numbers in data-value; the
// cells keep the text the build formatted for the locale. State in the URL fragment:
// #sort=investment-attracted&order=desc&parks=wuqing,binhai
(function () {
  "use strict";
  var table = document.getElementById("compare-table");
  var form = document.getElementById("compare-pick");
  var status = document.getElementById("compare-status");
  var messages = document.getElementById("compare-messages");
  if (!table || !form || !status || !messages || !window.URLSearchParams) return;
  var MIN = 2, MAX = 4;
  var body = table.tBodies[0];
  var region = table.parentNode;  // the scrolling wrapper of the full table
  var side = document.createElement("div");  // the chosen parks as columns, figures as rows
  side.className = "table-scroll";
  side.hidden = true;
  side.tabIndex = 0;  // a region that may scroll sideways must be reachable by keyboard
  side.setAttribute("role", "region");
  side.setAttribute("aria-label", table.caption.textContent);
  region.parentNode.insertBefore(side, region.nextSibling);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="park"]'));
  var state = { sort: "", order: "", parks: [] };

  function message(key) {
    var node = messages.content.querySelector('[data-key="' + key + '"]');
    return node ? node.textContent : "";
  }

  function cellValue(row, index) {
    return row.cells[index].getAttribute("data-value") || "";
  }

  function compareRows(index, type, direction) {
    return function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (!x || !y) return x === y ? 0 : x ? -1 : 1;  // rows without a value always go last
      var result;
      if (type === "number") {
        // Amounts in different currencies are not comparable: group by currency first.
        var gx = a.cells[index].getAttribute("data-group") || "", gy = b.cells[index].getAttribute("data-group") || "";
        result = gx === gy ? parseFloat(x) - parseFloat(y) : gx < gy ? -1 : 1;
      } else {
        result = x.localeCompare(y, document.documentElement.lang);
      }
      return direction === "descending" ? -result : result;
    };
  }

  function sortRows() {
    var index = -1;
    headers.forEach(function (th, i) {
      if (th.getAttribute("data-key") === state.sort) {
        index = i;
        th.setAttribute("aria-sort", state.order);
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    if (index < 0) return;
    var rows = Array.prototype.slice.call(body.rows);
    var byName = compareRows(0, "text", "ascending");
    var byColumn = compareRows(index, headers[index].getAttribute("data-type"), state.order);
    rows.sort(function (a, b) { return byColumn(a, b) || byName(a, b); });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function showSelection() {
    var comparing = state.parks.length >= MIN;
    Array.prototype.forEach.call(body.rows, function (row) {
      row.hidden = comparing && state.parks.indexOf(row.getAttribute("data-park")) < 0;
    });
    var visible = Array.prototype.filter.call(body.rows, function (row) { return !row.hidden; });
    // Columns that none of the chosen parks states are left out of the comparison.
    headers.forEach(function (th, i) {
      var empty = comparing && i > 0 && visible.every(function (row) { return !cellValue(row, i); });
      th.hidden = empty;
      Array.prototype.forEach.call(body.rows, function (row) { row.cells[i].hidden = empty; });
    });
    boxes.forEach(function (box) {
      box.checked = state.parks.indexOf(box.value) >= 0;
      box.disabled = !box.checked && state.parks.length >= MAX;
    });
    showSideBySide(comparing ? visible : []);
  }

  // Two to four parks read best side by side: one column per park, one row per figure.
  function showSideBySide(rows) {
    side.textContent = "";
    side.hidden = !rows.length;
    region.hidden = !!rows.length;
    if (!rows.length) return;
    var copy = document.createElement("table");
    copy.className = "compare compare-side";
    copy.createCaption().textContent = table.caption.textContent;
    var head = copy.createTHead().insertRow();
    head.appendChild(cell("th", "col", headers[0].textContent));
    rows.forEach(function (row) { head.appendChild(cell("th", "col", row.cells[0])); });
    var tbody = copy.createTBody();
    headers.forEach(function (th, i) {
      if (i === 0 || th.hidden) return;
      var line = tbody.insertRow();
      var label = line.appendChild(cell("th", "row", th.textContent));
      // A figure kind its catalog lacks is English: the copy says so, as the column's header does.
      var marked = th.querySelector("[lang]");
      if (marked) { label.lang = marked.lang; label.dir = marked.dir; }
      rows.forEach(function (row) { line.appendChild(cell("td", "", row.cells[i])); });
    });
    side.appendChild(copy);
  }

  function cell(tag, scope, content) {
    var node = document.createElement(tag);
    if (scope) node.scope = scope;
    if (typeof content === "string") {
      node.textContent = content;
    } else {
      node.className = content.className;
      Array.prototype.forEach.call(content.childNodes, function (child) { node.appendChild(child.cloneNode(true)); });
    }
    return node;
  }

  function writeFragment() {
    var params = new URLSearchParams();
    if (state.sort) { params.set("sort", state.sort); params.set("order", state.order); }
    if (state.parks.length) params.set("parks", state.parks.join(","));
    var hash = params.toString();
    try {
      history.replaceState(null, "", location.href.split("#")[0] + (hash ? "#" + hash : ""));
    } catch (error) {
      location.hash = hash;
    }
  }

  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var known = boxes.map(function (box) { return box.value; });
    var keys = headers.map(function (th) { return th.getAttribute("data-key"); });
    state.sort = keys.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "";
    state.order = params.get("order") === "descending" ? "descending" : "ascending";
    state.parks = (params.get("parks") || "").split(",").filter(function (key) { return known.indexOf(key) >= 0; }).slice(0, MAX);
  }

  function selectionMessage() {
    var count = state.parks.length;
    return count === 0 ? message("all") : count < MIN ? message("one") : message(String(count));
  }

  table.classList.add("sortable");  // its headings' arrows are the buttons' own now (site.css)
  headers.forEach(function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      // Numbers start with the largest (who attracted most investment?), names with A.
      var first = th.getAttribute("data-type") === "number" ? "descending" : "ascending";
      state.order = state.sort === key ? (state.order === "ascending" ? "descending" : "ascending") : first;
      state.sort = key;
      sortRows();
      writeFragment();
      status.textContent = message(state.order).replace("{column}", button.textContent);
    });
  });

  form.addEventListener("change", function () {
    state.parks = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    showSelection();
    writeFragment();
    status.textContent = selectionMessage();
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    state.parks = [];
    showSelection();
    writeFragment();
    status.textContent = selectionMessage();
  });
  window.addEventListener("hashchange", function () {
    readFragment();
    sortRows();
    showSelection();
  });

  form.hidden = false;
  readFragment();
  sortRows();
  showSelection();
  if (state.parks.length) status.textContent = selectionMessage();
})();
