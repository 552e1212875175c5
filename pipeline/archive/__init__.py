"""The history archive: every period's accepted values in one embedded SQLite file.

``schema`` (tables, stored version, migrations), ``store`` (open, look up, record a run in one
transaction), ``stage`` (the run's steps: hashes, received dates, recording), ``received`` (dates
typed by hand), ``history`` (the checking stage that compares a run with the archive),
``importer`` (``import-history`` from the tool's earlier outputs), ``prefill`` (templates of a new
period), ``trend`` (the figures of the summary's trend sheet).
"""
