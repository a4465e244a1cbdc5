from ninja import Router, Schema

from cuakhau.core.permissions import get_for_user_or_404

from .models import Gate

router = Router(tags=["gates"])


class GateOut(Schema):
    code: str
    name: str
    name_en: str
    name_zh: str
    kind: str
    mode: str
    paired_gate_cn: str
    landmarks: str
    parent: str | None
    daily_vehicles: int | None
    is_active: bool

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


@router.get("/", response=list[GateOut], summary="Danh sách cửa khẩu")
def list_gates(request):
    return Gate.objects.for_user(request.user).select_related("parent")


@router.get("/{code}", response=GateOut, summary="Một cửa khẩu")
def get_gate(request, code: str):
    return get_for_user_or_404(Gate.objects.select_related("parent"), request.user, code=code)
