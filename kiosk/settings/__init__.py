"""The settings models (frozen dataclasses), their validation by pydantic, and the layered
loader of the configuration."""
