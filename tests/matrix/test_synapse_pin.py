"""The Synapse the tests run against is pinned in one file that the fixture and CI both install from."""

from __future__ import annotations

import re
import subprocess

from tests.support.synapse import REPO_ROOT, REQUIREMENTS, synapse_python


def pinned_requirements() -> list[str]:
    return [line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_synapse_is_pinned_to_one_exact_version() -> None:
    pins = pinned_requirements()

    assert [re.fullmatch(r"matrix-synapse==\d+\.\d+\.\d+", line) is not None for line in pins] == [True]


def test_ci_installs_synapse_from_the_same_file() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    installs = [line for line in ci.splitlines() if "pip install" in line and "upgrade pip" not in line
                and "synapse" in line]

    assert installs and all("tests/support/synapse-requirements.txt" in line for line in installs)


def test_the_installed_synapse_is_the_pinned_one() -> None:
    shown = subprocess.run([str(synapse_python()), "-m", "pip", "show", "matrix-synapse"],
                           capture_output=True, text=True, check=True, timeout=120).stdout
    version = re.search(r"^Version: (\S+)", shown, re.MULTILINE)

    assert version is not None and pinned_requirements() == [f"matrix-synapse=={version.group(1)}"]
