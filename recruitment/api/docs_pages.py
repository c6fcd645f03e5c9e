"""The interactive API documentation at /schema, served from files the package ships.

Swagger UI 5.36.0 (`swagger-ui-dist` from the npm registry, Apache-2.0: see
`static/swagger-ui/LICENSE` and `NOTICE`), vendored in `static/swagger-ui/` so that the page works
on a laptop in a field office with no internet: Litestar's default would load an unpinned script
from a CDN. To update it: `npm pack swagger-ui-dist@VERSION` and copy the same files.
"""

from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

from recruitment.api.dependencies import PUBLIC

SWAGGER_UI = Path(__file__).parent / "static" / "swagger-ui"
ASSETS = "/schema/assets"


def docs_router() -> Router:
    """/schema and its assets: public, no API key to read how to use one."""
    assets = create_static_files_router(
        path="/assets",
        directories=[SWAGGER_UI],
        name="api_docs_assets",
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=86400),
    )
    return Router("/schema", route_handlers=[assets], opt=PUBLIC, include_in_schema=False)


def docs_pages() -> list[OpenAPIRenderPlugin]:
    return [
        SwaggerRenderPlugin(
            path=["/", "/swagger"],
            js_url=f"{ASSETS}/swagger-ui-bundle.js",
            css_url=f"{ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
        )
    ]
