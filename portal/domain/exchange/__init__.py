"""Open data in and out: the HSDS 3.0 export (`hsds/`) and the all-or-nothing import of our
CSV template or an HSDS package (`importing/`)."""
