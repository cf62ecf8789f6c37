"""Protocols, vedomosti and reports: rendering, signing and verification (R36-R38)."""
