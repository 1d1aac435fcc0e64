"""The Jinja2 environment of the HTML pages (templates in api/templates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from api import i18n


class _Templates(Jinja2Templates):
    """Every page in the visitor's language (api/i18n.py): the strings through a context
    processor, the language headers and the remembered choice on the response."""

    def TemplateResponse(self, request: Request, name: str,  # noqa: N802 (Starlette's name)
                         *args: Any, **kwargs: Any) -> Any:
        response = super().TemplateResponse(request, name, *args, **kwargs)
        i18n.localise(request, response)
        return response


TEMPLATES = _Templates(directory=Path(__file__).parent / "templates",
                       context_processors=[i18n.template_context])


def _de_date(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y")


TEMPLATES.env.filters["de_date"] = _de_date
