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
