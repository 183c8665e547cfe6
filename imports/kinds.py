"""The import kinds of CONTRACT "Excel imports": their columns (in order) with what each holds.

The column names are the contract; the descriptions feed the templates' instructions sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from programs.models import CommodityGroup, FacilitationKind


@dataclass(frozen=True)
class ImportColumn:
    name: str
    description: str
    choices: tuple[str, ...] = ()  # offered as a dropdown in the template
    example: str = ""


@dataclass(frozen=True)
class ImportKind:
    name: str
    title: str
    columns: tuple[ImportColumn, ...]
    admin_only: bool = False  # the DIPA's pagu is recorded by the directorate, not by provinces

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


SATKER = ImportColumn("kode_satker", _("Kode satker 6 digit (teks; angka nol di depan tetap)."), example="170019")
YEAR = ImportColumn("tahun", _("Tahun anggaran, mis. 2026."), example="2026")
MONTH = ImportColumn("bulan", _("Bulan 1-12."), tuple(str(m) for m in range(1, 13)), "10")
COMPONENT = ImportColumn("kode_komponen", _("Kode komponen 3 digit, mis. 051 (OVOP)."), example="051")
ACCOUNT = ImportColumn("kode_akun", _("Kode akun 6 digit, mis. 521211."), example="521211")
REGENCY = ImportColumn(
    "kode_kabkota", _("Kode kabupaten/kota Kemendagri, mis. 17.71 (1771 juga dibaca)."), example="17.71"
)
NIB = ImportColumn("nib", _("NIB 13 digit dari OSS (teks); kosongkan bila belum ada."), example="0220551017193")
AMOUNT_HELP = _("Rupiah bulat: angka, atau teks format Indonesia seperti 1.250.000.")

KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in [
        ImportKind(
            "realisasi",
            _("Realisasi bulanan"),
            (
                SATKER,
                YEAR,
                MONTH,
                COMPONENT,
                ACCOUNT,
                ImportColumn(
                    "realisasi",
                    format_lazy(
                        "{}{}",
                        _(
                            "Realisasi bulan itu saja (tidak kumulatif); baris yang kolom ini kosong dilewati, "
                            "isi 0 untuk nol. "
                        ),
                        AMOUNT_HELP,
                    ),
                    example="1.250.000",
                ),
            ),
        ),
        ImportKind(
            "rpd",
            _("Rencana penarikan dana (RPD)"),
            (
                SATKER,
                YEAR,
                MONTH,
                ImportColumn("jenis_belanja", _("Jenis belanja: 51, 52, 53 atau 57."), ("51", "52", "53", "57"), "52"),
                ImportColumn(
                    "rencana",
                    format_lazy("{}{}", _("Rencana penarikan bulan itu. "), AMOUNT_HELP),
                    example="25.000.000",
                ),
            ),
        ),
        ImportKind(
            "pagu",
            _("Pagu per baris DIPA"),
            (
                SATKER,
                YEAR,
                COMPONENT,
                ACCOUNT,
                ImportColumn("pagu", format_lazy("{}{}", _("Pagu baris. "), AMOUNT_HELP), example="150.000.000"),
                ImportColumn(
                    "blokir",
                    format_lazy("{}{}", _("Bagian pagu yang diblokir (0 bila tidak ada). "), AMOUNT_HELP),
                    example="0",
                ),
            ),
            admin_only=True,
        ),
        ImportKind(
            "ikm",
            _("Registri IKM"),
            (
                NIB,
                ImportColumn("nama_usaha", _("Nama usaha."), example="Keripik Sanjai Amak"),
                ImportColumn("nama_pemilik", _("Nama pemilik."), example="Siti Aminah"),
                REGENCY,
                ImportColumn("alamat", _("Alamat usaha."), example="Jl. Soekarno-Hatta 12"),
                ImportColumn("kbli", _("KBLI 5 digit industri pengolahan (awalan 10-33)."), example="10794"),
                ImportColumn("tenaga_kerja_l", _("Jumlah tenaga kerja laki-laki."), example="3"),
                ImportColumn("tenaga_kerja_p", _("Jumlah tenaga kerja perempuan."), example="5"),
                ImportColumn(
                    "investasi",
                    format_lazy("{}{}", _("Investasi tanpa tanah dan bangunan. "), AMOUNT_HELP),
                    example="250.000.000",
                ),
                ImportColumn(
                    "nilai_produksi",
                    format_lazy("{}{}", _("Nilai produksi per tahun. "), AMOUNT_HELP),
                    example="600.000.000",
                ),
                ImportColumn("tahun_pendataan", _("Tahun pendataan."), example="2026"),
            ),
        ),
        ImportKind(
            "wub",
            _("Wirausaha baru (WUB)"),
            (
                SATKER,
                YEAR,
                MONTH,
                ImportColumn("nama", _("Nama wirausaha baru."), example="Rahmat Hidayat"),
                REGENCY,
                ImportColumn("jenis_usaha", _("Jenis usaha, mis. keripik pisang."), example="Keripik pisang"),
                NIB,
            ),
        ),
        ImportKind(
            "ovop",
            _("Sentra OVOP dan bintangnya"),
            (
                SATKER,
                ImportColumn("nama_sentra", _("Nama sentra."), example="Sentra Tenun Songket Bengkulu"),
                REGENCY,
                ImportColumn("desa", _("Desa/kelurahan."), example="Pasar Baru"),
                ImportColumn("kelompok_komoditas", _("Kelompok komoditas."), tuple(CommodityGroup.values), "TENUN"),
                ImportColumn("jumlah_ikm", _("Jumlah unit IKM di sentra (paling sedikit 5)."), example="12"),
                YEAR,
                ImportColumn("bintang", _("Bintang 1-5 hasil penilaian tahun itu."), ("1", "2", "3", "4", "5"), "3"),
            ),
        ),
        ImportKind(
            "fasilitasi",
            _("Fasilitasi IKM"),
            (
                SATKER,
                YEAR,
                MONTH,
                ImportColumn("jenis", _("Jenis fasilitasi."), tuple(FacilitationKind.values), "SNI"),
                NIB,
                ImportColumn(
                    "nama_usaha", _("Nama usaha (boleh kosong bila NIB terdaftar)."), example="Batik Besurek Rafflesia"
                ),
                ImportColumn(
                    "nilai",
                    format_lazy(
                        "{}{}",
                        _("Nilai transaksi (PAMERAN) atau nilai penggantian (RESTRUKTURISASI); 0 untuk lainnya. "),
                        AMOUNT_HELP,
                    ),
                    example="0",
                ),
                ImportColumn("keterangan", _("Keterangan, mis. nomor sertifikat."), example="SNI 01-2345"),
            ),
        ),
    ]
}
