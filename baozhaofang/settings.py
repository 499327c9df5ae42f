"""Settings, all read from the environment.

With nothing set the app runs embedded: SQLite file beside manage.py, Celery tasks executed
eagerly, DEBUG on. Production (docker-compose) sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL; without a secret key it refuses to start.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from baozhaofang.log_config import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# Fixed at start-up (the test runner flips DEBUG, not this): guards destructive demo commands.
PRODUCTION = not DEBUG

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-embedded-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "axes",
    "core",
    "projects",
    "ledgers",
    "petitions",
    "dispatch",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "core.middleware.FormRescueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baozhaofang.urls"
WSGI_APPLICATION = "baozhaofang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.context_processors.county",
                "core.context_processors.ledger_rule",
                "core.context_processors.notifications",
                "core.context_processors.session",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the eager Celery tasks and the dev server read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # JIT compilation costs more than it saves on the ledger's short queries (seen: 800 ms of
    # JIT for a 90 ms query at 20,000 projects); an OLTP app is better off without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bzf",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication and sessions.
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions end after 30 minutes (the cookie is renewed on every request); the middleware
# ends any session 12 hours after login whatever the activity.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# Pages warn this long before an idle session ends, with 继续工作 to keep it.
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=5 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind the docker-compose nginx the client address is in X-Real-IP, which nginx always
# overwrites with the address it saw. Without BEHIND_REVERSE_PROXY only REMOTE_ADDR is trusted,
# so a client reaching the app directly cannot forge its address with a header.
BEHIND_REVERSE_PROXY = env.bool("BEHIND_REVERSE_PROXY", default=False)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_REAL_IP", "REMOTE_ADDR"] if BEHIND_REVERSE_PROXY else ["REMOTE_ADDR"]
)

# --- Security. Production (DEBUG off) is HTTPS-only behind the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_REVERSE_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script
# or handler (static/js/app.js wires data-confirm and data-print) — so injected markup cannot run.
# Inline style attributes stay allowed: Bootstrap, the charts and Redoc set styles as they draw.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation: the UI is Chinese, times are Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files: everything vendored, served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Site photos (现场照片) are private: a folder outside MEDIA_ROOT (so no static route ever serves
# it) or, with PHOTO_STORAGE=s3, an S3-compatible bucket such as MinIO; pages reach them only
# through a view that checks the reader may see the project.
PHOTO_STORAGE = env.str("PHOTO_STORAGE", default="local")
PHOTO_ROOT = env.path("PHOTO_ROOT", default=BASE_DIR / "private" / "photos")
if PHOTO_STORAGE == "s3":
    PHOTO_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PHOTO_S3_BUCKET"),
            "endpoint_url": env.str("PHOTO_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("PHOTO_S3_REGION", default=None),
            "access_key": env.str("PHOTO_S3_ACCESS_KEY", default=None),
            "secret_key": env.str("PHOTO_S3_SECRET_KEY", default=None),
            "location": env.str("PHOTO_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
elif PHOTO_STORAGE == "local":
    PHOTO_STORAGE_CONFIG = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PHOTO_ROOT, "base_url": "/no-public-url/"},
    }
else:
    raise ImproperlyConfigured("PHOTO_STORAGE must be local or s3.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "photos": PHOTO_STORAGE_CONFIG,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery: eager without a broker, Redis with one.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task that dies mid-run is redelivered after the visibility timeout; the hard time limit
# stays below it so a long task is never handed to a second worker while the first still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Django REST framework.
REST_FRAMEWORK = {
    # Token first: a request with no credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "core.ordering.StrictOrderingFilter",
    ],
    # The API speaks JSON; only the survey upload takes multipart (imports/api.py).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.Schema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
# API tokens (core/tokens.py): a new one per login, valid this many hours, never renewed by use.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=10)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
FILTERS_EMPTY_CHOICE_LABEL = "全部"
SPECTACULAR_SETTINGS = {
    "TITLE": "保交房工作平台 API",
    "DESCRIPTION": (
        "保交房工作专班管理平台的 REST API。认证：请求头 Authorization: Token <令牌>，"
        "或浏览器登录后的会话。权限、数据范围和个人信息脱敏与页面相同。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.add_error_components",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "ProblemTypeEnum": "ledgers.models.Problem.Type",
        "ProblemStatusEnum": "ledgers.models.Problem.Status",
        "FundingSourceEnum": "ledgers.models.FundingRecord.Source",
        "FundingStatusEnum": "ledgers.models.FundingRecord.Status",
        "InspectionKindEnum": "ledgers.models.Inspection.Kind",
        "InspectionSeverityEnum": "ledgers.models.Inspection.Severity",
        "PetitionChannelEnum": "petitions.models.Petition.Channel",
        "PetitionCategoryEnum": "petitions.models.Petition.Category",
        "PetitionStatusEnum": "petitions.models.Petition.Status",
        "SatisfactionEnum": "petitions.models.Petition.Satisfaction",
        "TaskSourceEnum": "dispatch.models.SupervisionTask.Source",
        "TaskStatusEnum": "dispatch.models.SupervisionTask.Status",
        "ReportKindEnum": "dispatch.models.Report.Kind",
        "ImportStatusEnum": "imports.models.ImportBatch.Status",
        "RiskLevelEnum": "projects.selectors.Risk.CHOICES",
        "PetitionActionEnum": "petitions.api.ACTION_CHOICES",
    },
}

# --- Domain settings an administrator may tune.
# 台账未更新: each week's progress report is due by the end of this weekday (1 = Monday …
# 7 = Sunday, county time); a ledger is overdue once that day of its latest due week is over.
LEDGER_REPORT_DUE_WEEKDAY = env.int("LEDGER_REPORT_DUE_WEEKDAY", default=5)
if not 1 <= LEDGER_REPORT_DUE_WEEKDAY <= 7:
    raise ImproperlyConfigured("LEDGER_REPORT_DUE_WEEKDAY must be 1 (Monday) to 7 (Sunday).")
# 现场照片: each at most this many bytes and pixels (more is a decompression bomb), shown at most
# PHOTO_MAX_EDGE pixels wide or high, at most PHOTO_MAX_FILES chosen at once.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=64_000_000)
PHOTO_MAX_EDGE = env.int("PHOTO_MAX_EDGE", default=4096)
PHOTO_MAX_FILES = env.int("PHOTO_MAX_FILES", default=10)
# A weekly report whose 形象进度 rises by more than this many points (or falls) is confirmed first.
PROGRESS_JUMP_POINTS = env.int("PROGRESS_JUMP_POINTS", default=20)
COLLECTIVE_PETITION_HEADCOUNT = env.int("COLLECTIVE_PETITION_HEADCOUNT", default=5)
# 集体上访预警: this many petitions on one project within this many days.
COLLECTIVE_WARNING_COUNT = env.int("COLLECTIVE_WARNING_COUNT", default=3)
COLLECTIVE_WARNING_DAYS = env.int("COLLECTIVE_WARNING_DAYS", default=7)
PETITION_DUE_SOON_DAYS = env.int("PETITION_DUE_SOON_DAYS", default=3)
# The dashboard's figures are kept this long (seconds, at most 5 minutes; 0 = always fresh).
DASHBOARD_CACHE_SECONDS = min(env.int("DASHBOARD_CACHE_SECONDS", default=120), 300)
# Survey-sheet import limits: rows read (合计 and 填报人 rows too), what an .xlsx may unpack to.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=300 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=1000)
# Workbooks whose sheets unpack to more than this are checked and applied by a Celery worker
# (about 3,000 rows of the template).
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
COUNTY_NAME = env.str("COUNTY_NAME", default="示范县")
# Reports as 公文: the office in the 版头, 署名 and 版记, and the 代字 of its 发文字号.
REPORT_ISSUER = env.str("REPORT_ISSUER", default=f"{COUNTY_NAME}保交房工作领导小组办公室")
REPORT_NUMBER_PREFIX = env.str("REPORT_NUMBER_PREFIX", default="县保交房办")

# --- Logging: no line carries a query string or a whole phone/ID number (log_config).
LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))
