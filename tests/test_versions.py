"""The installed Wagtail, Django and Pillow carry the known security fixes, and pyproject.toml
cannot install an older one. Offline vulnerability databases cannot be reached from here (so
pip-audit cannot be the gate): the advisories are listed by hand. When a security release comes
out, raise its minimum here and the pin in pyproject.toml."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent

MINIMUM = {
    # Django 5.2 LTS security releases (each fixes what the ones before it fixed):
    #   5.2.1  CVE-2025-32873 (strip_tags() denial of service)
    #   5.2.2  CVE-2025-48432 (log injection through the request path)
    #   5.2.6  CVE-2025-57833 (SQL injection in FilteredRelation column aliases)
    #   5.2.7  CVE-2025-59681 (SQL injection in annotate()/alias() column aliases on MySQL),
    #          CVE-2025-59682 (directory traversal in django.utils.archive)
    #   5.2.8  CVE-2025-64458 (redirect denial of service on Windows),
    #          CVE-2025-64459 (SQL injection through the _connector argument of Q/filter)
    #   5.2.9  CVE-2025-13372 (FilteredRelation aliases on PostgreSQL),
    #          CVE-2025-64460 (XML serializer denial of service)
    #   5.2.12 the March 2026 security release
    #   5.2.14 CVE-2026-5766, CVE-2026-35192, CVE-2026-6907
    #   5.2.15 the June 2026 security release (five low-severity issues)
    #   5.2.16 CVE-2026-48588, CVE-2026-53877, CVE-2026-53878
    #   5.2.17 CVE-2026-15307, CVE-2026-15337, CVE-2026-15830, CVE-2026-15920
    "Django": "5.2.17",
    # Wagtail: CVE-2026-28223 (XSS in simple_translation, fixed in 7.0.6/7.3.1),
    # CVE-2026-44197 and the permission advisories GHSA-67rv-mg8q-5pf3, GHSA-c4mr-889m-vgf6,
    # GHSA-c6wj-9vcj-75pj, GHSA-p5gm-92h4-6pv6 (documents/images API), GHSA-pwm3-7fv4-g6xx
    # (fixed in 7.0.7/7.3.2) and the four CVEs fixed in 7.0.8 (July 2026) are all fixed in 8.0
    # (August 2026); 8.0.1 is the 8.0 series' latest patch release (2026-10-20).
    "wagtail": "8.0.1",
    # Pillow: CVE-2023-50447 (ImageMath.eval code execution, 10.2.0), CVE-2024-28219 (10.3.0),
    # CVE-2025-48379 (DDS heap overflow, 11.3.0), the advisory fixed in 12.1.1, the heap
    # out-of-bounds writes and decompression-bomb denials of service fixed in 12.3.0, and the
    # advisories against 12.3.0 fixed in 13.0.0.
    "Pillow": "13.0.0",
}


def declared_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(line) for line in project["dependencies"]]
    return {requirement.name.lower(): requirement for requirement in requirements}


@pytest.mark.parametrize("package", MINIMUM)
def test_installed_version_carries_the_security_fixes(package):
    installed = Version(version(package))
    assert installed >= Version(MINIMUM[package]), (
        f"{package} {installed} lacks security fixes; need ≥ {MINIMUM[package]}"
    )


@pytest.mark.parametrize("package", MINIMUM)
def test_pyproject_cannot_install_a_version_without_them(package):
    specifier = declared_requirements()[package.lower()].specifier
    minimum = Version(MINIMUM[package])
    # Every release just below the minimum (previous patch, minor and major) is excluded.
    below = [
        Version(f"{minimum.major}.{minimum.minor}.{minimum.micro - 1}") if minimum.micro else None,
        Version(f"{minimum.major}.{minimum.minor - 1}.99") if minimum.minor else None,
        Version(f"{minimum.major - 1}.99.99"),
    ]
    allowed = [str(candidate) for candidate in below if candidate and specifier.contains(candidate)]
    assert allowed == [], f"pyproject.toml allows {package} {allowed} ({specifier})"
    assert specifier.contains(Version(version(package)))
