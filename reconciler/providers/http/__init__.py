"""The vendor-neutral HTTP layer every provider talks through.

``client`` (``ApiClient``: auth, retries, waits, the secret-free error tree of ``errors``),
``pacing`` (each account's request budget), ``paging`` (page-number and cursor lists) and
``profile`` (the ``VendorProfile`` type each vendor fills in its own ``profile.py``).
"""
