// The query page: YASGUI against this server's /sparql, nothing fetched from elsewhere.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);

  // a string of the page's language, as the views have it (query_views.js, loaded first)
  function text(key, values) { return window.KgViews.text(key, values, config); }

  // The property/class autocompleters ask lov.linkeddata.es: not from this page.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  delete Yasgui.Yasqe.Autocompleters.property;
  delete Yasgui.Yasqe.Autocompleters["class"];

  // graph and timeline result views, labels beside IRIs (query_views.js)
  if (window.KgViews) { window.KgViews.install(Yasgui, config); }

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    copyEndpointOnNewTab: true,
    persistenceId: "beschlussgraph",
    // the PREFIX block is folded (one line) so that the query itself is what one sees
    yasqe: { value: config.defaultQuery, prefixCcApi: null, collapsePrefixesOnLoad: true },
    yasr: { prefixes: config.prefixes },
  });
  window.yasgui = yasgui;
  if (window.KgViews) { window.KgViews.attach(yasgui); }

  // a query set from an example or the library arrives unfolded: fold its PREFIX block
  function setFolded(tab, query) {
    tab.setQuery(query);
    var yasqe = tab.getYasqe && tab.getYasqe();
    if (yasqe) { yasqe.collapsePrefixes(true); }
  }

  // a fresh visitor (no stored tab) starts with the first example
  var tab = yasgui.getTab();
  if (tab && !tab.getQuery().trim()) {
    setFolded(tab, config.defaultQuery);
  } else if (tab && tab.getYasqe && tab.getYasqe()) {
    tab.getYasqe().collapsePrefixes(true);  // a stored tab, or one filled from ?query=
  }

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = config.examples[Number(button.dataset.index)];
      var current = yasgui.getTab();
      setFolded(current, example.query);
      current.query();
    });
  });

  // A named query (queries/rq) goes into the editor as its .rq text. Without parameters it
  // runs at once; a parameter is the variable ?_name, which /sparql cannot bind, so the hint
  // links the query's form (/queries/NAME), where the values are bound as RDF terms.
  var namedSelect = document.getElementById("named-query");
  var namedHint = document.getElementById("named-query-hint");
  if (namedSelect && namedHint) {
    namedSelect.addEventListener("change", function () {
      var named = (config.namedQueries || []).filter(function (q) {
        return q.name === namedSelect.value;
      })[0];
      if (!named) { return; }
      var current = yasgui.getTab();
      setFolded(current, named.query);
      namedHint.textContent = "";
      if (named.params.length === 0) {
        namedHint.hidden = true;
        current.query();
        return;
      }
      var names = named.params.map(function (p) {
        if (p.default === null) { return "?_" + p.name; }
        return "?_" + p.name + " (" + text("default") + ": " +
          (p.default === "" ? '""' : p.default) + ")";
      });
      var form = document.createElement("a");
      form.href = named.page;
      form.textContent = text("with_form");
      namedHint.append(text(names.length === 1 ? "unbound_one" : "unbound_many",
                            { names: names.join(", ") }), form, ".");
      namedHint.hidden = false;
    });
  }

  // Result IRIs under the data base open their page on this server.
  function localise(root) {
    root.querySelectorAll("a[href^='" + config.baseIri + "']").forEach(function (a) {
      a.dataset.iri = a.getAttribute("href");
      a.href = config.pagePrefix + a.getAttribute("href").slice(config.baseIri.length);
      a.removeAttribute("target");
      a.classList.add("kg-local");
    });
  }
  new MutationObserver(function () { localise(document.getElementById("yasgui")); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
})();
