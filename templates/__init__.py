"""Jinja2 templates for generated documents, as package data."""
