"""The API at /api/v1 (django-ninja). OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.
Each app adds its Router here; auth is a bearer token (devices, other systems) or the browser session."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cuakhau.assets.api import router as assets_router
from cuakhau.auctions.api import router as auctions_router
from cuakhau.cooperation.api import router as cooperation_router
from cuakhau.core.api import router as core_router
from cuakhau.core.api_auth import BearerToken, SessionAuth
from cuakhau.core.errors import ServiceError, errors_as_list
from cuakhau.fees.api import router as fees_router
from cuakhau.gates.api import router as gates_router
from cuakhau.incidents.api import router as incidents_router
from cuakhau.parties.api import router as parties_router
from cuakhau.plans.api import router as plans_router
from cuakhau.procedures.api import router as procedures_router
from cuakhau.reports.api import router as reports_router
from cuakhau.trade.api import router as trade_router
from cuakhau.traffic.api import router as traffic_router

# What the handlers below answer for any operation, documented once for all of them (so that a client
# generated from the OpenAPI, and schemathesis's conformance checks, know every status they can get):
# 401 when the operation needs authentication; 403 for an unsafe method with the session (Django's CSRF
# check); 404 when the path names an object (one out of the caller's scope is 404 too, never 403); 422
# when the operation takes parameters or a body (ValidationError, and ServiceError's refusals). Other
# statuses an operation answers (403 by role, 409, 429) are declared on the operation itself.
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "errors": {
            "title": "Errors",
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "required": ["detail"],
}
UNSAFE = {"post", "put", "patch", "delete"}


class CuakhauAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
        described = {
            "401": _("Chưa xác thực hoặc khóa API không hợp lệ."),
            "403": _("Không có quyền, hoặc phiên đăng nhập thiếu mã CSRF."),
            "404": _("Không tìm thấy (hoặc ngoài phạm vi của người dùng)."),
            "422": _("Dữ liệu không hợp lệ."),
        }
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                params = operation.get("parameters", [])
                wanted = set()
                if operation.get("security"):
                    wanted.add("401")
                    if method in UNSAFE:
                        wanted.add("403")
                if any(p.get("in") == "path" for p in params) or "{" in path:
                    wanted.add("404")
                if params or "requestBody" in operation:
                    wanted.add("422")
                for status in sorted(wanted):
                    operation["responses"].setdefault(status, {"description": described[status], **ref})
        return schema


api = CuakhauAPI(
    title="cuakhau API",
    version="1",
    description="API của nền tảng quản lý khu kinh tế cửa khẩu. Xác thực: `Authorization: Bearer <khóa>`.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    # Name each field and the rule it broke, in the user's language.
    errors = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", ""), "type": err.get("type", "")})
    return api.create_response(request, {"detail": _("Dữ liệu không hợp lệ."), "errors": errors}, status=422)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    # A refused write: the field and the rule, in the user's language; nothing was changed.
    status = exc.status if exc.status != 400 else 422
    response = api.create_response(
        request,
        {"detail": exc.messages[0] if exc.messages else "", "errors": errors_as_list(exc)},
        status=status,
    )
    if getattr(exc, "retry_after", None):  # core.throttle.Throttled: too many attempts from one address
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(
        request, {"detail": _("Chưa xác thực hoặc khóa API không hợp lệ.")}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/core", core_router)
api.add_router("/gates", gates_router)
api.add_router("/parties", parties_router)
api.add_router("/fees", fees_router)
api.add_router("/traffic", traffic_router)
api.add_router("/incidents", incidents_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/plans", plans_router)
api.add_router("/trade", trade_router)
api.add_router("/reports", reports_router)
api.add_router("/procedures", procedures_router)
api.add_router("/assets", assets_router)
api.add_router("/auctions", auctions_router)
