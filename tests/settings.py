"""Test settings: the real settings, minus what needs HTTPS (the test client and the live server
speak plain HTTP) and with a fast password hasher."""

import atexit
import os
import shutil
import tempfile

# Each test process (each pytest-xdist worker, and the controller) keeps what the product writes under
# var/ (generated keys, the signing certificate, uploads, mail files) in a directory of its own, removed
# at exit: parallel workers do not overwrite each other's files, and a test run leaves the developer's
# var/ alone. Set before the real settings read it.
# (Set unconditionally: a worker inherits the controller's environment.)
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ["CUAKHAU_VAR_DIR"] = tempfile.mkdtemp(prefix=f"cuakhau-test-{_worker}-")
atexit.register(shutil.rmtree, os.environ["CUAKHAU_VAR_DIR"], ignore_errors=True)

from cuakhau.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
