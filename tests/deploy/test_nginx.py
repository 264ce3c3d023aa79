"""deploy/nginx: the template, filled in as the nginx image fills it, passes `nginx -t`."""

import shutil
import string
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx"

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (Debian: apt-get install nginx-light)",
)


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def self_signed_certificate(directory):
    from datetime import datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "culture.example.cn")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "fullchain.pem", directory / "privkey.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def render(tmp_path, **values):
    """What the nginx image's envsubst does: only the named variables, nginx's own stay."""
    template = string.Template((NGINX / "culturehall.conf.template").read_text())
    site = tmp_path / "culturehall.conf"
    site.write_text(template.safe_substitute(values))
    shutil.copy(NGINX / "culturehall_proxy.conf", tmp_path)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    include {site};\n"
        "}\n"
    )
    return main, site.read_text()


def test_nginx_accepts_the_config(tmp_path):
    certificate, key = self_signed_certificate(tmp_path)
    main, site = render(
        tmp_path,
        CULTUREHALL_UPSTREAM="127.0.0.1:8000",
        SERVER_NAME="culture.example.cn",
        TLS_CERTIFICATE=certificate,
        TLS_CERTIFICATE_KEY=key,
        STATIC_ROOT=tmp_path / "static",
        MEDIA_ROOT=tmp_path / "media",
    )
    settings_lines = [line for line in site.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in settings_lines if "${" in line]  # every variable was given
    assert "$host" in site  # nginx's own variables are left for nginx
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(main), "-p", str(tmp_path), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_private_media_is_never_served_from_disk():
    site = (NGINX / "culturehall.conf.template").read_text()
    served = [
        line.split()[1] for line in site.splitlines() if line.strip().startswith("location /media/")
    ]
    assert served == ["/media/images/", "/media/original_images/", "/media/"]
    assert "location /media/ {\n        return 404;" in site
