"""STS: AssumeRole, GetCallerIdentity, GetSessionToken, GetAccessKeyInfo."""
