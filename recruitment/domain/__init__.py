"""The domain's vocabulary: value types shared by the database models, the rules and the contracts.

Nothing here knows about HTTP or the database.
"""
