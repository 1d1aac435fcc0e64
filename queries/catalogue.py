"""The named-query catalogue: one `.rq` file per analyst question in `queries/rq/`.

Each file starts with a grlc-style header of `#+` comment lines (a small, strict subset of
YAML, so that errors can name the exact file line)::

    #+ title_de: Beschlüsse einer Sitzung
    #+ title_en: Resolutions of a session
    #+ description: Alle Beschlüsse … / All resolutions …
    #+   (an indented line continues the value above)
    #+ tags: [sitzung, beschluss]
    #+ params:
    #+   - name: session
    #+     type: integer
    #+     default: 48
    #+     description: Nummer der Sitzung / number of the session
    #+ example: kg query resolutions-of-session --param session=48

Parameter types: iri, string, integer, date, year, boolean. Optional per parameter:
`default` (a parameter without one is required), `min` / `max` (integer, year) and
`pattern` with `pattern_hint` (string: a regular expression the whole value must match, and
the wording of the expectation shown when it does not).

A parameter `name` appears in the query as the variable `?_name`. Its value, checked and
converted to an RDF term, is written into the text as a constant before the query runs
(kg/sparql_inline.py: serialised by pyoxigraph, so that the engine plans with the value and it
reaches MINUS and sub-SELECTs). The top-level SELECT projects every parameter, so that the
results show the values they were computed for; the loader checks that.

Loading fails with `CatalogueError` ("file:line: what is wrong") when the header is malformed
or when the declared parameters and the `?_…` variables of the query disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.namespaces import PREFIXES
from kg.sparql_inline import InlineError, inline_parameters
from kg.terms import IRI, Literal, lit

QUERY_DIR = Path(__file__).resolve().parent / "rq"
PARAM_TYPES = ("iri", "string", "integer", "date", "year", "boolean")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_TOP_KEYS = ("title_de", "title_en", "description", "tags", "params", "example")
_PARAM_KEYS = ("name", "type", "default", "description", "min", "max", "pattern",
               "pattern_hint")
_REQUIRED_TOP = ("title_de", "title_en", "description")
_KEY_LINE = re.compile(r"^(?P<key>[a-z_]+):(?:\s+(?P<value>.*))?$")
_VARIABLE = re.compile(r"[?$](_[A-Za-z0-9_]+)")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_TRUE = {"true", "1", "yes", "ja", "wahr"}
_FALSE = {"false", "0", "no", "nein", "falsch"}


class CatalogueError(ValueError):
    """A query file that cannot be used; the message starts with `file:line:`."""


class ParameterError(ValueError):
    """A parameter value that does not fit its declaration."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"parameter '{param}': {message}")
        self.param = param
        self.message = message


