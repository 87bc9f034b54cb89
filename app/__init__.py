"""Monev RAD PUG: monitoring the gender-mainstreaming action plan of Kabupaten Lumajang."""

__version__ = "0.1.0"
