"""Test factories: the one place tests make objects."""

import factory
from factory.django import DjangoModelFactory

from cuakhau.core.models import Unit, User
from cuakhau.core.roles import AgencyKind, Role, UnitKind
from cuakhau.gates.models import Gate, GateKind, GateMode

PASSWORD = "Test-password-2026!"

ROLE_UNIT_KIND = {
    Role.BOARD_LEADER: UnitKind.BOARD_LEADERSHIP,
    Role.DEPARTMENT_STAFF: UnitKind.BOARD_DEPARTMENT,
    Role.GATE_OPERATOR: UnitKind.GATE_CENTRE,
    Role.GATE_CASHIER: UnitKind.GATE_CENTRE,
    Role.AGENCY_OFFICER: UnitKind.AGENCY,
    Role.ENTERPRISE_USER: UnitKind.ENTERPRISE,
    Role.DRIVER: UnitKind.ENTERPRISE,
    Role.INSPECTOR: UnitKind.BOARD_DEPARTMENT,
    Role.PROVINCIAL_LEADER: UnitKind.PROVINCIAL_LEADERSHIP,
    Role.ADMIN: UnitKind.BOARD_DEPARTMENT,
}


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = UnitKind.BOARD_DEPARTMENT
    agency_kind = factory.LazyAttribute(lambda o: AgencyKind.CUSTOMS if o.kind == UnitKind.AGENCY else "")


class GateFactory(DjangoModelFactory):
    class Meta:
        model = Gate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GATE_{n}")
    name = factory.Sequence(lambda n: f"Cửa khẩu {n}")
    kind = GateKind.MAIN
    mode = GateMode.ROAD


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.DEPARTMENT_STAFF
    unit = factory.LazyAttribute(lambda o: UnitFactory(kind=ROLE_UNIT_KIND[o.role]))
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def user_at_gate(role: str, gate: Gate, **kwargs) -> User:
    """A gate-bound user (operator, cashier, agency officer) whose unit works at `gate`."""
    unit = UnitFactory(kind=ROLE_UNIT_KIND[role])
    gate.units.add(unit)
    return UserFactory(role=role, unit=unit, **kwargs)


# --- parties -------------------------------------------------------------------------------------

from cuakhau.parties.models import Driver, Enterprise, IdKind, Vehicle, VehicleKind  # noqa: E402


def make_tax_code(n: int, prefix: str = "48") -> str:
    """A 10-digit tax code with a correct check digit (stdnum.vn.mst), distinct for each n."""
    from stdnum.vn import mst

    while True:
        base = f"{prefix}{n % 10**7:07d}"
        digit = mst.calc_check_digit(base)
        if len(digit) == 1 and base[2:] != "0000000":
            return base + digit
        n += 10**6 + 1


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    tax_code = factory.Sequence(lambda n: make_tax_code(n + 1))
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    unit = factory.LazyAttribute(
        lambda o: UnitFactory(kind=UnitKind.ENTERPRISE, code=f"dn-{o.tax_code}", name=o.name)
    )
    is_customs_agent = False


def enterprise_user(enterprise: Enterprise, **kwargs) -> User:
    """A user of `enterprise` (role enterprise_user, in its unit)."""
    return UserFactory(role=Role.ENTERPRISE_USER, unit=enterprise.unit, **kwargs)


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    plate = factory.Sequence(lambda n: f"12C-{100 + n // 100 % 900:03d}.{n % 100:02d}")
    plate_key = factory.LazyAttribute(lambda o: o.plate.replace("-", "").replace(".", ""))
    country = "VN"
    kind = VehicleKind.TRUCK
    owner = factory.SubFactory(EnterpriseFactory)


class DriverFactory(DjangoModelFactory):
    class Meta:
        model = Driver

    full_name = factory.Sequence(lambda n: f"Lái xe {n}")
    id_kind = IdKind.CCCD
    id_number = factory.Sequence(lambda n: f"020085{n % 10**6:06d}")
    nationality = "VN"
    employer = factory.SubFactory(EnterpriseFactory)