class UnknownQueryError(KeyError):
    """No query of that name; `suggestions` holds close names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"no named query '{self.name}'{hint} (`kg queries` lists them all)"


# -- declarations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    pattern_hint: str | None = None
    line: int = 0  # line of the declaration in the .rq file

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def variable(self) -> str:
        """The SPARQL variable name (without `?`) that the value is bound to."""
        return "_" + self.name

    def expected(self) -> str:
        """What a valid value looks like, for error messages and forms."""
        if self.pattern_hint:
            return self.pattern_hint
        return {
            "iri": "an absolute IRI (https://…) or a prefixed name such as bg:Adopted",
            "string": "any text",
            "integer": "an integer" + _range_text(self.min, self.max),
            "date": "a date as YYYY-MM-DD",
            "year": "a year as YYYY" + _range_text(self.min, self.max),
            "boolean": "true or false",
        }[self.type]

    def convert(self, value: str) -> IRI | Literal:
        """The RDF term for a value given as text; ParameterError when it does not fit."""
        text = value.strip()
        if self.type == "string":
            if self.pattern and not re.fullmatch(self.pattern, text):
                raise ParameterError(self.name, f"expected {self.expected()}, got {value!r}")
            return lit(value)
        if self.type == "integer" or self.type == "year":
            pattern = r"\d{4}" if self.type == "year" else r"[+-]?\d+"
            if not re.fullmatch(pattern, text):
                raise ParameterError(self.name, f"expected {self.expected()}, got {value!r}")
            number = int(text)
            if (self.min is not None and number < self.min) or (
                    self.max is not None and number > self.max):
                raise ParameterError(self.name, f"expected {self.expected()}, got {number}")
            return lit(number)
        if self.type == "date":
            try:
                return lit(dt.date.fromisoformat(text))
            except ValueError as exc:
                raise ParameterError(self.name, date_problem(value, exc)) from None
        if self.type == "boolean":
            if text.lower() in _TRUE:
                return lit(True)
            if text.lower() in _FALSE:
                return lit(False)
            raise ParameterError(self.name, f"expected {self.expected()}, got {value!r}")
        return _iri(self, text)

    def metadata(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "required": self.required,
            "description": self.description,
            "expected": self.expected(),
            **({"min": self.min} if self.min is not None else {}),
            **({"max": self.max} if self.max is not None else {}),
            **({"pattern": self.pattern} if self.pattern else {}),
        }


def _range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" ≥ {low}"
    if high is not None:
        return f" ≤ {high}"
    return ""


def _iri(param: Parameter, text: str) -> IRI:
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        text = PREFIXES[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", text) or _IRI_FORBIDDEN.search(text):
        raise ParameterError(param.name, f"expected {param.expected()}, got {text!r}")
    return IRI(text)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title_de: str
    title_en: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Parameter, ...]
    example: str
    text: str  # the whole file: the header is made of SPARQL comments
    ordered: bool  # the query has an ORDER BY: rows come in a defined order

    def param(self, name: str) -> Parameter:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(name, self._unknown_message(name))

    def _unknown_message(self, name: str) -> str:
        names = [p.name for p in self.params]
        if not names:
            return f"unknown parameter; query '{self.name}' takes no parameters"
        return f"unknown parameter of query '{self.name}'; expected one of: {', '.join(names)}"

    def bind(self, params: Mapping[str, str]) -> dict[str, IRI | Literal]:
        """Check and convert `params` (text values) into terms keyed by query variable
        (`_name`), defaults filled in. Raises ParameterError naming the first bad one."""
        for key in params:
            self.param(key)  # unknown names fail before any conversion
        bound: dict[str, IRI | Literal] = {}
        for p in self.params:
            value = params.get(p.name, p.default)
            if value is None:
                raise ParameterError(p.name, f"required; expected {p.expected()}")
            bound[p.variable] = p.convert(value)
        return bound

    def bound_text(self, bindings: Mapping[str, IRI | Literal]) -> str:
        """The query with the terms of `bind()` written in as constants (kg/sparql_inline.py)."""
        return inline_parameters(self.text, bindings)

    def metadata(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title_de": self.title_de,
            "title_en": self.title_en,
            "description": self.description,
            "tags": list(self.tags),
            "params": [p.metadata() for p in self.params],
            "example": self.example,
            "ordered": self.ordered,
            "file": self.path.name,
        }


@dataclass
class Catalogue:
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self.queries[name] for name in sorted(self.queries))

    def __len__(self) -> int:
        return len(self.queries)

    def __contains__(self, name: object) -> bool:
        return name in self.queries

    def names(self) -> list[str]:
        return sorted(self.queries)

    def list(self) -> list[dict[str, object]]:
        """Metadata of every query, sorted by name (for `kg queries` and `/queries`)."""
        return [q.metadata() for q in self]

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQueryError(name, self.close_names(name)) from None

    def close_names(self, name: str) -> list[str]:
        # a fragment of a name ("mandates") is the best hint, then similar spellings
        close = [n for n in self.names() if name and name in n]
        close += [n for n in difflib.get_close_matches(name, self.names(), n=5, cutoff=0.5)
                  if n not in close]
        return close[:5]


# -- parsing ---------------------------------------------------------------------------------


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _flow_list(value: str, where: str) -> tuple[str, ...]:
    value = value.strip()
    if not (value.startswith("[") and value.endswith("]")):
        raise CatalogueError(f"{where}: expected a list like [a, b], got {value!r}")
    return tuple(_unquote(v) for v in value[1:-1].split(",") if v.strip())


def _header(path: Path, lines: list[str]) -> tuple[dict[str, tuple[str, int]],
                                                    list[dict[str, tuple[str, int]]], int]:
    """The `#+` lines at the top of the file: top-level keys, parameter blocks, and the
    index of the first line after the header. Values carry their line number."""
    top: dict[str, tuple[str, int]] = {}
    params: list[dict[str, tuple[str, int]]] = []
    in_params = False
    last: tuple[dict[str, tuple[str, int]], str] | None = None  # where a continuation goes
    i = 0
    while i < len(lines) and lines[i].startswith("#+"):
        number = i + 1
        where = f"{path}:{number}"
        raw = lines[i][2:]
        i += 1
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        content = raw.strip()
        if indent <= 1:  # "#+ key: value"
            m = _KEY_LINE.match(content)
            if not m or m.group("key") not in _TOP_KEYS:
                raise CatalogueError(
                    f"{where}: expected one of {', '.join(_TOP_KEYS)} as 'key: value', "
                    f"got {content!r}")
            key, value = m.group("key"), (m.group("value") or "").strip()
            if key in top:
                raise CatalogueError(f"{where}: '{key}' is declared twice")
            top[key] = (value, number)
            in_params = key == "params"
            if in_params and value not in ("", "[]"):
                raise CatalogueError(f"{where}: parameters go on the following lines, "
                                     "each starting with '  - name: …'")
            last = (top, key) if not in_params else None
            continue
        if in_params and content.startswith("- "):
            block: dict[str, tuple[str, int]] = {}
            params.append(block)
            content = content[2:].strip()
            m = _KEY_LINE.match(content)
            if not m or m.group("key") not in _PARAM_KEYS:
                raise CatalogueError(f"{where}: a parameter starts with '- name: …', "
                                     f"got {content!r}")
            block[m.group("key")] = (_unquote(m.group("value") or ""), number)
            last = (block, m.group("key"))
            continue
        m = _KEY_LINE.match(content)
        if in_params and params and m and m.group("key") in _PARAM_KEYS:
            block = params[-1]
            key = m.group("key")
            if key in block:
                raise CatalogueError(f"{where}: '{key}' is declared twice in this parameter")
            value = m.group("value")
            block[key] = (_unquote(value) if value is not None else "", number)
            last = (block, key)
            continue
        if last is None:
            raise CatalogueError(f"{where}: an indented line must continue a value or "
                                 f"declare a parameter key ({', '.join(_PARAM_KEYS)})")
        target, key = last
        value, first_line = target[key]
        target[key] = ((value + " " + content).strip(), first_line)
    return top, params, i


def _strip_comments(lines: list[str]) -> list[str]:
    """The query lines without comments (a `#` inside a string or an IRI is kept)."""
    out = []
    for line in lines:
        quote: str | None = None
        in_iri = False
        cut = len(line)
        for k, ch in enumerate(line):
            if quote:
                if ch == "\\":
                    continue
                if ch == quote:
                    quote = None
            elif in_iri:
                if ch == ">":
                    in_iri = False
            elif ch in "\"'":
                quote = ch
            elif ch == "<" and re.match(r"<[^\s<>\"{}|^`]*>", line[k:]):
                in_iri = True
            elif ch == "#":
                cut = k
                break
        out.append(line[:cut])
    return out


def _projection(body: str) -> tuple[str, str] | None:
    """The query form and the text of the top-level SELECT clause, or None."""
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    if not m or m.group(1).upper() != "SELECT":
        return (m.group(1).upper(), "") if m else None
    end = re.compile(r"\bWHERE\b|\{|\bFROM\b", re.I).search(body, m.end())
    return "SELECT", body[m.end(): end.start() if end else len(body)]


def parse_query_file(path: Path) -> NamedQuery:
    name = path.stem
    if not NAME_RE.match(name):
        raise CatalogueError(f"{path}:1: a query name is lower-case letters, digits and '-', "
                             f"got {name!r}")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    top, param_blocks, body_start = _header(path, lines)
    if body_start == 0:
        raise CatalogueError(f"{path}:1: the file must start with '#+' header lines")
    for key in _REQUIRED_TOP:
        if not top.get(key, ("", 0))[0]:
            raise CatalogueError(f"{path}:{body_start}: the header lacks '{key}'")

    params: list[Parameter] = []
    for block in param_blocks:
        first = min(n for _, n in block.values())
        where = f"{path}:{first}"
        if "name" not in block or not re.fullmatch(r"[a-z][a-z0-9_]*", block["name"][0]):
            raise CatalogueError(f"{where}: a parameter needs 'name' (lower-case letters, "
                                 "digits, '_')")
        pname = block["name"][0]
        ptype = block.get("type", ("", first))[0]
        if ptype not in PARAM_TYPES:
            raise CatalogueError(f"{where}: parameter '{pname}' has type {ptype!r}; expected "
                                 f"one of {', '.join(PARAM_TYPES)}")
        if not block.get("description", ("", 0))[0]:
            raise CatalogueError(f"{where}: parameter '{pname}' lacks a description")
        if any(p.name == pname for p in params):
            raise CatalogueError(f"{where}: parameter '{pname}' is declared twice")
        bounds: dict[str, int | None] = {}
        for key in ("min", "max"):
            raw = block.get(key, (None, 0))[0]
            if raw is not None and not re.fullmatch(r"[+-]?\d+", raw):
                raise CatalogueError(f"{path}:{block[key][1]}: '{key}' must be an integer")
            bounds[key] = int(raw) if raw is not None else None
        pattern = block.get("pattern", (None, 0))[0]
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise CatalogueError(f"{path}:{block['pattern'][1]}: bad pattern: {exc}") from None
        param = Parameter(
            name=pname, type=ptype, description=block["description"][0],
            default=block["default"][0] if "default" in block else None,
            min=bounds["min"], max=bounds["max"], pattern=pattern,
            pattern_hint=block.get("pattern_hint", (None, 0))[0], line=first)
        if param.default is not None:
            try:
                param.convert(param.default)
            except ParameterError as exc:
                raise CatalogueError(f"{path}:{block['default'][1]}: default of '{pname}' "
                                     f"does not fit its type: {exc.message}") from None
        params.append(param)

    body_lines = _strip_comments(lines[body_start:])
    used: dict[str, int] = {}
    for offset, line in enumerate(body_lines):
        for m in _VARIABLE.finditer(line):
            used.setdefault(m.group(1), body_start + offset + 1)
    declared = {p.variable: p for p in params}
    for var, number in sorted(used.items(), key=lambda kv: kv[1]):
        if var not in declared:
            raise CatalogueError(
                f"{path}:{number}: variable ?{var} looks like a parameter (leading '_') but "
                f"the header declares no parameter '{var[1:]}'")
    for var, p in declared.items():
        if var not in used:
            raise CatalogueError(
                f"{path}:{p.line}: parameter '{p.name}' is declared but the query never uses "
                f"?{var}")
    body = "\n".join(body_lines)
    form = _projection(body)
    if form is None:
        raise CatalogueError(f"{path}:{body_start + 1}: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    if form[0] == "SELECT" and "*" not in form[1]:
        projected = set(re.findall(r"[?$](_[A-Za-z0-9_]+)\b", form[1]))
        for var, p in declared.items():
            if var not in projected:
                raise CatalogueError(
                    f"{path}:{p.line}: parameter '{p.name}': the top-level SELECT must "
                    f"project ?{var} (the results show the values they were computed for)")
    try:
        inline_parameters(text, {p.variable: lit("") for p in params})
    except InlineError as exc:
        raise CatalogueError(f"{path}:{str(exc).removeprefix('line ')}") from None
    tags = _flow_list(top["tags"][0], f"{path}:{top['tags'][1]}") if "tags" in top else ()
    return NamedQuery(
        name=name, path=path, title_de=top["title_de"][0], title_en=top["title_en"][0],
        description=top["description"][0], tags=tags, params=tuple(params),
        example=top.get("example", ("", 0))[0], text=text,
        ordered=bool(re.search(r"\bORDER\s+BY\b", body, re.I)))


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Every `*.rq` file of `directory` (default: the bundled `queries/rq/`)."""
    if directory is None:
        return _bundled()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _bundled() -> Catalogue:
    return _load(QUERY_DIR)


def _load(directory: Path) -> Catalogue:
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: no such query directory")
    catalogue = Catalogue()
    for path in sorted(directory.glob("*.rq")):
        query = parse_query_file(path)
        catalogue.queries[query.name] = query
    return catalogue


# -- parameters from the command line (`--param key=value`) ----------------------------------


def parse_param_args(pairs: list[str]) -> dict[str, str]:
    """`["key=value", …]` from `--param`; ParameterError for a malformed or repeated one."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ParameterError(key or pair, f"--param expects KEY=VALUE, got {pair!r}")
        if key in params:
            raise ParameterError(key, "given twice")
        params[key] = value
    return params


def date_problem(value: str, exc: ValueError) -> str:
    """Why a text is no date: its form, or a day the calendar does not have (2025-02-30)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return f"{value!r} is no day of the calendar ({exc})"
    return f"expected a date as YYYY-MM-DD, got {value!r}"
