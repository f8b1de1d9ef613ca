/* Draws the graph in <script type="application/json" id="kg-data"> with vis-network.
   Every string from the data is set with textContent or passed to vis as plain text: never as HTML. */
(function () {
  "use strict";
  var LIMIT = 1500; // most nodes drawn at once; above it the most connected are drawn and the page asks for a filter
  var STYLE = {
    "agency": {color: "#1f77b4", shape: "square", name: "Agencies", one: "Agency"},
    "vendor": {color: "#d62728", shape: "dot", name: "Vendors", one: "Vendor"},
    "product": {color: "#ff7f0e", shape: "triangle", name: "Products", one: "Product"},
    "jurisdiction": {color: "#7f7f7f", shape: "hexagon", name: "Jurisdictions", one: "Jurisdiction"},
    "contract": {color: "#2ca02c", shape: "diamond", name: "Contracts", one: "Contract"},
    "deployment": {color: "#17becf", shape: "triangleDown", name: "Deployments", one: "Deployment"},
    "legal-action": {color: "#9467bd", shape: "star", name: "Legal actions", one: "Legal action"},
    "ban": {color: "#8c564b", shape: "hexagon", name: "Bans and moratoria", one: "Ban or moratorium"},
    "relationship": {color: "#e377c2", shape: "diamond", name: "Corporate ties", one: "Corporate tie"},
    "other": {color: "#bcbd22", shape: "dot", name: "Other", one: "Other"}
  };
  var ENTITY = {"agency": 1, "vendor": 1, "product": 1, "jurisdiction": 1, "other": 1};

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = data.nodes, kinds = data.kinds;
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; n.kind = kinds[n.k]; n.nb = []; });
  data.edges.forEach(function (e) { byId[e[0]].nb.push(e[1]); byId[e[1]].nb.push(e[0]); });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  // --- the network ---
  var visNodes = new vis.DataSet(nodes.map(function (n) {
    var st = STYLE[n.kind] || STYLE.other;
    var entity = ENTITY[n.kind] === 1;
    return {
      id: n.id, x: n.x, y: n.y, label: n.l.length > 48 ? n.l.slice(0, 46) + "…" : n.l,
      title: n.l + " (" + (STYLE[n.kind] || STYLE.other).one.toLowerCase() + ")",
      shape: st.shape, color: {background: st.color, border: "#333", highlight: {background: st.color, border: "#000"}},
      value: (entity ? 4 : 2) + n.d, font: {color: "#222"}
    };
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (e, i) {
    return {id: i, from: e[0], to: e[1], label: e[2]};
  }));
  var visible = {}, forced = {};
  var nodeView = new vis.DataView(visNodes, {filter: function (n) { return visible[n.id] === true; }});
  var edgeView = new vis.DataView(visEdges, {filter: function (e) { return visible[e.from] === true && visible[e.to] === true; }});
  var big = nodes.length > 400;
  var network = new vis.Network($("kg-graph"), {nodes: nodeView, edges: edgeView}, {
    physics: false,
    layout: {improvedLayout: false},
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false},
    nodes: {borderWidth: 1, font: {size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff"},
            scaling: {min: 10, max: 36, label: {enabled: true, min: 14, max: 44, drawThreshold: 7, maxVisible: 30}}},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}}, smooth: false, width: 1,
            color: {color: "#a0a8b0", highlight: "#222", hover: "#555"},
            font: {size: 11, face: "system-ui, sans-serif", color: "#444", strokeWidth: 3, strokeColor: "#fff", align: "horizontal"}}
  });

  // --- filters: kinds and years ---
  var kindOn = {};
  kinds.forEach(function (k) { kindOn[k] = true; });
  var years = nodes.filter(function (n) { return n.y0 !== undefined; });
  var minYear = Math.min.apply(null, years.map(function (n) { return n.y0; }));
  var maxYear = Math.max.apply(null, years.map(function (n) { return n.y1; }));
  var from = minYear, to = maxYear;

  function update() {
    var narrowed = years.length > 0 && (from > minYear || to < maxYear);
    var shown = {};
    nodes.forEach(function (n) {
      if (!kindOn[n.kind]) return;
      if (n.y0 !== undefined) { if (n.y1 >= from && n.y0 <= to) shown[n.id] = true; }
      else if (!narrowed) shown[n.id] = true;
    });
    if (narrowed) { // undated entities stay when something dated beside them is shown
      nodes.forEach(function (n) {
        if (n.y0 === undefined && kindOn[n.kind] && n.nb.some(function (m) { return shown[m] && byId[m].y0 !== undefined; })) shown[n.id] = true;
      });
    }
    Object.keys(forced).forEach(function (id) { shown[id] = true; });
    var ids = Object.keys(shown).map(Number);
    var total = ids.length;
    if (total > LIMIT) {
      ids.sort(function (a, b) { return (forced[b] ? 1 : 0) - (forced[a] ? 1 : 0) || byId[b].d - byId[a].d || a - b; });
      ids = ids.slice(0, LIMIT);
    }
    visible = {};
    ids.forEach(function (id) { visible[id] = true; });
    nodeView.refresh();
    edgeView.refresh();
    var banner = $("kg-banner");
    if (banner) {
      banner.hidden = total <= LIMIT;
      banner.textContent = total > LIMIT ? "Showing the " + LIMIT.toLocaleString("en") + " most connected of " +
        total.toLocaleString("en") + " matching nodes. Untick kinds, narrow the years, or search to see the others." : "";
    }
    var count = $("kg-count");
    if (count) count.textContent = ids.length.toLocaleString("en") + " of " + nodes.length.toLocaleString("en") + " nodes shown";
  }

  function swatch(kind) {
    var st = STYLE[kind] || STYLE.other, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "-8 -8 16 16");
    svg.setAttribute("aria-hidden", "true");
    var shapes = {
      square: "M-6-6H6V6H-6Z", dot: "M-6 0A6 6 0 1 0 6 0A6 6 0 1 0 -6 0", triangle: "M0-7L7 6H-7Z", triangleDown: "M0 7L7-6H-7Z",
      diamond: "M0-7L7 0L0 7L-7 0Z", hexagon: "M-6.5 0L-3.2-6H3.2L6.5 0L3.2 6H-3.2Z",
      star: "M0-7L2 -2.2L7-2.2L3-0.8L4.5 6L0 2L-4.5 6L-3-0.8L-7-2.2L-2-2.2Z"
    };
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", shapes[st.shape]); path.setAttribute("fill", st.color); path.setAttribute("stroke", "#333");
    svg.appendChild(path);
    return svg;
  }

  var legend = $("kg-legend");
  if (legend) {
    kinds.forEach(function (k) {
      var count = nodes.filter(function (n) { return n.kind === k; }).length;
      var label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.value = k;
      box.addEventListener("change", function () { kindOn[k] = box.checked; update(); });
      label.appendChild(box); label.appendChild(swatch(k));
      label.appendChild(document.createTextNode(" " + (STYLE[k] || STYLE.other).name + " (" + count + ")"));
      legend.appendChild(label);
    });
  }
  var yearFrom = $("kg-from"), yearTo = $("kg-to");
  if (yearFrom && years.length) {
    [yearFrom, yearTo].forEach(function (input) { input.min = minYear; input.max = maxYear; });
    yearFrom.value = minYear; yearTo.value = maxYear;
    function setYears() {
      from = Math.max(minYear, Number(yearFrom.value) || minYear);
      to = Math.min(maxYear, Number(yearTo.value) || maxYear);
      update();
    }
    yearFrom.addEventListener("change", setYears);
    yearTo.addEventListener("change", setYears);
  } else if (yearFrom) {
    $("kg-years").hidden = true;
  }

  // --- details of a node: its facts in sentences, its sources as links ---
  function focus(id) {
    if (!visible[id]) { forced[id] = true; byId[id].nb.forEach(function (m) { forced[m] = true; }); update(); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
    show(id);
  }

  var faded = false;
  function highlight(id) { // fade what is not linked to the chosen node, so its neighbourhood stands out
    var near = {};
    if (id !== null) { near[id] = true; byId[id].nb.forEach(function (m) { near[m] = true; }); }
    visNodes.update(nodes.map(function (n) {
      var st = STYLE[n.kind] || STYLE.other, on = id === null || near[n.id];
      return {id: n.id, color: on ? {background: st.color, border: "#333"} : {background: "#e4e4e4", border: "#d0d0d0"},
              font: {color: on ? "#222" : "#dcdcdc"}};
    }));
    visEdges.update(data.edges.map(function (e, i) {
      var on = id === null || e[0] === id || e[1] === id;
      return {id: i, color: {color: on ? (id === null ? "#a0a8b0" : "#333") : "#eeeeee"}, font: {color: on ? "#444" : "rgba(0,0,0,0)"}};
    }));
    faded = id !== null;
  }

  function show(id) {
    highlight(id);
    var box = $("kg-details");
    if (!box) return;
    var n = byId[id];
    box.replaceChildren();
    box.appendChild(el("p", (STYLE[n.kind] || STYLE.other).one, "kg-kind"));
    box.appendChild(el("h2", n.l));
    if (n.a && n.a.length) box.appendChild(el("p", "Also known as " + n.a.join("; ")));
    var facts = el("ul", null, "kg-facts");
    (n.s || []).forEach(function (sentence) {
      var li = el("li");
      sentence.forEach(function (seg) {
        if (typeof seg === "string") { li.appendChild(document.createTextNode(seg)); return; }
        if (seg.n !== undefined) {
          var ref = el("a", seg.t, "kg-ref");
          ref.href = "#";
          ref.setAttribute("role", "button");
          ref.addEventListener("click", function (ev) { ev.preventDefault(); focus(seg.n); });
          li.appendChild(ref);
        } else if (seg.p) {
          var a = el("a", seg.t); a.href = seg.p; li.appendChild(a);
        } else {
          li.appendChild(document.createTextNode(seg.t));
        }
      });
      facts.appendChild(li);
    });
    box.appendChild(facts);
    if (n.c && n.c.length) {
      box.appendChild(el("h3", "Sources"));
      var list = el("ol", null, "kg-sources");
      n.c.forEach(function (c) {
        var src = data.sources[c[0]], li = el("li");
        if (src[0] && /^https?:\/\//i.test(src[0])) {
          var a = el("a", src[1] || src[0]);
          a.href = src[0]; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.appendChild(document.createTextNode(src[1] || ""));
        }
        var meta = [src[2], src[3]].filter(Boolean).join(", ");
        if (meta) li.appendChild(el("span", " (" + meta + ")", "kg-meta"));
        if (c[1]) li.appendChild(el("blockquote", c[1]));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (n.p) {
      var page = el("a", "Open its page"); page.href = n.p; page.className = "kg-page";
      box.appendChild(page);
    }
    box.hidden = false;
  }

  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); return; }
    if (params.edges.length) { // an edge shows the contract, action or tie it belongs to
      var e = visEdges.get(params.edges[0]);
      show(ENTITY[byId[e.to].kind] === 1 ? e.from : e.to);
      return;
    }
    if (faded) highlight(null);
  });

  // --- search by any name ---
  var search = $("kg-search"), results = $("kg-results");
  if (search) {
    var hits = [];
    search.addEventListener("input", function () {
      var q = fold(search.value.trim());
      results.replaceChildren();
      hits = [];
      if (!q) return;
      var exact = {};
      nodes.forEach(function (n) {
        var names = [n.l].concat(n.a || []).map(fold);
        if (names.indexOf(q) >= 0 || fold(n.iri).endsWith("/" + q)) { exact[n.id] = true; hits.push(n); }
        else if (names.some(function (s) { return s.indexOf(q) >= 0; })) hits.push(n);
      });
      hits.sort(function (a, b) { return (exact[b.id] ? 1 : 0) - (exact[a.id] ? 1 : 0) || b.d - a.d || a.id - b.id; });
      hits.slice(0, 12).forEach(function (n) {
        var b = el("button", n.l, "kg-hit");
        b.type = "button";
        b.prepend(swatch(n.kind));
        b.addEventListener("click", function () { focus(n.id); });
        var li = el("li"); li.appendChild(b); results.appendChild(li);
      });
      if (!hits.length) results.appendChild(el("li", "No match", "kg-none"));
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && hits.length) { ev.preventDefault(); focus(hits[0].id); }
    });
  }

  var reset = $("kg-reset");
  if (reset) reset.addEventListener("click", function () {
    forced = {};
    from = minYear; to = maxYear;
    if (yearFrom) { yearFrom.value = minYear; yearTo.value = maxYear; }
    kinds.forEach(function (k) { kindOn[k] = true; });
    if (legend) legend.querySelectorAll("input").forEach(function (b) { b.checked = true; });
    update();
    network.fit();
  });

  update();
  network.once("afterDrawing", function () { // the first drawing of the chosen nodes, laid out already
    window.kgRenderedAt = performance.now();
    document.body.setAttribute("data-rendered", "yes");
  });
  network.fit();
  var start = data.focus;
  if (start !== undefined && start !== null) { network.selectNodes([start]); show(start); }
  window.kgNetwork = network;
})();