# --- fees ----------------------------------------------------------------------------------------


def fee_gate(code: str = "HUUNGHI_T") -> tuple[Gate, Unit]:
    """A gate with its gate centre (the collecting point whose series numbers the receipts)."""
    gate = GateFactory(code=code)
    centre = UnitFactory(
        code=f"ttqlck-{code.lower()}", name=f"Trung tâm Quản lý cửa khẩu {code}", kind=UnitKind.GATE_CENTRE
    )
    gate.units.add(centre)
    return gate, centre


def fee_assessment(gate: Gate, *, payer_unit=None, source_id=None, amount: int = 6_500_000, **kwargs):
    """A due assessment written directly (no tariff needed): for receipts, payments and benchmarks."""
    import datetime
    import secrets

    from django.utils import timezone

    from cuakhau.fees.models import FeeAssessment, Tariff

    tariff = Tariff.objects.order_by("pk").first()
    if tariff is None:
        from cuakhau.fees.models import Resolution

        res = Resolution.objects.get_or_create(
            number="TEST/2026", defaults={"council": "HĐND", "effective_from": datetime.date(2020, 1, 1)}
        )[0]
        tariff = Tariff.objects.create(
            code="TEST",
            name="Thử",
            province="lang_son",
            resolution=res,
            status="in_force",
            effective_from=datetime.date(2020, 1, 1),
        )
    return FeeAssessment.objects.create(
        source=kwargs.pop("source", "test"),
        source_id=source_id or secrets.token_hex(6),
        gate=gate,
        payer_unit=payer_unit,
        charged_on=kwargs.pop("charged_on", timezone.localdate()),
        tariff=tariff,
        tariff_code=tariff.code,
        tariff_version=tariff.version,
        flow=kwargs.pop("flow", "temp_import_reexport"),
        rule_key=kwargs.pop("rule_key", "1-c40"),
        amount=amount,
        payment_reference="PHI"
        + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8)),
        **kwargs,
    )


# --- traffic -------------------------------------------------------------------------------------

from cuakhau.traffic.models import Yard  # noqa: E402


class YardFactory(DjangoModelFactory):
    class Meta:
        model = Yard

    gate = factory.SubFactory(GateFactory)
    code = factory.Sequence(lambda n: f"yard-{n}")
    name = factory.Sequence(lambda n: f"Bãi {n}")
    capacity = 50
    is_border_yard = True


def goods_line(**overrides) -> dict:
    """One goods line as a declarant types it (fresh longan, HS 0810.90.10, chapter 08: agricultural)."""
    return {
        "hs_code": "0810.90.10",
        "description": "Nhãn tươi",
        "quantity": "20000",
        "unit": "kg",
        "gross_kg": "21000",
        "value": "300000000",
        "currency": "VND",
    } | overrides


def declaration_draft(*, actor, enterprise, vehicle, driver, gate, flow="export", lines=None, **kwargs):
    """A draft declaration made through the service, arriving in an hour."""
    import datetime

    from django.utils import timezone

    from cuakhau.traffic import services as traffic_services

    return traffic_services.declaration_create(
        actor=actor,
        enterprise=enterprise,
        vehicle=vehicle,
        driver=driver,
        gate=gate,
        flow=flow,
        planned_arrival=kwargs.pop("planned_arrival", timezone.now() + datetime.timedelta(hours=1)),
        lines=lines if lines is not None else [goods_line()],
        **kwargs,
    )


