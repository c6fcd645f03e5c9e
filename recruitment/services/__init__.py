"""Use cases. Each takes the caller and a session in a transaction that its caller owns; services
flush so that constraint errors surface here, and never commit."""
