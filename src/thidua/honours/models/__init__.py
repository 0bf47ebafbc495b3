"""Commendation records: the catalogue's edits, proposals with their candidates and dossiers,
decisions, awards and certificates. One module per part; import them from here."""