# --- incidents -----------------------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", size=(64, 48), exif_gps: bool = False) -> bytes:
    """A real image in `fmt`; with exif_gps, a JPEG carrying an EXIF block with a GPS position."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "N", 2: (21.0, 58.0, 14.7), 3: "E", 4: (106.0, 42.0, 11.9)}  # GPSInfo
        kwargs["exif"] = exif.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def photo_upload(fmt: str = "JPEG", name: str = "anh.jpg", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=f"image/{fmt.lower()}")


def incident_reported(gate: Gate, *, kind: str = "security", actor=None, **kwargs):
    """An incident as the public reports it (no actor), or as `actor` records it."""
    from cuakhau.incidents import services as incident_services

    description = kwargs.pop("description", "Xe tải đỗ chắn lối vào bãi hàng")
    if actor is None:
        return incident_services.incident_report_public(
            actor=None, gate=gate, kind=kind, description=description, **kwargs
        )
    return incident_services.incident_record(
        actor=actor, gate=gate, kind=kind, description=description, **kwargs
    )


# --- cooperation ---------------------------------------------------------------------------------


def counterpart(code: str = "pingxiang", **kwargs):
    from cuakhau.cooperation.models import Counterpart

    defaults = {
        "name_vi": "Chính quyền thành phố Bằng Tường",
        "name_zh": "凭祥市人民政府",
        "kind": "government",
    }
    return Counterpart.objects.get_or_create(code=code, defaults=defaults | kwargs)[0]


def agreement_with_commitment(owner_unit, *, due_on=None, **kwargs):
    """An agreement signed a month ago with one commitment owned by `owner_unit`."""
    import datetime

    from django.utils import timezone

    from cuakhau.cooperation import services as coop

    signed = timezone.localdate() - datetime.timedelta(days=30)
    agreement = coop.agreement_record(
        actor=None,
        counterparts=[counterpart()],
        kind="memorandum",
        title_vi=kwargs.pop("title_vi", "Bản ghi nhớ thử nghiệm"),
        signed_on=signed,
        parties_vn="Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
        **kwargs,
    )
    commitment = coop.commitment_add(
        actor=None,
        agreement=agreement,
        text_vi="Trao đổi thông tin về lưu lượng xe qua cửa khẩu hằng tuần",
        owner_unit=owner_unit,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=30),
    )
    return agreement, commitment


# --- plans ---------------------------------------------------------------------------------------


def plan_with_tasks(
    year: int = 2017,
    *,
    n: int = 3,
    lead_unit=None,
    cooperating=(),
    kind: str = "key",
    status: str = "active",
    deadline=None,
):
    """A plan of `year` with n tasks led by `lead_unit`, moved through the services to `status`."""
    import datetime

    from cuakhau.plans import services as plan_services

    lead_unit = lead_unit or UnitFactory(kind=UnitKind.BOARD_DEPARTMENT)
    plan = plan_services.plan_create(actor=None, year=year)
    tasks = [
        plan_services.task_add(
            actor=None,
            plan=plan,
            kind=kind,
            title=f"Nhiệm vụ thử {i + 1}",
            lead_unit=lead_unit,
            cooperating_units=list(cooperating),
            deadline=deadline or datetime.date(year, 12, 31),
        )
        for i in range(n)
    ]
    if status in ("active", "closed"):
        plan = plan_services.plan_activate(actor=None, plan=plan)
    if status == "closed":
        plan = plan_services.plan_close(actor=None, plan=plan)
    return plan, tasks


def directive_with_action(owner_unit, *, due_date, given_on=None, cooperating=()):
    """A directive given `given_on` (default: 60 days ago) with one action owned by `owner_unit`."""
    import datetime

    from django.utils import timezone

    from cuakhau.plans import services as plan_services

    directive = plan_services.directive_create(
        actor=None,
        leader="Phó Chủ tịch UBND tỉnh",
        given_on=given_on or timezone.localdate() - datetime.timedelta(days=60),
        meeting="Hội nghị thử",
        text="Chỉ đạo thử nghiệm",
    )
    action = plan_services.action_add(
        actor=None,
        directive=directive,
        title="Việc thử nghiệm",
        owner_unit=owner_unit,
        due_date=due_date,
        cooperating_units=list(cooperating),
    )
    return directive, action


EVIDENCE_HEADS = {
    "pdf": b"%PDF-1.7\n",
    "png": b"\x89PNG\r\n\x1a\n",
    "docx": b"PK\x03\x04",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
}


def evidence_upload(
    kind: str = "pdf", *, name: str | None = None, size: int = 2048, head: bytes | None = None
):
    """An uploaded evidence file whose first bytes are those of `kind` (or `head`)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    start = head if head is not None else EVIDENCE_HEADS[kind]
    return SimpleUploadedFile(name or f"bien-ban.{kind}", start + b"0" * max(size - len(start), 0))


