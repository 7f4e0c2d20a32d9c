"""Renderers: they read derived tables, proofs and keys and print them.

Printers live apart from the model and dispatch on the format; the model
classes know nothing about output.
"""
