"""Connectors that fetch documents into the landing folder; the sensor or the next run ingests them."""
