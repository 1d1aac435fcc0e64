"""The named queries, one .rq file each (a package so that setuptools ships the files)."""
