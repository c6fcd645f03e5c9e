"""What crosses the service boundary: validated input and the shapes callers read (never tables)."""
