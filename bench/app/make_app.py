#!/usr/bin/env python3
"""Writes the benchmark's application: a small Django project packaged as a pure-Python wheel.

    python3 make_app.py VERSION OUTPUT_DIR

`benchapp-VERSION-py3-none-any.whl` stands for a milborne-style application (settings, URLs, a
view, a WSGI entry point; depends on Django==3.2.25). Each version differs in its metadata and in
one source file (`benchapp/__init__.py` carries the version), as a release of the application would.
The wheel is reproducible: same version, same bytes.
"""
import base64
import hashlib
import pathlib
import sys
import zipfile

FILES = {
    "benchapp/__init__.py": '"""The benchmark\'s application."""\n__version__ = "{version}"\n',
    "benchapp/settings.py": (
        '"""Settings of the benchmark\'s application."""\n'
        "import os\n\n"
        'SECRET_KEY = os.environ.get("BENCHAPP_SECRET_KEY", "not-a-secret")\n'
        "DEBUG = False\n"
        'ALLOWED_HOSTS = ["*"]\n'
        'ROOT_URLCONF = "benchapp.urls"\n'
        'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.staticfiles", "benchapp"]\n'
        "MIDDLEWARE = []\n"
        'STATIC_URL = "/static/"\n'
        'DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}}\n'
        "USE_TZ = True\n"
    ),
    "benchapp/urls.py": (
        "from django.urls import path\n\n"
        "from benchapp import views\n\n"
        'urlpatterns = [path("", views.index)]\n'
    ),
    "benchapp/views.py": (
        "from django.http import HttpResponse\n\n"
        "import benchapp\n\n\n"
        "def index(request):\n"
        '    return HttpResponse("benchapp " + benchapp.__version__ + "\\n")\n'
    ),
    "benchapp/wsgi.py": (
        "import os\n\n"
        "from django.core.wsgi import get_wsgi_application\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchapp.settings")\n'
        "application = get_wsgi_application()\n"
    ),
}


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main(version, out_dir):
    dist_info = f"benchapp-{version}.dist-info"
    files = {name: text.format(version=version).encode() for name, text in FILES.items()}
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: benchapp\nVersion: {version}\n"
        "Summary: The benchmark's Django application\nRequires-Python: >=3.9\n"
        "Requires-Dist: Django==3.2.25\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: bench/app/make_app.py\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = b"benchapp\n"
    record = [record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()

    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"benchapp-{version}-py3-none-any.whl"
    tmp = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    tmp.replace(wheel)
    print(wheel)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_app.py VERSION OUTPUT_DIR")
    main(sys.argv[1], sys.argv[2])
