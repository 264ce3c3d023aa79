"""Settings shared by every environment. Deploy-time choices come from the environment."""

import os
from pathlib import Path

import dj_database_url
from botocore.config import Config

from portal.security import csp as csp_policy
from portal.security import rules as security_rules

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent
VAR_DIR = Path(os.environ.get("CULTUREHALL_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Personal data at rest (portal/encryption.py, docs/privacy.md): Fernet keys, newest first (older
# ones only decrypt), and the key of the hash that finds duplicate ID numbers. Not SECRET_KEY:
# rotating that must not make the data unreadable. Production refuses to start without both;
# elsewhere these public, insecure defaults keep a dev database readable across restarts.
PERSONAL_DATA_ENCRYPTION_KEYS = env_list("PERSONAL_DATA_ENCRYPTION_KEYS") or [
    "6w6RGJDwSmpks2aYUmndpXHGeM2gl949v_mj0xG_nsc="
]
PERSONAL_DATA_HASH_KEY = os.environ.get("PERSONAL_DATA_HASH_KEY") or "dev-only-personal-data-hash"

INSTALLED_APPS = [
    "portal",
    "portal.security",
    "network",
    "resources",
    "search",
    "media_pipeline",
    "training",
    "volunteers",
    "metrics",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "training.users_app.StaffUsersConfig",  # wagtail.users, listing staff only (not residents)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "storages",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Outermost, so page views answered from a cache (Django's cache middleware) count too.
    "metrics.middleware.PageViewMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # %00 in a URL is a 400 (PostgreSQL cannot compare text holding it: it was a 500).
    "portal.null_characters.RefuseNullCharactersMiddleware",
    # Anonymous GETs of public pages answered whole from the cache (portal/page_cache.py).
    "portal.page_cache.PageCacheMiddleware",
    # After the page cache: a cached page keeps the policy (and any nonce) it was stored with.
    "portal.security.csp.AdminAwareCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.security.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.two_factor.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # An unreachable media store answers 503 in Chinese, not 500.
    "media_pipeline.storage_faults.StorageUnavailableMiddleware",
    # Last, as django-axes asks: turns the login request that hit the lockout into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.page_cache.context",
            ],
        },
    },
]

# Database: DATABASE_URL, defaulting to an SQLite file under var/ so a laptop needs no server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'culturehall.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # - A 64 MB page cache (SQLite's default is 2 MB): full-text search joins its matches with
    #   the document table, which then stays in memory.
    # - WAL, so readers never wait for a writer; IMMEDIATE transactions and a 20 s busy timeout,
    #   so concurrent requests (runserver threads, an upload's parallel parts, the task worker)
    #   queue for the write lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA cache_size=-65536; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
# PostgreSQL connection pool per process (psycopg_pool through Django's OPTIONS["pool"]),
# switched on by DATABASE_POOL=1. It replaces persistent connections (Django refuses both).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),  # wait for a connection
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: in-process by default; REDIS_URL (redis://host:6379/0) shares one across app servers,
# which several servers need (page cache invalidation, search results, synonyms).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "culturehall"),
    }
else:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# "no-store": a cache that keeps nothing, for fragments of private pages (portal/page_cache.py).
CACHES = {
    "default": DEFAULT_CACHE,
    "no-store": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Whole pages for anonymous visitors and page fragments: how long they live at most (publishing
# replaces them at once); 0 turns either off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("PAGE_FRAGMENT_CACHE_SECONDS", "300"))
# How long an app server answers from its own copies of cached pages before asking the shared
# cache again: a publish reaches the other servers within this time (0: ask every time).
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Length and character classes (portal/security/rules.py).
    {"NAME": "portal.security.passwords.PasswordPolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: the public site and the admin default to Simplified Chinese, Shanghai time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PORTAL_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# S3 client: short timeouts and one retry, so a store that is down or hangs fails a request in
# seconds (a 503 saying so, docs/operations.md "Faults") instead of holding a worker for minutes
# (botocore's defaults: 60 s to connect, 60 s per read, 5 attempts). The read timeout is per
# socket read, not per transfer, so large parts still upload.
S3_CLIENT_CONFIG = Config(
    connect_timeout=float(os.environ.get("S3_CONNECT_TIMEOUT", "2")),
    read_timeout=float(os.environ.get("S3_READ_TIMEOUT", "3")),
    retries={"mode": "standard", "total_max_attempts": int(os.environ.get("S3_MAX_ATTEMPTS", "2"))},
    s3={"addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path")},
    signature_version="s3v4",
)

# Media storage: MEDIA_STORAGE=local (default) or s3 (any S3-compatible store).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        # django-storages' S3Storage; reads from an unreachable store raise an OSError.
        "BACKEND": "media_pipeline.storage_faults.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "culturehall"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            # Never overwrite a same-named file; never hand out unsigned URLs for private files.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_URL_EXPIRE_SECONDS", "300")),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "client_config": S3_CLIENT_CONFIG,
        },
    }
