"""The treasury's own files as input: the DIPA/POK print of SAKTI and the realization per akun of
OM-SPAN/SAKTI. ``layouts.py`` describes each published layout as data, ``reader.py`` reads a
workbook by its layout (pure parsing: nothing is looked up or written), ``import_kinds.py`` turns
what was read into an import plan of the import engine (preview, confirm, audit, history)."""
