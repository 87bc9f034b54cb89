"""Monev RAD PUG: monitoring the gender-mainstreaming action plan of a regency, city or province
(its profile is data: ``app.services.region``)."""

__version__ = "0.1.0"
