"""AWS CloudTrail: the event history of management events, read with LookupEvents."""