elif MEDIA_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}")

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Search: the embedded database backend by default, Elasticsearch by settings alone.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database").strip().lower()
# The network-wide search (app `search`) uses the same switch; with Elasticsearch it pre-segments
# with jieba ("whitespace") or uses the cluster's Chinese analyzer ("smartcn", "ik_smart").
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "culturehall_")
ELASTICSEARCH_ANALYZER = os.environ.get("ELASTICSEARCH_ANALYZER", "whitespace")
# Results of a query are reused for this long unless the index changes (0 turns it off).
SEARCH_RESULT_CACHE_SECONDS = int(os.environ.get("SEARCH_RESULT_CACHE_SECONDS", "60"))
if SEARCH_BACKEND == "elasticsearch":
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",  # the installed client is 9.x
            "URLS": env_list("ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "culturehall_"),
        }
    }
elif SEARCH_BACKEND == "database":
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}
else:
    raise ValueError(
        f"SEARCH_BACKEND must be 'database' or 'elasticsearch', not {SEARCH_BACKEND!r}"
    )

# Background tasks (Wagtail 8 runs its own work through django-tasks): the database
# backend, drained by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "株洲数字文化馆")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = True  # the admin keeps Chinese; portal.slugs turns it into pinyin
WAGTAIL_WORKFLOW_ENABLED = True
# No Gravatar: it would send a hash of every editor's e-mail abroad (and the CSP refuses it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin's browser ask releases.wagtail.org for new versions (upgrades are ours).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# No SVG: an SVG is a document that can run script. Uploads are decoded by
# portal.image_uploads (a corrupt image is a form error, not a 500) and sniffed by their bytes
# by portal.document_uploads (each allowed extension has its magic-number rule there).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.image_uploads.CheckedImageForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.document_uploads.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Private documents are streamed by a view that checks permission, never via a public URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
# A bearer token's "last used" is written at most this often (seconds): an UPDATE on every
# request of a resident's app would cost more than the request itself.
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = 300

REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

LOGIN_URL = "wagtailadmin_login"

# --- login and browser security (portal/security, docs/security.md; values in its rules.py) ---
# django-axes first: it refuses a locked-out login name before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = security_rules.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = security_rules.LOGIN_COOL_OFF
# Per login name, from any address: residents share addresses (a centre's Wi-Fi, carrier NAT),
# so counting per address would lock out everyone behind one. Axes warns (W006) when the
# address is not a lockout parameter; that is this choice, made on purpose.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"
# Behind the reverse proxy the client's address is the last one it adds.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Idle timeout: a session not used for this long ends (portal.security.sessions extends it).
SESSION_COOKIE_AGE = int(security_rules.SESSION_IDLE_TIMEOUT.total_seconds())

# Two-factor login for the admin (django-otp, portal/security/two_factor.py): hub
# administrators must set it up when this is on (production turns it on).
ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS = env_bool("ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS", False)
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME  # how authenticator apps label the account

# Content-Security-Policy (django-csp): see portal/security/csp.py for what each allowance is for.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_policy.PUBLIC_DIRECTIVES}
CONTENT_SECURITY_POLICY_ADMIN = csp_policy.ADMIN_REPLACEMENTS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Catalogue uploads (resources.uploads): per-kind size limits, checked while streaming.
CATALOGUE_UPLOAD_LIMITS = {
    "image": 20 * 1024 * 1024,
    "audio": 500 * 1024 * 1024,
    "video": 4 * 1024 * 1024 * 1024,
    "document": 50 * 1024 * 1024,
}
# Decompression-bomb guard: well below Pillow's default (~89.5 Mpx); applied to Image.MAX_IMAGE_PIXELS.
CATALOGUE_MAX_IMAGE_PIXELS = int(os.environ.get("CATALOGUE_MAX_IMAGE_PIXELS", 40_000_000))
# Wagtail's upload limit (its default, 128 Mpx, is above Pillow's bomb error at twice the limit):
# the same figure, so an upload gets a form error before Pillow's bomb check is reached.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = CATALOGUE_MAX_IMAGE_PIXELS
# Catalogue import (resources.importing): largest spreadsheet accepted in the admin, and how
# many row errors a report lists before summarising the rest.
CATALOGUE_IMPORT_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
CATALOGUE_IMPORT_MAX_REPORTED_ERRORS = 500

