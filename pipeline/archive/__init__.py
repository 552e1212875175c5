"""The history archive: every period's accepted values in one embedded SQLite file.

``schema`` (tables, stored version, migrations), ``store`` (open, look up, record a run in one
transaction), ``history`` (the checking stage that compares a run with the archive), ``importer``
(``import-history`` from the tool's earlier outputs), ``received`` (received dates typed by hand).
"""
