"""HTTP: parse, authenticate, map errors, and call services. Nothing else lives here."""
