"""Adapters between the core and the outside: data files, storage, rendering."""
