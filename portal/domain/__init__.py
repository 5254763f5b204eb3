"""Request-free domain logic: takes values and a session, returns values."""
