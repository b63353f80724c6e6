"""The bottom layer: rules, findings and fixes, options, safe reading and writing."""
