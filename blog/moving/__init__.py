"""Moving in and out: importers from WordPress and Ghost, the export that
gives everything back, and backup and restore. Command-line only: nothing
here is imported by a web worker, so its libraries cost the workers no
memory."""
