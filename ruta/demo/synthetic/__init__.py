"""Synthetic data for benchmarks and tests only (never imported by the running product): the bulk
generator (``manage.py generate_synthetic``), Honduran names and the spelling variants
(``variants``) that the duplicate-matching tests and benchmark are labelled with."""
