"""The ROs of the ``dipa`` fixture's satker, for the tests of capaian RO: kept out of the fixture
itself, as a DIPA with ROs cannot be submitted before its RO rows are filled."""

from __future__ import annotations

from decimal import Decimal

from budgets.models import Account, Activity, BudgetLine, Output, OutputClass, OutputVolumeTarget

D = Decimal


def dipa_ros(dipa) -> dict[str, Output]:
    """Two ROs with pagu (the WUB one measured by the WUB records) and one without."""
    activity = Activity.objects.create(code="6503", name="Pengembangan IKM", name_en="SME development")
    kro = OutputClass.objects.create(activity=activity, code="RBS", name="Pelayanan publik lainnya")
    wub = Output.objects.create(output_class=kro, code="001", name="Wirausaha baru IKM yang ditumbuhkan",
                                name_en="New entrepreneurs", unit="orang", measured_by="wub")  # fmt: skip
    centres = Output.objects.create(output_class=kro, code="002", name="Sentra IKM yang dibina",
                                    name_en="Centres", unit="sentra", cumulative=True)  # fmt: skip
    unfunded = Output.objects.create(output_class=kro, code="003", name="Dokumen kajian", name_en="Studies",
                                     unit="dokumen")  # fmt: skip
    BudgetLine.objects.filter(pk__in=[dipa.ovop.pk, dipa.travel.pk]).update(output=wub)
    BudgetLine.objects.filter(pk=dipa.machine.pk).update(output=centres)
    zero_line = BudgetLine.objects.create(
        satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, component=dipa.ovop.component,
        account=Account.objects.create(code="526111", name="Belanja Barang Lainnya", spending_type=dipa.goods),
        pagu=0, output=unfunded,
    )  # fmt: skip
    assert zero_line.pagu == 0
    OutputVolumeTarget.objects.create(satker=dipa.ovop.satker, fiscal_year=dipa.fiscal_year, output=wub,
                                      volume=D(40))  # fmt: skip
    return {"wub": wub, "centres": centres, "unfunded": unfunded}
