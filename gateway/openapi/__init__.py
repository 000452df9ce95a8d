"""The merged OpenAPI document and the offline docs (Swagger UI, ReDoc) the gateway serves."""
