"""German and English for the HTML pages; German is the default (issue 14: "German first,
English too").

The language of a page: `?lang=en|de` wins (and is remembered in a cookie), then that cookie,
then Accept-Language (English only where the header ranks it above German), then German.
Templates get `lang`, `t(key)` for the strings of this table, `tg(text)` for German texts that
routers pass in (column headers, list titles: English where the table knows them, else as
given), `state_label(state)`, `relation_label(key)`, `org_kind(class name)` and
`lang_url(code)` for the switch. A string with a placeholder ("{n}") is filled in by the
template (`t(key)|replace('{n}', …)`).
Data values (titles, point texts) are never translated; English labels the graph holds are
shown by the templates themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kg.analysis.vocab import RELATIONS, STATE_LABELS

LANGUAGES = ("de", "en")
DEFAULT = "de"
PARAM = "lang"  # ?lang=en
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# key -> (German, English). Keys name the place, the German text is what the pages showed
# before English existed, so German pages are unchanged.
STRINGS: dict[str, tuple[str, str]] = {
    # header, nav, footer
    "search.label": ("Suche", "Search"),
    "search.placeholder": ("Suche …", "Search …"),
    "nav.query": ("SPARQL-Abfrage", "SPARQL query"),
    "nav.library": ("Abfragebibliothek", "Query library"),
    "nav.resolutions": ("Beschlüsse", "Resolutions"),
    "nav.sessions": ("Sitzungen", "Sessions"),
    "nav.bodies": ("Gremien", "Bodies"),
    "nav.laender": ("Länder", "Länder (states)"),
    "nav.eu_acts": ("EU-Rechtsakte", "EU legal acts"),
    "nav.changes": ("Änderungen", "Changes"),
    "nav.graphs": ("Graphen", "Graphs"),
    "nav.catalog": ("Katalog (DCAT)", "Catalogue (DCAT)"),
    "nav.language": ("Sprache", "Language"),
    "footer.about": ("Beschlüsse des IT-Planungsrats als Wissensgraph · nur lesend",
                     "Resolutions of the IT-Planungsrat as a knowledge graph · read-only"),
    "footer.endpoint": ("SPARQL-Endpunkt", "SPARQL endpoint"),
    # lists
    "list.all": ("alle", "all"),
    "list.filter": ("Filtern", "Filter"),
    "list.reset": ("zurücksetzen", "reset"),
    "list.on": ("am", "on"),
    "list.status_on": ("Stand am", "Status on"),
    "list.hint": ("abgeleitet aus den datierten Ereignissen (Beschluss, Aufhebung, Ersetzung, "
                  "Änderung, Fristablauf). Beziehung: Beschlüsse, die diese Beziehung zu einem "
                  "anderen Beschluss oder Rechtsakt aussprechen.",
                  "derived from the dated events (adoption, repeal, replacement, amendment, "
                  "expiry). Relation: resolutions that state this relation to another "
                  "resolution or legal act."),
    "list.in_force_any": ("geltend (in Kraft, geändert, teilweise aufgehoben)",
                          "in effect (in force, amended, partially repealed)"),
    "list.pages": ("Seiten", "Pages"),
    "list.of": ("von", "of"),
    "list.empty": ("keine Einträge", "no entries"),
    "list.previous": ("« zurück", "« previous"),
    "list.next": ("weiter »", "next »"),
    "list.twins": ("Diese Liste auch als", "This list also as"),
    "feed.title": ("Neue Beschlüsse und Änderungen", "New resolutions and changes"),
    "filter.year": ("Jahr", "Year"),
    "filter.session": ("Sitzung", "Session"),
    "filter.procedure": ("Verfahren", "Procedure"),
    "procedure.special": ("Sondersitzung", "Special session"),
    "procedure.circulation": ("Umlaufverfahren", "Written procedure"),
    "filter.body": ("Gremium", "Body"),
    "filter.land": ("Land", "Land (state)"),
    "filter.subject": ("Thema (EuroVoc)", "Subject (EuroVoc)"),
    "filter.relation": ("Beziehung", "Relation"),
    "filter.status": ("Stand", "Status"),
    # search
    "search.title": ("Suche", "Search"),
    "search.terms": ("Suchbegriffe", "Search terms"),
    "search.example": ("z. B. Registermodernisierung, \"Grüne Liste\", Portfolio*",
                       "e.g. Registermodernisierung, \"Grüne Liste\", Portfolio*"),
    "search.kind": ("Art", "Kind"),
    "search.all_kinds": ("alle Arten", "all kinds"),
    "search.submit": ("Suchen", "Search"),
    "search.hint": ("Titel und Texte der Beschlüsse und ihrer Ziffern, Tagesordnungspunkte, "
                    "Protokollnotizen und Wortbeiträge; deutsche Wortformen („Beschlüsse“ "
                    "findet „Beschluss“), alle Wörter müssen vorkommen; <code>\"…\"</code> "
                    "Wortfolge, <code>Wort*</code> Wortanfang, <code>-Wort</code> schließt aus. "
                    "Als JSON:",
                    "Titles and texts of resolutions and their points, agenda items, protocol "
                    "notes and statements, searched in German word forms (\"Beschlüsse\" finds "
                    "\"Beschluss\"); all words must occur; <code>\"…\"</code> phrase, "
                    "<code>word*</code> prefix, <code>-word</code> excludes. As JSON:"),
    "search.hits": ("Treffer", "hits"),
    "search.for": ("für", "for"),
    "search.previous": ("« vorherige", "« previous"),
    "search.next": ("nächste »", "next »"),
    "search.none": ("Keine Treffer für", "No hits for"),
    "kind.resolution": ("Beschluss", "Resolution"),
    "kind.point": ("Ziffer", "Point"),
    "kind.agenda_item": ("Tagesordnungspunkt", "Agenda item"),
    "kind.note": ("Protokollnotiz", "Protocol note"),
    "kind.statement": ("Wortbeitrag", "Statement"),
    # graph views (/graph)
    "graphs.title": ("Graphen", "Graphs"),
    "graphs.intro": ("Abhängigkeiten der Beschlüsse als interaktive Graphen: Knoten öffnen die "
                     "Seite ihres Beschlusses, jede Ansicht gibt es auch als SVG "
                     "(<code>?format=svg</code>) und zum Einbetten (<code>?embed=true</code>).",
                     "Dependencies between resolutions as interactive graphs: nodes open their "
                     "resolution's page; every view also as SVG (<code>?format=svg</code>) and "
                     "for embedding (<code>?embed=true</code>)."),
    "graphs.timeline": ("Zeitleiste", "Timeline"),
    "graphs.timeline_hint": ("Beschlüsse nach Datum mit Aufhebungen, Ersetzungen und "
                             "Änderungen", "Resolutions by date with repeals, replacements "
                             "and amendments"),
    "graphs.all": ("Alles", "Everything"),
    "graphs.all_hint": ("jeder Beschluss mit seinen Bezügen, Ketten als Bahnen",
                        "every resolution with its references, chains as lanes"),
    "graphs.resolution": ("Umgebung eines Beschlusses", "A resolution's neighbourhood"),
    "graphs.resolution_hint": ("was er zitiert, aufhebt, ändert, und wer ihn zitiert",
                               "what it cites, repeals, amends, and who cites it"),
    "graphs.chain": ("Änderungskette", "Chain of changes"),
    "graphs.chain_hint": ("die Kette, zu der ein Beschluss gehört, die älteste Fassung links",
                          "the chain a resolution belongs to, the oldest on the left"),
    "graphs.session": ("Sitzung", "Session"),
    "graphs.session_hint": ("die Beschlüsse einer Sitzung und worauf sie sich beziehen",
                            "a session's resolutions and what they refer to"),
    "graphs.example": ("z. B.", "e.g."),
    "graphs.open": ("Öffnen", "Open"),
    "graphs.view": ("Ansicht", "View"),
    "graphs.id": ("Beschluss (2025/33) oder Sitzungsnummer (48)",
                  "Resolution (2025/33) or session number (48)"),
    # consolidated text
    "cons.resolution": ("Beschluss", "Resolution"),
    "cons.kicker": ("konsolidierte Fassung", "consolidated version"),
    "cons.as_of": ("in der Fassung vom", "as in force on"),
    "cons.status_on": ("Stand am", "As on"),
    "cons.show": ("anzeigen", "show"),
    "cons.versions_nav": ("Fassungen", "Versions"),
    "cons.since": ("Fassung seit", "Version since"),
    "cons.before_first": ("vor der ersten bekannten Fassung", "before the first known version"),
    "cons.version_of": ("Fassung vom", "version of"),
    "cons.version_from": ("Fassung ab", "version from"),
    "cons.no_text": ("(Wortlaut nicht im Graphen: die Quelle nennt nur die Ziffer)",
                     "(wording not in the graph: the source names the point only)"),
    "cons.not_loaded": ("Der Wortlaut dieses Beschlusses ist nicht geladen.",
                        "The wording of this resolution is not loaded."),
    "cons.whole": ("Änderungen des ganzen Beschlusses", "Changes to the whole resolution"),
    "cons.later": ("Spätere Änderungen", "Later changes"),
    "cons.point": ("Ziffer", "Point"),
    "cons.versions": ("Fassungen", "Versions"),
    "cons.no_events": ("Keine datierten Ereignisse bekannt.", "No dated events known."),
    "cons.changes_table": ("Änderungstabelle", "Table of changes"),
    # changes
    "changes.title": ("Änderungen", "Changes"),
    "changes.of": ("Änderungen:", "Changes:"),
    "changes.hint_one": ("Aufhebungen, Ersetzungen und Änderungen dieses Beschlusses und durch "
                         "ihn.", "Repeals, replacements and amendments of this resolution and "
                         "by it."),
    "changes.consolidated": ("Konsolidierte Fassung", "Consolidated version"),
    "changes.hint_all": ("Welcher Beschluss welchen anderen (oder welche Ziffer) aufgehoben, "
                         "ersetzt oder geändert hat, und ab wann.",
                         "Which resolution repealed, replaced or amended which other (or which "
                         "point), and from when."),
    "changes.feed": ("Atom-Feed", "Atom feed"),
    "changes.type": ("Art", "Type"),
    "changes.year": ("Jahr", "Year"),
    "changes.affected": ("Betroffen", "Affected"),
    "changes.affecting": ("Bewirkt durch", "Made by"),
    "changes.whole": ("ganz", "whole"),
    "changes.assumed": ("(angenommen)", "(assumed)"),
    "changes.assumed_title": ("Tag nicht überliefert: Jahresbeginn angenommen",
                              "day not recorded: start of the year assumed"),
    "changes.none": ("Keine Änderungen.", "No changes."),
    "verb.repeal": ("aufgehoben", "repealed"),
    "verb.replacement": ("ersetzt", "replaced"),
    "verb.amendment": ("geändert", "amended"),
    "event.adoption": ("beschlossen", "adopted"),
    "event.entry_into_force": ("in Kraft getreten", "entered into force"),
    "event.expiry": ("ausgelaufen", "expired"),
    "event.rejection": ("nicht angenommen", "not adopted"),
    # resolution page
    "res.resolution": ("Beschluss", "Resolution"),
    "res.graph_title": ("Abhängigkeitsgraph", "Dependency graph"),
    "res.graph_caption": ("Abhängigkeiten (zwei Schritte)", "Dependencies (two steps)"),
    "res.graph_open": ("groß öffnen", "open large"),
    "res.graph_chain": ("Änderungskette", "chain of changes"),
    "res.session": ("Sitzung", "Session"),
    "res.on": ("am", "on"),
    "res.agenda": ("Tagesordnung", "Agenda"),
    "res.passed_by": ("Gefasst von", "Passed by"),
    "res.vote": ("Abstimmung", "Vote"),
    "res.subjects": ("Themen", "Subjects"),
    "vote.adopted": ("angenommen", "adopted"),
    "vote.rejected": ("abgelehnt", "rejected"),
    "vote.taken_note": ("zur Kenntnis genommen", "taken note of"),
    "vote.unanimous": ("einstimmig", "unanimously"),
    "vote.majority": ("mehrheitlich", "by majority"),
    "vote.consent_agenda": ("über die Grüne Liste", "on the consent agenda (Grüne Liste)"),
    "vote.abstention": ("Enthaltung", "Abstention"),
    "vote.against": ("Gegenstimmen", "Votes against"),
    "vote.redacted": ("geschwärzt", "redacted"),
    "res.not_loaded": ("Dieser Beschluss ist im Graphen nur als Ziel von Verweisen bekannt; "
                       "sein Text ist nicht geladen.",
                       "This resolution is known in the graph only as the target of "
                       "references; its text is not loaded."),
    "res.text": ("Beschlusstext", "Text of the resolution"),
    "res.references": ("Verweise", "References"),
    "res.refers_to": ("Dieser Beschluss verweist auf", "This resolution refers to"),
    "res.referred_by": ("Andere Beschlüsse verweisen hierauf",
                        "Other resolutions refer to it"),
    "res.relation": ("Beziehung", "Relation"),
    "res.target": ("Ziel", "Target"),
    "res.point": ("Ziffer", "Point"),
    "res.evidence": ("Beleg", "Evidence"),
    "res.source": ("Quelle", "Source"),
    "res.none": ("Keine.", "None."),
    "res.none_in_graph": ("Keine im Graphen.", "None in the graph."),
    "res.mandates": ("Aufträge", "Mandates"),
    "res.to": ("An", "To"),
    "res.mandate": ("Auftrag", "Mandate"),
    "res.deadline": ("Frist", "Deadline"),
    "res.amounts": ("Beträge", "Amounts"),
    "res.notes": ("Protokollnotizen", "Protocol notes"),
    "res.consolidated": ("Konsolidierte Fassung (Stand heute, frühere Fassungen)",
                         "Consolidated version (as of today, earlier versions)"),
    "res.changes_table": ("Änderungstabelle", "Table of changes"),
    "res.body_lifecycle": ("Einrichtung und Ende", "Establishment and end"),
    "res.sources": ("Quellen dieses Beschlusses", "Sources of this resolution"),
    "res.source_differences": ("Abweichungen zwischen den Quellen",
                               "Differences between the sources"),
    "res.spokespersons": ("Fachpolitische Sprecher", "Spokespersons"),
    "res.versions_nav": ("Fassungen und Änderungen", "Versions and changes"),
    "res.status_unknown": ("nicht geladen", "not loaded"),
    "res.no_author": ("ohne Angabe", "not stated"),
    "res.referred_here": ("Verweise hierauf", "References to it"),
    "res.point_short": ("Z.", "pt."),
    # spokesperson appointments (_appointments.html)
    "appt.hint": ("Fachpolitische Sprecher: welches Land für welche Fachministerkonferenz "
                  "spricht.", "Spokesperson appointments: which Land speaks for which "
                  "conference."),
    "appt.conference": ("Fachministerkonferenz", "Conference of ministers"),
    "appt.land": ("Sprecherland", "Spokesperson Land"),
    "appt.by": ("ernannt durch", "appointed by"),
    # bodies established, continued or ended (_body_changes.html, api/body_changes.py)
    "bc.hint_body": ("Beschlüsse, die dieses Gremium einrichten, fortführen oder beenden.",
                     "Resolutions that establish, continue or end this body."),
    "bc.hint_resolution": ("Gremien, die dieser Beschluss einrichtet, fortführt oder beendet.",
                           "Bodies this resolution establishes, continues or ends."),
    "bc.establishes": ("richtet ein", "establishes"),
    "bc.continues": ("führt fort", "continues"),
    "bc.ends": ("beendet", "ends"),
    "bc.establishes_by": ("eingerichtet durch", "established by"),
    "bc.continues_by": ("fortgeführt durch", "continued by"),
    "bc.ends_by": ("beendet durch", "ended by"),
    "bc.not_listed": ("(nicht im Verzeichnis)", "(not in the directory)"),
    # the sources of a resolution (_sources.html, api/sources_view.py)
    "src.known_not_loaded": ("Bekannt aus dem Beschlussregister, Text nicht geladen: kein "
                             "Protokoll, keine Beschlussseite und keine Bekanntmachung mit dem "
                             "Wortlaut ist geladen.",
                             "Known from the register of decisions, text not loaded: no "
                             "protocol, decision page or notice with its wording is loaded."),
    "src.document_line": ("Dokument und Zeile", "Document and line"),
    "src.agree": ("Die Quellen stimmen in Titel, Datum, Wortlaut und Verweisen überein.",
                  "The sources agree in title, date, wording and references."),
    "src.protokoll": ("Protokoll", "Protocol"),
    "src.beschlussseite": ("Beschlussseite", "Decision page"),
    "src.bekanntmachung": ("Bekanntmachung im Bundesanzeiger", "Notice in the Bundesanzeiger"),
    "src.register": ("Beschlussregister", "Register of decisions"),
    "src.source": ("Quelle", "Source"),
    "src.sources": ("Quellen", "Sources"),
    "src.line": ("Zeile", "line"),
    "src.lines": ("Zeilen", "lines"),
    # every resource page (macros.html, resource.html)
    "fmt.also_as": ("Auch als", "Also as"),
    "stmt.property": ("Eigenschaft", "Property"),
    "stmt.value": ("Wert", "Value"),
    "stmt.subject": ("Subjekt", "Subject"),
    "stmt.all": ("Alle Aussagen", "All statements"),
    "stmt.outgoing": ("ausgehend", "outgoing"),
    "stmt.incoming": ("eingehend", "incoming"),
    "stmt.shown": ("davon {n} gezeigt", "{n} of them shown"),
    # session and agenda item pages
    "session.place": ("Ort", "Place"),
    "session.chair": ("Vorsitz", "Chair"),
    "session.time": ("{start}–{end} Uhr", "{start}–{end}"),
    "agenda.top": ("TOP", "Item"),
    "agenda.section": ("Abschnitt", "Section"),
    "agenda.reporters": ("Berichterstattung", "Reporting"),
    "agenda.goal": ("Ziel", "Goal"),
    "agenda.source_text": ("Quelle (Text)", "Source (text)"),
    "agenda.subtitle": ("Untertitel", "Subtitle"),
    "agenda.summary": ("Zusammenfassung", "Summary"),
    "agenda.discussion": ("Diskussion", "Discussion"),
    # body and Land pages (body.html, _notes.html)
    "body.land": ("Land", "Land (state)"),
    "body.federation": ("Bund", "Federation (Bund)"),
    "body.body": ("Gremium / Organisation", "Body / organisation"),
    "body.label_other": ("Englisch", "German"),
    "body.also": ("Auch", "Also known as"),
    "body.roles": ("gefasst, berichtet, beauftragt, erwähnt, errichtet, fortgeführt, beendet "
                   "oder abgestimmt; ein Land auch, wo „die Länder“ es sind",
                   "passed, reported, mandated, mentioned, established, continued, ended or "
                   "voted on; a Land also where \"die Länder\" are"),
    "body.newest": ("die {n} neuesten", "the {n} newest"),
    "body.latest_deadlines": ("die {n} mit den spätesten Fristen; offene:",
                              "the {n} with the latest deadlines; open ones:"),
    "notes.first_of": ("die ersten {n} von {total}", "the first {n} of {total}"),
    "notes.session": ("{n}. Sitzung", "Session {n}"),
    "notes.hint_notes": ("Protokollnotizen dieses Verfassers.", "Protocol notes by this author."),
    "notes.about": ("zu", "on"),
    "notes.statements": ("Wortbeiträge", "Statements"),
    "notes.hint_statements": ("Wortbeiträge in der Diskussion.", "Statements in the discussion."),
    "notes.mentions": ("Erwähnungen", "Mentions"),
    "notes.hint_mentions": ("Ziffern von Beschlüssen, Protokollnotizen und Wortbeiträge, die "
                            "es nennen.", "Resolution points, protocol notes and statements "
                            "that name it."),
    "notes.where": ("Wo", "Where"),
    "notes.statement": ("Beitrag", "Statement"),
    "notes.text": ("Text", "Text"),
    # kinds of bodies (the bg: classes of the gazetteer)
    "orgkind.Land": ("Land", "Land (state)"),
    "orgkind.Federation": ("Bund", "Federation"),
    "orgkind.Council": ("Rat", "Council"),
    "orgkind.MinisterialConference": ("Fachministerkonferenz", "Conference of ministers"),
    "orgkind.WorkingGroup": ("Arbeitsgruppe", "Working group"),
    "orgkind.MunicipalAssociation": ("Kommunaler Spitzenverband", "Municipal association"),
    # the query page and the query library
    "index.title": ("Beschlüsse des IT-Planungsrats abfragen",
                    "Query the resolutions of the IT-Planungsrat"),
    "index.endpoint": ("SPARQL 1.1 über den Endpunkt", "SPARQL 1.1 over the endpoint"),
    "index.intro": ("(nur lesend; Abfragen laufen höchstens einige Sekunden, große Ergebnisse "
                    "werden gekürzt). Ergebnis-IRIs führen zu ihren Seiten.",
                    "(read-only; queries run for a few seconds at most, large results are "
                    "cut). IRIs in the results lead to their pages."),
    "index.examples": ("Beispiele:", "Examples:"),
    "index.load_named": ("– {n} benannte Abfragen in den Editor laden –",
                         "– load one of {n} named queries into the editor –"),
    "index.all_queries": ("alle mit Formular und Ergebnistabelle",
                          "all with a form and a table of results"),
    "index.run_csv": ("Abfragen (CSV)", "Run (CSV)"),
    # the examples of the query page (api/routers/pages.py names them in German)
    "example.session": ("Beschlüsse einer Sitzung", "Resolutions of a session"),
    "example.changes": ("Aufhebungen und Änderungen", "Repeals and amendments"),
    "example.mandates": ("Aufträge mit Fristen", "Mandates with deadlines"),
    "example.relations": ("Verweise nach Art", "References by kind"),
    "example.votes": ("Enthaltungen und Gegenstimmen", "Abstentions and votes against"),
    "example.describe": ("Beschreibung eines Beschlusses", "Description of a resolution"),
    "queries.intro": ("{n} benannte SPARQL-Abfragen zu wiederkehrenden Fragen. Jede hat eine "
                      "Seite mit Formular und Ergebnistabelle und liefert ihre Ergebnisse auch "
                      "als SPARQL-JSON und CSV; Parameter gehen als URL-Parameter mit "
                      "(<code>?session=48</code>).",
                      "{n} named SPARQL queries for recurring questions. Each has a page with "
                      "a form and a table of results and gives its results as SPARQL JSON and "
                      "CSV too; parameters go along as URL parameters "
                      "(<code>?session=48</code>)."),
    "queries.list_as": ("Diese Liste als", "This list as"),
    "queries.query": ("Abfrage", "Query"),
    "queries.params": ("Parameter", "Parameters"),
    "queries.results": ("Ergebnisse", "Results"),
    "queries.required": ("Pflicht", "required"),
    "queries.none": ("keine", "none"),
    "queries.example": ("Beispiel", "Example"),
    "queries.default": ("Standard", "Default"),
    "queries.empty": ("leer", "empty"),
    "queries.run": ("Abfrage ausführen", "Run query"),
    "queries.result": ("Ergebnis", "Result"),
    "queries.true": ("ja (true)", "yes (true)"),
    "queries.false": ("nein (false)", "no (false)"),
    "queries.row": ("Zeile", "row"),
    "queries.rows": ("Zeilen", "rows"),
    "queries.truncated": ("gekürzt nach {limit} Zeilen; alle Zeilen als",
                          "cut after {limit} rows; all rows as"),
    "queries.result_as": ("Ergebnis auch als", "Result also as"),
    "queries.metadata": ("Metadaten", "Metadata"),
    "queries.text": ("Abfragetext", "Query text"),
    "queries.sparql_hint": ("Die Parameter sind die Variablen <code>?_name</code>; ihre Werte "
                            "werden als RDF-Terme gebunden, der Text bleibt unverändert.",
                            "The parameters are the variables <code>?_name</code>; their "
                            "values are bound as RDF terms, the text stays as it is."),
    "queries.unknown": ("Unbekannte Abfrage", "Unknown query"),
    "queries.no_such": ("Keine benannte Abfrage „{name}“", "No named query \"{name}\""),
    "queries.did_you_mean": ("Meinten Sie:", "Did you mean:"),
    "queries.all": ("Alle Abfragen:", "All queries:"),
    # the query page's scripts (api/static/query.js, query_views.js), through its config
    "js.with_form": ("mit Formular ausführen", "run it with its form"),
    "js.default": ("Standard", "default"),
    "js.unbound_one": ("Parameter {names} ist im Editor ungebunden: durch Werte ersetzen oder ",
                       "Parameter {names} is unbound in the editor: replace it with a value or "),
    "js.unbound_many": ("Parameter {names} sind im Editor ungebunden: durch Werte ersetzen oder ",
                        "Parameters {names} are unbound in the editor: replace them with "
                        "values or "),
    "js.too_many_nodes": ("{n} Knoten: zu viele für die Graphansicht (höchstens {max}); bitte "
                          "die Abfrage eingrenzen.", "{n} nodes: too many for the graph view "
                          "(at most {max}); please narrow the query."),
    "js.graph_summary": ("{n} Knoten, {m} Kanten · Doppelklick öffnet die Seite eines Knotens",
                         "{n} nodes, {m} edges · a double click opens a node's page"),
    "js.timeline": ("Zeitleiste", "Timeline"),
    "js.timeline_summary": ("{n} Einträge nach {date}", "{n} entries by {date}"),
    # errors
    "error.title": ("Fehler", "Error"),
    "error.no_statements": ("Zu {iri} gibt es keine Aussagen im Graphen.",
                            "The graph holds no statements about {iri}."),
    # column headers of the lists (the routers name them in German)
    "col.number": ("Nr.", "No."),
    "col.title": ("Titel", "Title"),
    "col.date": ("Datum", "Date"),
    "col.session": ("Sitzung", "Session"),
    "col.procedure": ("Verfahren", "Procedure"),
    "col.status": ("Stand", "Status"),
    "col.bodies": ("Gremien", "Bodies"),
    "col.laender": ("Länder", "Länder (states)"),
    "col.subjects": ("Themen (EuroVoc)", "Subjects (EuroVoc)"),
    "col.relations": ("Beziehungen", "Relations"),
    "col.resolutions": ("Beschlüsse", "Resolutions"),
    "col.land": ("Land", "Land (state)"),
    "col.body": ("Gremium", "Body"),
    "col.code": ("Kürzel", "Code"),
    "col.kind": ("Art", "Type"),
    "col.act": ("Rechtsakt", "Legal act"),
    "col.cited_in": ("Genannt in", "Cited in"),
    "col.articles": ("Artikel", "Articles"),
    "col.point": ("Ziffer", "Point"),
    "col.effective": ("Wirksam ab", "Effective from"),
    "col.evidence": ("Beleg", "Evidence"),
    "col.affected": ("Betroffen", "Affected"),
    "col.affecting": ("Bewirkt durch", "Made by"),
    # list titles and intros the routers pass
    "title.eu_acts": ("EU-Rechtsakte", "EU legal acts"),
    "intro.sessions": ("Sitzungen des IT-Planungsrats, die ein Protokoll oder das "
                       "Beschlussregister nennt; die Zahl zählt die Beschlüsse, die der "
                       "Sitzung zugeordnet sind.",
                       "Sessions of the IT-Planungsrat named by a protocol or the register of "
                       "decisions; the number counts the resolutions assigned to the session."),
    "title.laender": ("Bund und Länder", "Bund and Länder (federal level and states)"),
    "intro.organisations": ("Beteiligt heißt: fasst den Beschluss, berichtet, erhält einen "
                            "Auftrag, wird in ihm genannt, wird durch ihn errichtet, fortgeführt "
                            "oder beendet, stimmt ab oder gibt eine Protokollnotiz ab; ein Land "
                            "auch, wo „die Länder“ beteiligt sind.",
                            "Involved means: passes the resolution, reports, receives a "
                            "mandate, is named in it, is established, continued or ended by "
                            "it, votes or makes a protocol note; a Land also where "
                            "\"die Länder\" are involved."),
    "intro.eu_acts": ("EU-Rechtsakte (ELI), auf die Beschlüsse verweisen, mit den verweisenden "
                      "Beschlüssen.",
                      "EU legal acts (ELI) that resolutions refer to, with the referring "
                      "resolutions."),
}

# German text -> English, for texts routers pass in German: the column headers, titles and
# intros first (they are what routers pass), then the first entry of a wording
_ENGLISH_OF: dict[str, str] = {}
for _key, (_de, _en) in sorted(STRINGS.items(),
                               key=lambda kv: not kv[0].startswith(("col.", "title.", "intro."))):
    _ENGLISH_OF.setdefault(_de, _en)


def accepted(header: str) -> str | None:
    """The language Accept-Language prefers, between German and English: "en" only where
    English ranks above German (by weight, then by position), "de" where German does, None
    where neither is named."""
    best: dict[str, tuple[float, int]] = {}
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and weight > 0:
            rank = (weight, -position)
            best[primary] = max(best.get(primary, rank), rank)
    if not best:
        return None
    return max(best, key=lambda code: best[code])


def chosen(request: Request) -> str | None:
    """A valid `?lang=` of this request (the visitor's explicit choice)."""
    value = request.query_params.get(PARAM, "").lower()
    return value if value in LANGUAGES else None


def language(request: Request) -> str:
    """"de" or "en" for this request (see the module docstring for the order)."""
    explicit = chosen(request)
    if explicit:
        return explicit
    cookie = request.cookies.get(COOKIE, "").lower()
    if cookie in LANGUAGES:
        return cookie
    return accepted(request.headers.get("accept-language", "")) or DEFAULT


def translate(lang: str, key: str) -> str:
    """The string `key` in `lang`; an unknown key is an error (a typo in a template)."""
    de, en = STRINGS[key]
    return en if lang == "en" else de


def translate_german(lang: str, german: str) -> str:
    """A German UI text in `lang`: English where the table has it, else unchanged."""
    return _ENGLISH_OF.get(german, german) if lang == "en" else german


def state_label(lang: str, state: str) -> str:
    labels = STATE_LABELS.get(state)  # type: ignore[call-overload]
    if labels is None:
        return state
    return labels[1] if lang == "en" else labels[0]


def script_strings(lang: str) -> dict[str, str]:
    """The strings of the query page's scripts in `lang` ("js.*" without the prefix)."""
    return {key[3:]: translate(lang, key) for key in STRINGS if key.startswith("js.")}


def org_kind_label(lang: str, kind: str) -> str:
    """A body's bg: class (WorkingGroup, …) in `lang`; an unknown class as it is."""
    key = "orgkind." + kind
    return translate(lang, key) if key in STRINGS else kind


def relation_label(lang: str, key: str) -> str:
    found = RELATIONS.get(key)
    if found is None:
        return key
    return found[2] if lang == "en" else found[1]


def change_note_en(row: Mapping[str, Any]) -> str:
    """"repealed by B-2025/33-IT with effect from 26.11.2025": the English of the notes
    api.changes.note writes in German."""
    verb = translate("en", "verb." + row["type"])
    when = row["effective"].strftime("%d.%m.%Y") if row["effective"] else "an unknown date"
    assumed = " (day not recorded, start of the year assumed)" \
        if row["effective_assumed"] else ""
    return f"{verb} by {row['affecting_identifier']} with effect from {when}{assumed}"


# "Ziffer 3 aufgehoben durch B-2025/33-IT": a line of api.consolidated's list of versions
_VERSION_CHANGE = re.compile(r"^(?:Ziffer (?P<point>\S+) )?(?P<verb>aufgehoben|ersetzt|geändert)"
                             r" durch (?P<by>.+)$")
_VERBS_EN = {"aufgehoben": "repealed", "ersetzt": "replaced", "geändert": "amended"}


def version_event_en(german: str) -> str:
    """A line of the consolidated text's list of versions in English (else as given)."""
    found = _VERSION_CHANGE.match(german)
    if found is None:
        return translate_german("en", german)
    point = f"point {found['point']} " if found["point"] else ""
    return f"{point}{_VERBS_EN[found['verb']]} by {found['by']}"


def switch_url(request: Request, code: str) -> str:
    """The current page (path and query string) with `lang` set to `code`."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != PARAM]
    params.append((PARAM, code))
    return request.url.path + "?" + urlencode(params)


def template_context(request: Request) -> dict[str, Any]:
    """What every page template gets (a Jinja2Templates context processor)."""
    lang = language(request)

    def t(key: str) -> str:
        return translate(lang, key)

    def tg(german: str) -> str:
        return translate_german(lang, german)

    def lang_url(code: str) -> str:
        return switch_url(request, code)

    helpers: dict[str, Callable[..., str] | str] = {
        "lang": lang, "t": t, "tg": tg, "lang_url": lang_url,
        "state_label": lambda state: state_label(lang, state),
        "relation_label": lambda key: relation_label(lang, key),
        "org_kind": lambda kind: org_kind_label(lang, kind),
        "version_event": version_event_en if lang == "en" else (lambda german: german)}
    return helpers


def localise(request: Request, response: Response) -> None:
    """Headers of a page rendered for `request`: its language, what it varied by, and the
    cookie that keeps an explicit `?lang=` for the following pages."""
    response.headers["Content-Language"] = language(request)
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    for name in ("Accept-Language", "Cookie"):
        if name.lower() not in {v.lower() for v in vary}:
            vary.append(name)
    response.headers["Vary"] = ", ".join(vary)
    explicit = chosen(request)
    if explicit and request.cookies.get(COOKIE) != explicit:
        response.set_cookie(COOKIE, explicit, max_age=COOKIE_MAX_AGE, samesite="lax",
                            path=request.scope.get("root_path", "") or "/")
