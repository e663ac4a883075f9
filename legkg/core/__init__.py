"""The core every layer may use: errors with exit codes, prefixes, and where bundled data lives.

Imports nothing else from legkg.
"""
