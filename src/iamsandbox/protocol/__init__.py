"""AWS wire protocols (query, rest-xml), driven by the service models botocore ships."""
