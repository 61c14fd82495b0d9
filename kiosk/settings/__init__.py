"""The settings models (pydantic) and the layered loader of the configuration."""
