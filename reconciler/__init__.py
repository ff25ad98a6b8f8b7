"""camp: a declarative config-as-code reconciler for outreach campaigns."""

__version__ = "0.1.0"
