"""Test-cloud-only plugins that stand in for the data plane Debian cannot give us on loopback."""
