"""Evidence of the demo (bukti dukung): small generated files (a minimal PDF, a tiny PNG made with
Pillow, each a few hundred bytes with bytes of its own, so their SHA-256 differ) on most records
the active evidence rules apply to in the demo years, with realistic gaps: a few provinces
attach little, some months are left behind, some certificates lack their number. One file is
attached in two provinces on purpose, so the reviewer's duplicate flag has something to show.

Deterministic (seeded); rows written with bulk_create_with_history (each with its "+" history
row, by its uploader, as attached evidence has) and files through the evidence storage
(``settings.STORAGES["evidence"]``). At most ``MAX_PER_YEAR`` records a year get evidence (a
sample beyond that) to keep the load fast."""

from __future__ import annotations

import hashlib
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Q
from PIL import Image
from simple_history.utils import bulk_create_with_history

from budgets.evidence_rule_targets import rule_targets
from budgets.evidence_rules import active_rules
from budgets.models import Evidence
from budgets.models.evidence import evidence_storage
from demo.budgets import DEMO_REASON, SEED, demo_years

MAX_PER_YEAR = 1500
WEAK_PROVINCES = 4  # provinces that attach only about a third of their evidence
MISSED_MONTH_SHARE = 0.12  # satker-months whose evidence was not attached at all
NO_NUMBER_SHARE = 0.05  # evidence typed without its number


@dataclass
class EvidenceResult:
    year: int
    counts: dict[str, int] = field(default_factory=dict)


def pdf_bytes(text: str) -> bytes:
    body = f"BT /F1 10 Tf 20 40 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 80] /Contents 4 0 R >>\nendobj\n"
        + f"4 0 obj\n<< /Length {len(body)} >>\nstream\n".encode()
        + body
        + b"\nendstream\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 4), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(out, "PNG")
    return out.getvalue()


def evidence_demo_load(*, years: list[int] | None = None, today: date) -> list[EvidenceResult]:
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return []
    officers = {u.province_id: u for u in get_user_model().objects.filter(role="OFFICER").order_by("pk")}
    rules = active_rules()
    targets = rule_targets()
    storage = evidence_storage()
    results = []
    twin: tuple[str, int, int] | None = None  # (file name, province, size) of the file attached twice
    for year in sorted(set(demo_years(today) if years is None else years)):
        if Evidence.objects.filter(fiscal_year__year=year).exists():
            results.append(EvidenceResult(year, {"dilewati": 0}))
            continue
        rng = random.Random(f"{SEED}-{year}-evidence")  # noqa: S311 - demo data, not secrets
        records = []
        for label, label_rules in rules.items():
            target = targets[label]
            conditions = target.all_conditions()
            model = target_model = ContentType.objects.get_by_natural_key(*label.split("."))
            subject = Q()
            for rule in label_rules:
                subject |= conditions[rule.condition][1]
            rows = (target_model.model_class()._default_manager.filter(subject)
                    .filter(**{f"{target.fiscal_year}__year": year})
                    .values_list("pk", target.satker, f"{target.satker}__province_id", target.fiscal_year,
                                 target.month, f"{target.fiscal_year}__pk"))  # fmt: skip
            for pk, satker_id, province_id, fiscal_year_id, month, _fy in rows.order_by("pk"):
                records.append((model, label_rules, pk, satker_id, province_id, fiscal_year_id, month))
        if len(records) > MAX_PER_YEAR:
            records = rng.sample(records, MAX_PER_YEAR)
        # The weak provinces among the smaller half (by records), so gaps show without sinking the year.
        per_province = Counter(record[4] for record in records)
        smaller = sorted(per_province, key=lambda province: (per_province[province], province))
        smaller = smaller[: len(smaller) // 2]
        weak = set(rng.sample(smaller, min(WEAK_PROVINCES, len(smaller))))
        satker_months = sorted({(record[3], record[6]) for record in records})
        missed = {key for key in satker_months if rng.random() < MISSED_MONTH_SHARE}
        rows, row_provinces, files = [], [], 0
        for content_type, label_rules, pk, satker_id, province_id, fiscal_year_id, month in records:
            if (satker_id, month) in missed or (province_id in weak and rng.random() < 0.65):
                continue
            for rule in label_rules:
                kind = rule.kinds[0] if rng.random() < 0.8 else rng.choice(rule.kinds)
                serial = f"{year}-{content_type.model}-{pk}-{kind}"
                content, extension, mime = (
                    (png_bytes(rng), "png", "image/png") if kind == "PHOTO"
                    else (pdf_bytes(f"{kind} {serial}"), "pdf", "application/pdf")
                )  # fmt: skip
                name = storage.save(f"demo-{hashlib.sha1(serial.encode()).hexdigest()}.{extension}",  # noqa: S324
                                    ContentFile(content))  # fmt: skip
                files += 1
                number = "" if rng.random() < NO_NUMBER_SHARE else f"{kind}/{pk:05d}/{year}"
                rows.append(Evidence(
                    satker_id=satker_id, fiscal_year_id=fiscal_year_id, month=month, target_type=content_type,
                    target_id=pk, kind=kind, number=number, file=name, original_name=f"{kind.lower()}.{extension}",
                    content_type=mime, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                    uploaded_by=officers.get(province_id, admin),
                ))  # fmt: skip
                row_provinces.append(province_id)
        # The deliberate duplicate: the first file attached again in another province.
        if rows and twin is None:
            first = rows[0]
            other = next((row for row, province in zip(rows, row_provinces, strict=True)
                          if province != row_provinces[0]), None)  # fmt: skip
            if other is not None:
                rows.append(Evidence(
                    satker_id=other.satker_id, fiscal_year_id=other.fiscal_year_id, month=other.month,
                    target_type=other.target_type, target_id=other.target_id, kind=first.kind, number=first.number,
                    file=first.file.name, original_name=first.original_name, content_type=first.content_type,
                    size=first.size, sha256=first.sha256, uploaded_by=other.uploaded_by,
                ))  # fmt: skip
                twin = (first.file.name, row_provinces[0], first.size)
        for row in rows:
            row._history_user = row.uploaded_by
        bulk_create_with_history(rows, Evidence, batch_size=500, default_change_reason=DEMO_REASON)
        results.append(EvidenceResult(year, {"bukti dukung": len(rows), "berkas": files}))
    return results
