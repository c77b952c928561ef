"""A non-editable install (a wheel, `pip install .`, the Docker image) finds its templates from any directory.

The top-level templates/ is the source; handoff/templates is a symlink to it, and setuptools' package-data
copies the files into what it builds. The full wheel -> fresh venv -> `handoff replay --dry-run` run is in
.ci/run (it needs PyPI); here setuptools' own build step runs offline on this checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from handoff.errors import ConfigError
from handoff.render import DEFAULT_TEMPLATES, DESCRIPTION_TEMPLATE, Renderer

ROOT = Path(__file__).parent.parent


def built_package(tmp_path: Path) -> Path:
    """What a wheel holds: setuptools' build_py of this checkout, configured by pyproject.toml."""
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    out = tmp_path / "build"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "[tool.setuptools] is still beta" on older setuptools
            dist = Distribution({"script_name": "setup.py"})
            apply_configuration(dist, "pyproject.toml")
            build = dist.get_command_obj("build_py")
            build.build_lib = str(out)
            build.ensure_finalized()
            build.run()
    finally:
        os.chdir(cwd)
    return out


def test_the_built_package_carries_the_templates_and_renders_from_another_directory(tmp_path: Path) -> None:
    out = built_package(tmp_path)
    shipped = out / "handoff" / "templates" / DESCRIPTION_TEMPLATE
    assert shipped.is_file() and not shipped.is_symlink()
    assert shipped.read_bytes() == (ROOT / "templates" / DESCRIPTION_TEMPLATE).read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import handoff.render as r; from handoff.model import Customer, Handoff;"
        "c = Customer(email='ann@example.org', found_by='from');"
        "print(r.__file__); print(r.Renderer().transcript(Handoff(message_id=None, subject='Parcel lost', customer=c)))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    where, _, transcript = done.stdout.partition("\n")
    assert where.startswith(str(out))  # the built copy, not this checkout
    assert "Customer: ann@example.org" in transcript and "Messages: 0" in transcript


def test_the_source_tree_uses_the_top_level_templates() -> None:
    assert (ROOT / "handoff" / "templates").is_symlink()
    assert DEFAULT_TEMPLATES.resolve() == (ROOT / "templates").resolve()


def test_templates_dir_still_overrides(tmp_path: Path) -> None:
    (tmp_path / DESCRIPTION_TEMPLATE).write_text("OURS: {{ subject }}")
    from handoff.model import Handoff

    assert Renderer(tmp_path).transcript(Handoff(message_id=None, subject="Hello")) == "OURS: Hello"
    with pytest.raises(ConfigError, match=r"\[render\] templates_dir: .* has no description.txt.j2"):
        Renderer(tmp_path / "missing")


def test_the_dockerfile_copies_what_the_build_follows() -> None:
    text = (ROOT / "Dockerfile").read_text()
    copied = {src for line in re.findall(r"^COPY (.+)$", text, re.M) for src in line.split()[:-1]}
    for needed in ("pyproject.toml", "README.md", "handoff", "templates"):  # templates: the symlink's target
        assert needed in copied, f"Dockerfile does not COPY {needed}"
        assert (ROOT / needed).exists()
    assert "RUN pip install ." in text
    # The image renders from the installed package; no path into the build directory is needed.
    assert "TEMPLATES_DIR" not in text
