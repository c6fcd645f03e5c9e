"""Readers of the files growers and staff bring: rosters and DOL disclosure data.

Pure parsing and mapping: no database; the services write what these modules read.
"""
