"""Faces that render a Story for a person: a text summary and a self-contained HTML report."""
