"""The rule catalogue: one module per rule, grouped in families by code range.

- ``general`` (DL0xx): the engine's own findings.
- ``migration`` (DL1xx): imports and names that moved.
- ``portability`` (DL2xx): code that only works on one machine.
- ``network`` (DL3xx): hosts and interfaces written into the code.
- ``secrets`` (DL4xx): key material with defaults.
- ``resources`` (DL5xx): sockets and handlers that are never closed.
"""
