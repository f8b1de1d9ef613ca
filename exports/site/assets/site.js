/* The index's search and the timeline's filter. Record text is set with textContent, never as HTML. */
(function () {
  "use strict";
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var data = document.getElementById("site-index");
  var input = document.getElementById("site-search");
  if (data && input) {
    var records = JSON.parse(data.textContent), results = document.getElementById("site-results");
    input.addEventListener("input", function () {
      var q = fold(input.value.trim());
      results.replaceChildren();
      if (!q) return;
      var hits = records.filter(function (r) {
        return [r.l].concat(r.a).some(function (name) { return fold(name).indexOf(q) >= 0; });
      });
      function rank(r) { // a name that is the text, then one that begins with it; entities before records before sources
        var names = [r.l].concat(r.a).map(fold);
        var exact = names.indexOf(q) >= 0, prefix = names.some(function (n) { return n.indexOf(q) === 0; });
        return (exact ? 0 : 10) + (prefix ? 0 : 5) + r.w;
      }
      hits = hits.sort(function (a, b) { return rank(a) - rank(b) || a.l.length - b.l.length; }).slice(0, 30);
      hits.forEach(function (r) {
        var li = document.createElement("li"), a = document.createElement("a"), tag = document.createElement("span");
        a.href = r.p; a.textContent = r.l;
        tag.className = "kind-tag"; tag.textContent = r.k;
        li.appendChild(a); li.appendChild(tag); results.appendChild(li);
      });
      if (!hits.length) { var none = document.createElement("li"); none.textContent = "No match"; results.appendChild(none); }
    });
  }
  var kinds = document.getElementById("timeline-kinds");
  if (kinds) {
    kinds.addEventListener("change", function () {
      var on = {};
      kinds.querySelectorAll("input").forEach(function (box) { on[box.value] = box.checked; });
      document.querySelectorAll("table.timeline tbody tr").forEach(function (row) { row.hidden = !on[row.dataset.kind]; });
    });
  }
})();
