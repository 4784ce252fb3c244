"""Tell the user, in plain words, which system packages are missing before pip fails
with a compiler error or WeasyPrint fails at run time. Runs with the system Python,
before the virtual environment exists."""

import ctypes.util
import shutil
import sys
import sysconfig
from pathlib import Path

REQUIRED = [
    # (what to look for, how to look, Debian/Ubuntu package)
    ("pango-1.0", "lib", "libpango-1.0-0 libpangoft2-1.0-0 (WeasyPrint)"),
    ("harfbuzz", "lib", "libharfbuzz0b (WeasyPrint)"),
    ("pq", "lib", "libpq-dev (psycopg2)"),
    ("pg_config", "bin", "libpq-dev (psycopg2)"),
    ("gcc", "bin", "build-essential (psycopg2)"),
    ("Python.h", "header", "python3-dev (psycopg2)"),
]


def present(name: str, how: str) -> bool:
    if how == "header":
        return (Path(sysconfig.get_paths()["include"]) / name).exists()
    return bool(ctypes.util.find_library(name)) if how == "lib" else bool(shutil.which(name))


def main() -> int:
    missing = sorted({package for name, how, package in REQUIRED if not present(name, how)})
    if not missing:
        return 0
    print("Thiếu gói hệ thống (missing system packages):", file=sys.stderr)
    for package in missing:
        print(f"  - {package}", file=sys.stderr)
    names = " ".join(sorted({word for package in missing for word in package.split(" (")[0].split()}))
    print(f"Cài đặt bằng (install with): sudo apt-get install {names}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
