// Result views of the query page, after the Wikidata Query Service's: labels beside IRIs in
// the table, a graph view (two or more IRI columns) and a timeline view (an IRI or label
// column and a date column). Labels come from one extra query per result, never one per row.
// vis-network (shipped under /graph/static) is loaded only when the graph view is drawn.
(function () {
  "use strict";

  var MAX_LABELLED = 1000;   // IRIs looked up per result; the rest keep their short form
  var MAX_NODES = 1500;      // beyond this the graph view would not be readable
  var ONTOLOGIES = [         // values from these are relations, not things (edge labels)
    "https://w3id.org/beschlussgraph/ontology#", "http://data.europa.eu/eli/ontology#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/org#", "http://www.w3.org/2002/07/owl#",
  ];
  var DATE = /^(\d{4})-(\d{2})-(\d{2})/;
  var labels = {};           // IRI -> label (de first), shared by every view
  var config = null;

  // a string of the page's language (api/i18n.py "js.*", in the page's config), its
  // {placeholders} filled in; query.js asks for its own through KgViews.text
  function text(key, values, pageConfig) {
    var strings = ((pageConfig || config || {}).strings) || {};
    var found = strings[key] || key;
    return found.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function local(iri) {
    if (config && iri.indexOf(config.baseIri) === 0) {
      return config.pagePrefix + iri.slice(config.baseIri.length);
    }
    return null;
  }

  function compact(iri) {
    var prefixes = (config && config.prefixes) || {};
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && (!best || ns.length > best[1].length)) {
        best = [p, ns];
      }
    });
    return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
  }

  function labelOf(iri) { return labels[iri] || compact(iri); }

  // -- labels ---------------------------------------------------------------------------

  var SAFE_IRI = /^[^\s<>"{}|^`\\]+$/;

  function labelQuery(iris) {
    return "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "SELECT ?x (SAMPLE(?de) AS ?labelDe) (SAMPLE(?plain) AS ?labelPlain) " +
      "(SAMPLE(?en) AS ?labelEn) WHERE {\n  VALUES ?x { " +
      iris.map(function (i) { return "<" + i + ">"; }).join(" ") + " }\n" +
      "  OPTIONAL { ?x rdfs:label|skos:prefLabel ?de FILTER(LANGMATCHES(LANG(?de), \"de\")) }\n" +
      "  OPTIONAL { ?x rdfs:label|skos:prefLabel ?plain FILTER(LANG(?plain) = \"\") }\n" +
      "  OPTIONAL { ?x rdfs:label|skos:prefLabel ?en FILTER(LANGMATCHES(LANG(?en), \"en\")) }\n" +
      "} GROUP BY ?x";
  }

  function irisOf(results) {
    var seen = {};
    var out = [];
    (results.getBindings() || []).forEach(function (row) {
      Object.keys(row).forEach(function (v) {
        var term = row[v];
        if (term && term.type === "uri" && !seen[term.value] && !(term.value in labels) &&
            SAFE_IRI.test(term.value)) {
          seen[term.value] = true;
          out.push(term.value);
        }
      });
    });
    return out.slice(0, MAX_LABELLED);
  }

  // One POST to this server's endpoint; resolves when `labels` holds what the graph knows.
  function lookupLabels(results) {
    var iris = irisOf(results);
    if (!iris.length) { return Promise.resolve(false); }
    var body = new URLSearchParams();
    body.set("query", labelQuery(iris));
    return fetch(config.endpoint, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/sparql-results+json" },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (json) {
      iris.forEach(function (i) { if (!(i in labels)) { labels[i] = ""; } });
      ((json && json.results && json.results.bindings) || []).forEach(function (b) {
        var l = b.labelDe || b.labelPlain || b.labelEn;
        if (l) { labels[b.x.value] = l.value; }
      });
      return true;
    }).catch(function () { return false; });  // labels are a help; the table stands without
  }

  // Beside each IRI link of the result table: its label, when it has one.
  function decorate(root) {
    root.querySelectorAll(".yasr table.dataTable a").forEach(function (a) {
      var iri = a.dataset.iri || a.getAttribute("href");
      var label = labels[iri];
      if (!label || a.dataset.kgLabelled === label) { return; }
      var next = a.nextElementSibling;
      if (next && next.classList.contains("kg-label")) { next.remove(); }
      var span = document.createElement("span");
      span.className = "kg-label";
      span.textContent = label;
      a.after(span);
      a.dataset.kgLabelled = label;
    });
  }

  // -- shape of a result ----------------------------------------------------------------

  function columns(results) {
    var vars = results.getVariables() || [];
    var rows = results.getBindings() || [];
    return vars.map(function (v) {
      var kinds = { uri: 0, date: 0, literal: 0, relation: 0, total: 0 };
      rows.forEach(function (row) {
        var t = row[v];
        if (!t) { return; }
        kinds.total += 1;
        if (t.type === "uri") {
          kinds.uri += 1;
          if (ONTOLOGIES.some(function (ns) { return t.value.indexOf(ns) === 0; })) {
            kinds.relation += 1;
          }
        } else if (DATE.test(t.value) && (!t.datatype || /#date(Time)?$/.test(t.datatype))) {
          kinds.date += 1;
        } else {
          kinds.literal += 1;
        }
      });
      var all = function (n) { return kinds.total > 0 && n === kinds.total; };
      return { name: v, iri: all(kinds.uri) && !all(kinds.relation), relation: all(kinds.relation),
               date: all(kinds.date), literal: all(kinds.literal) };
    });
  }

  function graphShape(results) {
    var cols = columns(results);
    var things = cols.filter(function (c) { return c.iri; });
    if (things.length < 2) { return null; }
    return { things: things, relation: cols.filter(function (c) { return c.relation; })[0] };
  }

  function timelineShape(results) {
    var cols = columns(results);
    var date = cols.filter(function (c) { return c.date; })[0];
    var item = cols.filter(function (c) { return c.iri; })[0] ||
               cols.filter(function (c) { return c.literal; })[0];
    if (!date || !item) { return null; }
    // WDQS's convention: ?item with ?itemLabel; otherwise the item's own label
    var label = cols.filter(function (c) {
      return c.literal && c !== item && c.name.toLowerCase() === item.name.toLowerCase() + "label";
    })[0];
    return { date: date, item: item, label: label };
  }

  function canHandle(yasr, shape) {
    var r = yasr.results;
    return !!(r && r.getVariables && r.getBindings && r.getBindings() &&
              r.getBindings().length && shape(r));
  }

  function notice(el, text) {
    var p = document.createElement("p");
    p.className = "kg-view-note";
    p.textContent = text;
    el.appendChild(p);
  }

  // -- graph view -------------------------------------------------------------------------

  var visLoading = null;
  function loadVis() {
    if (window.vis && window.vis.Network) { return Promise.resolve(window.vis); }
    if (visLoading) { return visLoading; }
    var base = (config && config.root) || "";
    visLoading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "/graph/static/vis-network.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = base + "/graph/static/vis-network.min.js";
      script.onload = function () { resolve(window.vis); };
      script.onerror = function () { reject(new Error("vis-network could not be loaded")); };
      document.head.appendChild(script);
    });
    return visLoading;
  }

  function graphData(results, shape) {
    var nodes = {};
    var edges = {};
    function node(iri, column) {
      if (!nodes[iri]) {
        nodes[iri] = { id: iri, label: labelOf(iri), title: iri, group: column,
                       shape: "box", margin: 6, font: { size: 13 } };
      }
    }
    (results.getBindings() || []).forEach(function (row) {
      var present = shape.things.filter(function (c) { return row[c.name]; });
      present.forEach(function (c) { node(row[c.name].value, c.name); });
      var rel = shape.relation && row[shape.relation.name];
      for (var i = 0; i + 1 < present.length; i++) {
        var from = row[present[i].name].value;
        var to = row[present[i + 1].name].value;
        var label = rel ? labelOf(rel.value) : present[i + 1].name;
        var key = from + "\n" + to + "\n" + label;
        if (from !== to && !edges[key]) {
          edges[key] = { from: from, to: to, label: label, arrows: "to",
                         font: { size: 11, align: "middle" } };
        }
      }
    });
    return { nodes: Object.values(nodes), edges: Object.values(edges) };
  }

  function GraphView(yasr) {
    this.yasr = yasr;
    this.priority = 1;  // never chosen over the table unless asked for
    this.label = "Graph";
    this.network = null;
  }
  GraphView.prototype.canHandleResults = function () { return canHandle(this.yasr, graphShape); };
  GraphView.prototype.getIcon = function () { return icon("M3 6h4v4H3zM15 3h4v4h-4zM15 14h4v4h-4zM7 8l8-3M7 8l8 8"); };
  GraphView.prototype.destroy = function () {
    if (this.network) { this.network.destroy(); this.network = null; }
  };
  GraphView.prototype.draw = function () {
    var self = this;
    var results = this.yasr.results;
    var data = graphData(results, graphShape(results));
    var el = document.createElement("div");
    el.className = "kg-graph-view";
    this.yasr.resultsEl.appendChild(el);
    if (data.nodes.length > MAX_NODES) {
      notice(el, text("too_many_nodes", { n: data.nodes.length, max: MAX_NODES }));
      return Promise.resolve();
    }
    var canvas = document.createElement("div");
    canvas.className = "kg-graph-canvas";
    el.appendChild(canvas);
    notice(el, text("graph_summary", { n: data.nodes.length, m: data.edges.length }));
    return loadVis().then(function (vis) {
      self.destroy();
      self.network = new vis.Network(canvas, {
        nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges),
      }, {
        physics: { stabilization: { iterations: 200 }, barnesHut: { springLength: 140 } },
        interaction: { hover: true, tooltipDelay: 150 },
        layout: { improvedLayout: data.nodes.length < 150 },
      });
      self.network.once("stabilizationIterationsDone", function () {
        self.network.setOptions({ physics: false });
        el.dataset.ready = "true";
      });
      self.network.on("doubleClick", function (params) {
        var page = params.nodes.length ? local(params.nodes[0]) : null;
        if (page) { window.location.href = page; }
      });
      el.dataset.nodes = String(data.nodes.length);
      el.dataset.edges = String(data.edges.length);
    }, function (err) { notice(el, err.message); });
  };

  // -- timeline view ----------------------------------------------------------------------

  var SVG = "http://www.w3.org/2000/svg";
  function svg(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function timelineItems(results, shape) {
    var seen = {};
    var items = [];
    (results.getBindings() || []).forEach(function (row) {
      var d = row[shape.date.name];
      var it = row[shape.item.name];
      if (!d || !it) { return; }
      var m = DATE.exec(d.value);
      var key = it.value + "\n" + m[0];
      if (seen[key]) { return; }
      seen[key] = true;
      var text = shape.label && row[shape.label.name] ? row[shape.label.name].value
        : (it.type === "uri" ? labelOf(it.value) : it.value);
      items.push({ time: Date.UTC(+m[1], +m[2] - 1, +m[3]), date: m[0], text: text,
                   iri: it.type === "uri" ? it.value : null });
    });
    return items.sort(function (a, b) { return a.time - b.time || (a.text < b.text ? -1 : 1); });
  }

  function TimelineView(yasr) {
    this.yasr = yasr;
    this.priority = 1;
    this.label = text("timeline");
  }
  TimelineView.prototype.canHandleResults = function () {
    return canHandle(this.yasr, timelineShape);
  };
  TimelineView.prototype.getIcon = function () { return icon("M2 12h20M6 8v8M12 5v14M18 9v6"); };
  TimelineView.prototype.draw = function () {
    var results = this.yasr.results;
    var items = timelineItems(results, timelineShape(results));
    var el = document.createElement("div");
    el.className = "kg-timeline-view";
    this.yasr.resultsEl.appendChild(el);
    var width = Math.max(640, el.clientWidth || 960);
    var pad = 30;
    var first = items[0].time;
    var last = items[items.length - 1].time;
    var span = Math.max(last - first, 864e5 * 30);
    var x = function (t) { return pad + (t - first) / span * (width - 2 * pad - 220); };
    // lanes: an item takes the first lane whose previous label ends left of it, so no two
    // labels overlap (the width of a label is estimated from its length)
    var lanes = [];
    items.forEach(function (item) {
      var start = x(item.time);
      var end = start + 12 + Math.min(item.text.length, 40) * 6.6;
      var lane = 0;
      while (lane < lanes.length && lanes[lane] > start) { lane++; }
      lanes[lane] = end;
      item.x = start;
      item.lane = lane;
    });
    var height = 50 + lanes.length * 22;
    var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                            role: "img", "aria-label": text("timeline"), class: "kg-timeline" },
                     el);
    var axisY = height - 26;
    svg("line", { x1: pad, x2: width - pad, y1: axisY, y2: axisY, stroke: "#5b6775" }, root);
    // ticks: years, at most a dozen; quarters when the result spans less than three years
    var y0 = new Date(first).getUTCFullYear();
    var y1 = new Date(last).getUTCFullYear() + 1;
    var months = y1 - y0 <= 3 ? 3 : 12 * Math.max(1, Math.ceil((y1 - y0) / 12));
    for (var m = 0; y0 * 12 + m <= y1 * 12; m += months) {
      var year = y0 + Math.floor(m / 12);
      var month = m % 12;
      var tx = x(Date.UTC(year, month, 1));
      if (tx < pad - 1 || tx > width - pad) { continue; }
      svg("line", { x1: tx, x2: tx, y1: axisY, y2: axisY + 5, stroke: "#5b6775" }, root);
      svg("text", { x: tx, y: axisY + 18, "text-anchor": "middle", "font-size": 11,
                    fill: "#5b6775", class: month ? "kg-quarter" : "kg-year" }, root)
        .textContent = month ? (month + 1) + "/" + year : String(year);
    }
    items.forEach(function (item) {
      var y = 18 + item.lane * 22;
      svg("line", { x1: item.x, x2: item.x, y1: y, y2: axisY, stroke: "#d8dee6" }, root);
      svg("circle", { cx: item.x, cy: y, r: 4, fill: "#0b5cad" }, root);
      var page = item.iri ? local(item.iri) : null;
      var holder = page ? svg("a", { href: page, class: "kg-item" }, root) : root;
      var t = svg("text", { x: item.x + 8, y: y + 4, "font-size": 12, fill: "#1d2733" }, holder);
      t.textContent = item.text.length > 40 ? item.text.slice(0, 39) + "…" : item.text;
      svg("title", {}, t).textContent = item.date + " · " + item.text + (item.iri ? "\n" + item.iri : "");
    });
    el.dataset.items = String(items.length);
    el.dataset.ready = "true";
    notice(el, text("timeline_summary", { n: items.length,
                                          date: timelineShape(results).date.name }));
    return Promise.resolve();
  };

  function icon(path) {
    var s = svg("svg", { viewBox: "0 0 22 22", width: 14, height: 14, "aria-hidden": "true" });
    svg("path", { d: path, fill: "none", stroke: "currentColor", "stroke-width": 2 }, s);
    return s;
  }

  // -- wiring -------------------------------------------------------------------------------

  window.KgViews = {
    text: text,
    // before `new Yasgui`: the views become buttons beside Table and Response
    install: function (Yasgui, pageConfig) {
      config = pageConfig;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = (config.root || "") + "/static/query_views.css";
      document.head.appendChild(css);
      Yasgui.Yasr.registerPlugin("kgGraph", GraphView);
      Yasgui.Yasr.registerPlugin("kgTimeline", TimelineView);
    },
    // after: every result gets its labels (one query), then the drawn view shows them
    attach: function (yasgui) {
      var root = document.getElementById("yasgui");
      function refresh(tab) {
        var yasr = tab && tab.getYasr && tab.getYasr();
        if (!yasr || !yasr.results || !yasr.results.getBindings) { return; }
        lookupLabels(yasr.results).then(function (found) {
          decorate(root);
          if (found && /^kg/.test(yasr.drawnPlugin || "")) { yasr.refresh(); }
          root.dataset.labels = "ready";
        });
      }
      yasgui.on("queryResponse", function (_y, tab) {
        delete root.dataset.labels;
        // the tab hands the response to its result view after this event
        setTimeout(function () { refresh(tab); }, 0);
      });
      new MutationObserver(function () { decorate(root); })
        .observe(root, { childList: true, subtree: true });
      refresh(yasgui.getTab());
    },
    labels: labels,
  };
})();
