from ninja import Router, Schema

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    unit: str | None
    gates: list[int]


@router.get("/me", response=MeOut, summary="Tài khoản đang gọi API")
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.display_name,
        "role": user.role,
        "unit": user.unit.code if user.unit_id else None,
        "gates": user.gate_ids(),
    }


class AnchorOut(Schema):
    seq: int
    hash: str
    at: str
    kind: str
    tsa_at: str | None
    tsa_token: str | None


@router.get(
    "/audit-anchors",
    response=list[AnchorOut],
    auth=None,
    summary="Neo nhật ký kiểm toán: đầu chuỗi đã công bố (dữ liệu mở, công khai)",
)
def audit_anchors(request):
    """Every published head of the audit chain, oldest first: `cuakhau audit verify --anchors` reads
    this (or the CSV) and reports any the chain no longer reproduces."""
    from .anchors import anchor_dict, published

    return [anchor_dict(a) for a in published().order_by("at", "id")]


@router.get("/audit-anchors.csv", auth=None, summary="Neo nhật ký kiểm toán (CSV, công khai)")
def audit_anchors_csv(request):
    from django.http import HttpResponse

    from .anchors import anchors_csv, published

    response = HttpResponse(
        anchors_csv(published().order_by("at", "id")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="neo-kiem-toan.csv"'
    return response
