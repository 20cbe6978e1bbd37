"""One blueprint per area; every module here that defines ``bp`` is registered by create_app."""
