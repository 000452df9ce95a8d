"""/openapi.json (every service's operations in one document), /docs and /redoc with local assets."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from gateway.openapi.store import merged_document
from services.common import errors
from services.common.i18n import Text

OPENAPI_PATH = "/openapi.json"
ASSETS_PATH = "/docs/assets"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
# the files fastapi-offline ships (Swagger UI and ReDoc builds); served by name from this list only
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))

router = APIRouter(include_in_schema=False)


@router.get(OPENAPI_PATH)
async def openapi(request: Request) -> Response:
    document = await merged_document(request.app)
    headers = {
        "ETag": document.etag,
        "Cache-Control": "no-cache",
        # which services are documented from a live answer, from a saved copy, or not at all
        "Khabuan-Spec-Sources": ", ".join(f"{name}={state}" for name, state in document.sources.items()),
    }
    if request.headers.get("if-none-match") == document.etag:
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type="application/json", headers=headers)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI_PATH,
        title=f"{request.app.title} — API",
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        oauth2_redirect_url=OAUTH2_REDIRECT_PATH,
        # validatorUrl null: Swagger UI would otherwise send the spec to an online validator
        swagger_ui_parameters={
            "validatorUrl": None,
            "persistAuthorization": True,
            "displayOperationId": True,
        },
    )


@router.get(OAUTH2_REDIRECT_PATH)
async def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI_PATH,
        title=f"{request.app.title} — API",
        redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
        with_google_fonts=False,
    )


@router.get(ASSETS_PATH + "/{name}")
async def docs_asset(name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise errors.NotFound(Text(f"There is no docs asset {name[:80]}.", f"ไม่มีไฟล์เอกสาร {name[:80]}"))
    return FileResponse(
        ASSETS_DIR / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )
