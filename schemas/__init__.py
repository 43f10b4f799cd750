"""marshmallow schemas: the contract of every input, output and data file."""
