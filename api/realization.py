"""PUT /api/v1/realization/<satker>/<year>/<month>/: a finance system pushes a month's
realization per budget line, the lines named as the ``realisasi`` import names them (kode_komponen
+ kode_akun). It is stored by the service the entry grid and the import use (realization_set), as
the token's account and with the token's system as the change reason, so the same rules apply
(an editable month, the effective pagu, the satker's scope, a returned report's lines, the
optimistic version) and the same history records it. Lines not named keep their amount; nothing
is written unless every line is accepted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts import permissions
from api.errors import ErrorOut, ErrorsOut
from budgets.models import BudgetLine, MonthlyReport
from budgets.services import StaleVersion, realization_set
from budgets.views.common import month_or_404, satker_year_or_404

router = Router(tags=["realization"])

MAX_AMOUNT = 10**15  # beyond any DIPA line: the column is a 64-bit integer, and the rules check the pagu


class LineIn(Schema):
    kode_komponen: str = Field(max_length=10, examples=["051"])
    kode_akun: str = Field(max_length=10, examples=["521211"])
    realisasi: int = Field(le=MAX_AMOUNT, description="This month's realization in whole rupiah (not cumulative).")


class RealizationIn(Schema):
    lines: list[LineIn] = Field(min_length=1, max_length=5000)
    version: int | None = Field(
        None, ge=0, le=2**31 - 1,
        description="The report version the figures were read at (0: no report yet). When given and the stored "
                    "report has another version, nothing is stored: 409.",
    )  # fmt: skip


class LineOut(Schema):
    kode_komponen: str
    kode_akun: str
    realisasi: int


class ReportOut(Schema):
    status: str
    version: int


class RealizationOut(Schema):
    satker: str
    year: int
    month: int
    lines: list[LineOut]
    total: int
    report: ReportOut


def line_key(line: BudgetLine) -> str:
    return f"{line.component.code}.{line.account.code}"


def stored_month(report: MonthlyReport) -> dict:
    realizations = report.realizations.select_related("line__component", "line__account").order_by(
        "line__component__code", "line__account__code"
    )
    return {
        "satker": report.satker.code, "year": report.fiscal_year.year, "month": report.month,
        "lines": [{"kode_komponen": r.line.component.code, "kode_akun": r.line.account.code, "realisasi": r.amount}
                  for r in realizations],
        "total": report.realized_total,
        "report": {"status": report.status, "version": report.version},
    }  # fmt: skip


@router.put(
    "/{satker}/{int:year}/{int:month}/",
    response={
        200: RealizationOut,
        400: ErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorsOut,
        429: ErrorOut,
    },
    url_name="realization",
    operation_id="realization_put",
    summary="Realisasi bulanan (push)",
    description=(
        "Store one month's realization of a satker, per budget line (kode_komponen + kode_akun, as the `realisasi` "
        "import). Lines not named keep their amount. The entry grid's rules apply: a satker outside the token's "
        "scope is 404, an account that may not write 403; a rule refused (over the effective pagu, a negative "
        "amount, an unknown line, a line a returned report did not reopen) 400 with the messages by line "
        "(`kode_komponen.kode_akun`); a month that may not be changed (locked, not started) or a stale `version` "
        "409. The answer is the month as stored."
    ),
)
def realization_put(request: HttpRequest, satker: str, year: int, month: int, payload: RealizationIn):
    satker_row, fiscal_year, can_edit = satker_year_or_404(request, satker, year)
    month = month_or_404(month)
    if not permissions.may_write(request.user) or not can_edit:
        raise PermissionDenied(_("Peran akun token ini tidak boleh mengubah realisasi satker ini."))
    lines = {line_key(line): line for line in BudgetLine.objects.filter(satker=satker_row, fiscal_year=fiscal_year)
             .select_related("component", "account")}  # fmt: skip
    amounts: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for given in payload.lines:
        key = f"{given.kode_komponen}.{given.kode_akun}"
        line = lines.get(key)
        if line is None:
            errors.setdefault(key, []).append(_("Baris pagu %(key)s tidak ada di DIPA satker ini tahun ini.") % {
                "key": key})  # fmt: skip
        elif line.pk in amounts:
            errors.setdefault(key, []).append(_("Baris ini disebut lebih dari sekali."))
        else:
            amounts[line.pk] = given.realisasi
    if errors:
        return Status(400, {"error": _("Realisasi tidak disimpan."), "errors": errors})
    token = request.api_token
    try:
        report = realization_set(
            satker=satker_row, fiscal_year=fiscal_year, month=month, amounts=amounts,
            expected_version=payload.version, by=request.user, reason=f"API: {token.name} ({token.prefix})",
        )  # fmt: skip
    except ValidationError as error:
        return _refused(error, {line.pk: key for key, line in lines.items()})
    return Status(200, stored_month(report))


def _refused(error: ValidationError, key_of: dict[int, str]) -> Status:
    """The service's refusal: a stale version or a month that may not change (a whole-month error)
    is a conflict (409); the lines' errors (``line-<id>``) are the request's fault (400)."""
    if isinstance(error, StaleVersion) or not hasattr(error, "error_dict"):
        return Status(409, {"error": _("Realisasi tidak disimpan."), "errors": {"__all__": error.messages}})
    errors = {}
    for key, messages in error.message_dict.items():
        line_id = key.removeprefix("line-")
        errors[key_of.get(int(line_id), key) if line_id.isdigit() else key] = messages
    return Status(400, {"error": _("Realisasi tidak disimpan."), "errors": errors})