# --- trade ---------------------------------------------------------------------------------------


def trade_csv(rows) -> str:
    """A customs-statistics CSV: rows of (period, gate, direction, flow, hs_chapter, value, unit)."""
    lines = ["period,gate,direction,flow,hs_chapter,value,unit"]
    lines += [",".join(f'"{c}"' if "," in c else c for c in row) for row in rows]
    return "\n".join(lines) + "\n"


# --- procedures ----------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n% test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def dossier_file(name: str = "don-de-nghi.pdf", content: bytes = PDF_BYTES):
    """An uploaded dossier file (a small valid PDF unless told otherwise)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def dossier_online(enterprise, procedure_code: str = "ld-cap-gpld", *, at=None, actor=None, **kwargs):
    """A dossier submitted online by `enterprise`'s user (status new)."""
    from cuakhau.procedures.models import Procedure
    from cuakhau.procedures.services import dossier_submit

    actor = actor or enterprise_user(enterprise)
    kwargs.setdefault("subject", "Cấp giấy phép lao động cho chuyên gia")
    kwargs.setdefault("files", [dossier_file()])
    return dossier_submit(
        actor=actor,
        procedure=Procedure.objects.get(code=procedure_code),
        enterprise=enterprise,
        at=at,
        **kwargs,
    )


def dossier_at_desk(actor, procedure_code: str = "ld-cap-gpld", *, at=None, enterprise=None, **kwargs):
    """A dossier received in person at the one-stop desk by `actor` (status received)."""
    from cuakhau.procedures.models import Procedure
    from cuakhau.procedures.services import dossier_receive_at_desk

    kwargs.setdefault("subject", "Cấp giấy phép lao động tại quầy")
    kwargs.setdefault("applicant_name", enterprise.name if enterprise else "Nguyễn Văn An")
    kwargs.setdefault("applicant_id", enterprise.tax_code if enterprise else "020085001234")
    kwargs.setdefault("files", [dossier_file()])
    return dossier_receive_at_desk(
        actor=actor,
        procedure=Procedure.objects.get(code=procedure_code),
        enterprise=enterprise,
        at=at,
        **kwargs,
    )


# --- assets and auctions -------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402


def _acting(actor):
    """The actor a factory's service call names: the one given, else the test's acting user."""
    from cuakhau.core.context import current

    return actor if actor is not None else current().actor


def land_plot(code: str = "LD-T1", gate_code: str = "HUUNGHI", area: str = "1000", *, actor=None, **kwargs):
    """A land plot at a gate (the gates come from the reference data)."""
    from cuakhau.assets.services import asset_create

    return asset_create(
        actor=_acting(actor),
        kind="land_plot",
        code=code,
        name=f"Lô đất {code}",
        gate=Gate.objects.get(code=gate_code),
        area_m2=area,
        parcel_number=kwargs.pop("parcel_number", "101"),
        map_sheet=kwargs.pop("map_sheet", "9"),
        **kwargs,
    )


def pdf_upload(name: str = "ho-so.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n%%EOF\n", content_type="application/pdf")


