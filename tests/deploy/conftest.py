from tests.s3 import moto_server, s3_bucket  # noqa: F401  (fixtures)
