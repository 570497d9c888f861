"""The bundled guidance, taxonomy, dictionary and campaign packs, as package data."""
