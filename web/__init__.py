"""The web layer: one blueprint per interface, thin views over the advisor core."""
