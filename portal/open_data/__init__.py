"""Open data: the HSDS 3.0 export (download and `export-hsds`) and the safe import of social maps."""
