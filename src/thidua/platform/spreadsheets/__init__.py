"""Spreadsheets in: the hardened reader, cell parsers, the row importer and its error report."""
