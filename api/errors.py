"""One JSON error shape for every error the API returns.

    {"error": {"status": 400, "code": "malformed_query", "message": "...", "detail": ...}}

`code` is a stable machine-readable word, `message` a sentence a person can act on, `detail`
optional structured context (e.g. the parser's position, the invalid parameters).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}


class ErrorInfo(BaseModel):
    status: int
    code: str
    message: str
    detail: Any = None


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


class ApiError(Exception):
    """An error with its HTTP status, stable code and a message the user can act on."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}


def parameter_problem(name: str, message: str, value: object = None) -> dict[str, Any]:
    """One refused parameter, in the shape of a validation problem (`_validation_error`)."""
    return {"location": f"query.{name}", "message": message,
            "input": value if isinstance(value, str | int | float) else None}


def invalid_parameter(name: str, message: str, value: object = None) -> ApiError:
    """A query parameter a route refuses: 400 `invalid_parameter`, whichever route, with the
    problem list of a validation error as its detail."""
    return ApiError(400, "invalid_parameter", message, [parameter_problem(name, message, value)])


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorInfo(status=status, code=code, message=message,
                                         detail=detail))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _default_message(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) else _default_message(status)
    if status == 404 and message == "Not Found":
        message = f"nothing at {request.url.path}"
    headers = dict(exc.headers or {})
    if status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
        # Starlette names only the first matching route's methods; a path served by one
        # route per method (GET and POST /sparql) allows the union
        allowed: set[str] = set()
        for route in _plain_routes(request.app.router.routes):
            methods = getattr(route, "methods", None)
            if methods and route.matches(request.scope)[0] != Match.NONE:
                allowed |= methods
        if allowed:
            headers["Allow"] = ", ".join(sorted(allowed))
    return error_response(status, _CODES.get(status, "error"), message, None, headers)


def _plain_routes(routes: list[Any]) -> list[Any]:
    """Routes of the app, looking into FastAPI's included-router wrappers (no prefixes are
    used in this app, so the inner routes' paths are the real ones)."""
    out: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            out.extend(_plain_routes(list(inner.routes)))
        else:
            out.append(route)
    return out


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg"),
         "input": err.get("input") if isinstance(err.get("input"), str | int | float) else None}
        for err in exc.errors()
    ]  # the shape of parameter_problem
    said = "; ".join(f"{p['location'].rsplit('.', 1)[-1]}={p['input']!r}: {p['message']}"
                     if p["input"] is not None else f"{p['location']}: {p['message']}"
                     for p in problems)
    return error_response(400, "invalid_parameter", f"invalid parameter(s): {said}", problems)


async def _internal_error(_request: Request, _exc: Exception) -> JSONResponse:
    # Starlette calls the 500 handler for any unhandled exception (after logging it)
    return error_response(500, "internal_error",
                          "internal server error; the server log has the details")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(500, _internal_error)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": _default_message(status)}
    for status in (400, 404, 429, 503)
}