# Media pipeline (media_pipeline): ffmpeg threads per process; renditions are encoded one after
# another, so this bounds the CPU and memory one asset's processing takes.
MEDIA_FFMPEG_THREADS = int(os.environ.get("MEDIA_FFMPEG_THREADS", "2"))
# x264 speed/quality preset: "veryfast" keeps a 2-core box near real time at 720p; slower
# presets shrink files a little at several times the CPU.
MEDIA_X264_PRESET = os.environ.get("MEDIA_X264_PRESET", "veryfast")
# Where sources are downloaded and renditions encoded before upload (None: the system's temp
# folder); needs room for one source plus one rung.
MEDIA_PROCESSING_TMP_DIR = os.environ.get("MEDIA_PROCESSING_TMP_DIR") or None
# A run whose heartbeat is older than this is taken as abandoned (its worker stopped) and
# requeued by `manage.py resume_media_processing`; after this many runs it is failed instead.
MEDIA_PROCESSING_STALE_MINUTES = 10
MEDIA_PROCESSING_MAX_ATTEMPTS = 3
# PDFs: more pages than this are refused; so is a first page larger than this many points on a
# side (PDF's own limit is 14,400 points = 200 inches; bigger pages exist to exhaust renderers).
MEDIA_PDF_MAX_PAGES = 2000
MEDIA_PDF_MAX_PAGE_POINTS = 14_400
# Streaming (media_pipeline.streaming): how long a signed playback link of a restricted asset
# stays valid, counted from when its part of the media is due to play; a copied link stops
# working after that.
MEDIA_STREAM_URL_SECONDS = int(os.environ.get("MEDIA_STREAM_URL_SECONDS", "300"))
# Chunked uploads (media_pipeline.uploads): bytes per part the admin's browser sends; S3 needs
# at least 5 MiB for every part but the last, and it grows by itself past 10,000 parts.
MEDIA_UPLOAD_CHUNK_SIZE = 8 * 1024 * 1024
# How many parts a client may have in flight at once: part n is taken while every part before
# n - MEDIA_UPLOAD_PARALLEL_PARTS + 1 is stored (a part further ahead is "out of order").
MEDIA_UPLOAD_PARALLEL_PARTS = int(os.environ.get("MEDIA_UPLOAD_PARALLEL_PARTS", "4"))
# S3 multipart uploads carry each part's SHA-256 (x-amz-checksum-sha256), so the store verifies
# it too; turn off for an S3-compatible store that does not support additional checksums.
MEDIA_UPLOAD_S3_PART_CHECKSUMS = os.environ.get("MEDIA_UPLOAD_S3_PART_CHECKSUMS", "1") == "1"
# An upload that receives no part for this long expires; `manage.py cleanup_uploads` removes
# its parts (and any multipart upload or staging file that no open upload owns).
MEDIA_UPLOAD_EXPIRY_HOURS = 72
# Where uploads to local storage are staged; on MEDIA_ROOT's disk completion is a rename
# (None: a folder "upload-staging" beside MEDIA_ROOT).
MEDIA_UPLOAD_STAGING_DIR = os.environ.get("MEDIA_UPLOAD_STAGING_DIR") or None
# Storage quota (originals + renditions) of a venue the hub has set none for, in GB.
MEDIA_UPLOAD_DEFAULT_QUOTA_GB = 50

# Usage metrics (metrics): events are buffered in each process and written in batches by a
# writer thread, so recording costs a request microseconds (docs/metrics.md).
METRICS_ENABLED = env_bool("METRICS_ENABLED", True)
# Rows per INSERT; a full batch wakes the writer at once.
METRICS_BATCH_SIZE = 500
# How often the writer thread writes what is buffered (0: no thread; a full buffer is then
# written at request end). The most a crash can lose.
METRICS_FLUSH_SECONDS = float(os.environ.get("METRICS_FLUSH_SECONDS", "2"))
# While the database cannot be written, events wait in memory up to this many per process.
METRICS_BUFFER_MAX = 100_000
# Raw events older than this (rounded down to whole months) are summarised and removed.
METRICS_RAW_RETENTION_DAYS = int(os.environ.get("METRICS_RAW_RETENTION_DAYS", "400"))
