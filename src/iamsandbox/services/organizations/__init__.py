"""AWS Organizations: organizations, OUs, accounts, handshakes, SCPs and RCPs."""
