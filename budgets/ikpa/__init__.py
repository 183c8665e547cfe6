"""IKPA (Indikator Kinerja Pelaksanaan Anggaran), the treasury's budget execution index per satker.

``rules`` holds every formula (pure, no database); ``year_rules`` reads a year's rules from the
database; ``compute`` gathers a satker-month's inputs and applies the rules. The monthly report,
the satker IKPA page, the national IKPA report and the RPD planner all go through ``rules``.
"""
