"""Thailand's geography at the gateway: DOPA areas (geothai) and the CODI region of each province."""