def auction_plan(*, session_in_days: int = 20, hour: int = 9, today=None) -> dict:
    """A schedule that passes the 2016 pack: posted today, notices 2 working days apart, two viewing
    days, registration closing 3 days before a session `session_in_days` days ahead."""
    from django.utils import timezone

    from cuakhau.auctions import clock
    from cuakhau.core.workcal import add_working_days

    today = today or clock.today()
    day = today + _dt.timedelta(days=session_in_days)
    session = timezone.make_aware(_dt.datetime.combine(day, _dt.time(hour, 0)))
    return {
        "session_start": session,
        "registration_closes_at": session - _dt.timedelta(days=3),
        "notice_1_on": today,
        "notice_2_on": add_working_days(today, 2),
        "viewing_from": day - _dt.timedelta(days=8),
        "viewing_to": day - _dt.timedelta(days=7),
    }


def auction_draft(
    asset=None,
    *,
    code: str = "DG-T1",
    starting_price: int = 100_000_000,
    step: int = 1_000_000,
    deposit: int = 10_000_000,
    session_minutes: int = 20,
    dossier_fee: int = 0,
    plan=None,
    actor=None,
    **kwargs,
):
    from cuakhau.auctions.services import auction_create

    asset = asset or land_plot(code=f"LD-{code}", actor=actor)
    return auction_create(
        actor=_acting(actor),
        code=code,
        title=f"Đấu giá {code}",
        asset=asset,
        starting_price=starting_price,
        step=step,
        deposit=deposit,
        session_minutes=session_minutes,
        dossier_fee=dossier_fee,
        **(plan or auction_plan()),
        **kwargs,
    )


ORDER = [
    "approved",
    "posted",
    "registration_open",
    "registered",
    "registration_closed",
    "deposits_checked",
    "bidders_fixed",
    "live",
]


def auction_drive(auction, *, until: str, bidders=(), decision_date=None, pay=True, actor=None):
    """Drive an auction through the services up to `until` (one of ORDER), registering `bidders`
    (enterprises) and paying their deposits. The auction clock is moved forward as the law's calendar
    requires; returns (auction, registrations)."""
    from cuakhau.auctions import clock
    from cuakhau.auctions import services as s
    from cuakhau.auctions.models import Auction

    steps = ORDER[: ORDER.index(until) + 1]
    actor = _acting(actor)  # the Board's member who runs every step (and records the dossiers and deposits)
    regs = []
    pk = auction.pk
    if "approved" in steps:
        s.auction_approve(
            actor=actor, auction_id=pk, decision_number="1/QĐ-T", decision_date=decision_date or clock.today()
        )
    if "posted" in steps:
        s.auction_post(actor=actor, auction_id=pk)
    if "registration_open" in steps:
        s.auction_registration_open(actor=actor, auction_id=pk)
    if "registered" in steps:
        for enterprise in bidders:
            reg = s.registration_submit(
                actor=actor,
                auction_id=pk,
                enterprise=enterprise,
                representative="Đại diện",
                documents=[pdf_upload()],
            )
            if pay:
                a = Auction.objects.get(pk=pk)
                s.deposit_receive(actor=actor, registration_id=reg.pk, amount=a.deposit + a.dossier_fee)
            regs.append(reg)
    if "registration_closed" in steps:
        a = Auction.objects.get(pk=pk)
        clock.shift(a.registration_closes_at - clock.now() + _dt.timedelta(minutes=1))
        s.auction_registration_close(actor=actor, auction_id=pk)
    if "deposits_checked" in steps:
        s.auction_deposits_check(actor=actor, auction_id=pk)
    if "bidders_fixed" in steps:
        for reg in regs:
            reg.refresh_from_db()
            if reg.status == "submitted":
                s.registration_decide(actor=actor, registration_id=reg.pk, eligible=True)
        s.auction_bidders_fix(actor=actor, auction_id=pk)
    if "live" in steps:
        a = Auction.objects.get(pk=pk)
        clock.shift(a.session_start - clock.now())
        s.auction_start(actor=actor, auction_id=pk)
    for reg in regs:
        reg.refresh_from_db()
    return Auction.objects.get(pk=pk), regs
