"""Clean-channel recruitment: tracks guestworkers from SNE referral to direct hire."""
