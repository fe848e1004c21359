"""Content: Markdown files to validated entries (front matter, schema, the Entry record, the
loader), the text of a new entry and coverage figures. Imports only reference/ and errors."""
