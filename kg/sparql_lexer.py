"""The tokens of a SPARQL text that decide where a query's own words are: comments, strings,
IRIs, variables and prefixed names are single tokens, so that nothing inside them is read as
a keyword, a brace or a variable.

Not a parser: the callers (kg/remote.py binding values, kg/sparql_inline.py writing parameters
into a named query) only need to know which `{`, keyword or `?var` is the query's own.
"""

from __future__ import annotations

import re

TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\r\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\.-])*)
      | (?P<word>[^\W\d]\w*)
      | (?P<open>[{(])
      | (?P<close>[})])
      | (?P<other>.)""", re.VERBOSE | re.DOTALL)


def keywords(sparql: str) -> set[str]:
    """The query's own words, upper-cased: not those in its comments, strings or IRIs."""
    return {m.group().upper() for m in TOKEN.finditer(sparql) if m.lastgroup == "word"}
