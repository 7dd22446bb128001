"""What a new user hit: commands that write never touch the plan unless that is their job, imports never
overwrite what they did not write, files get the usual permissions, and the root file names its folder."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE_PLAN, ROOT, Run

FIXTURES = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / "plans"
    shutil.copytree(EXAMPLE_PLAN, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("args", [
    ["export", "rudderstack", "{plan}", "--out", "{plan}"],
    ["export", "jsonschema", "{plan}", "--out", "{plan}"],
    ["export", "jsonschema", "{plan}", "--out", "{plan}/schemas"],
    ["export", "segment", "{plan}", "--out", "{plan}/tracking-plan.yaml"],
    ["report", "{plan}", "--out", "{plan}/report.html"],
    ["generate", "typescript", "{plan}", "--out", "{plan}"],
    ["lint", "{plan}", "--write-baseline", "{plan}/events/baseline.yaml"],
    ["schema", "--out", "{plan}/tracking-plan.yaml"],
    ["import", "segment", str(FIXTURES / "segment-public.json"), "--out", "{plan}"],
])
def test_writing_commands_never_touch_the_plan(cli: Callable[..., Run], plan: Path, args: list[str]) -> None:
    before = snapshot(plan)
    run = cli(*[a.replace("{plan}", str(plan)) for a in args])
    assert run.code == 2, run.out + run.err
    assert "Traceback" not in run.err
    assert snapshot(plan) == before
    assert cli("lint", str(plan), "--fail-on", "never").code == 0


def test_baseline_may_live_in_the_plan_and_says_how_to_use_it(cli: Callable[..., Run], plan: Path,
                                                              tmp_path: Path) -> None:
    # a lint rule's error (an owner no squad declares): the loader's own findings are never baselined
    (plan / "events" / "discovery" / "search.yaml").write_text(
        (plan / "events" / "discovery" / "search.yaml").read_text().replace("owner: discovery", "owner: nobody", 1))
    run = cli("lint", str(plan), "--write-baseline", str(plan / "lint-baseline.json"))
    assert run.code == 0 and "lint: {baseline: lint-baseline.json}" in run.err
    root = plan / "tracking-plan.yaml"
    root.write_text(root.read_text() + "lint: {baseline: lint-baseline.json}\n")
    assert cli("lint", str(plan)).code == 0
    outside = tmp_path / "elsewhere.json"
    outside.write_text("root:x:0:0:secret\n")
    root.write_text(root.read_text().replace("lint: {baseline: lint-baseline.json}", f"lint: {{baseline: {outside}}}"))
    refused = cli("lint", str(plan))
    assert refused.code == 1 and "outside the plan folder" in refused.out and "secret" not in refused.out


def test_import_replaces_only_an_earlier_import(cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "imported"
    assert cli("import", "segment", str(FIXTURES / "segment-public.json"), "--out", str(out)).code == 0
    (out / "NOTES.md").write_text("mine")
    again = cli("import", "segment", str(FIXTURES / "segment-config.json"), "--out", str(out))
    assert again.code == 0, again.err
    assert (out / "NOTES.md").read_text() == "mine"
    assert "Product Viewed" in (out / "events" / "discovery" / "events.yaml").read_text()
    assert not (out / "events" / "checkout" / "events.yaml").exists()  # the first import's file, replaced
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    refused = cli("import", "segment", str(FIXTURES / "segment-public.json"), "--out", str(other))
    assert refused.code == 2 and "--force" in refused.err and sorted(os.listdir(other)) == ["keep.txt"]
    forced = cli("import", "segment", str(FIXTURES / "segment-public.json"), "--out", str(other), "--force")
    assert forced.code == 0 and (other / "keep.txt").read_text() == "x" and (other / "tracking-plan.yaml").is_file()


def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def umask_022() -> Iterator[None]:
    yield from _umask(0o022)


@pytest.mark.usefixtures("umask_022")
def test_files_get_the_usual_permissions(cli: Callable[..., Run], plan: Path, tmp_path: Path) -> None:
    assert cli("generate", "typescript", str(plan), "--out", str(tmp_path / "ts")).code == 0
    assert cli("report", str(plan), "--out", str(tmp_path / "report.html"), "--no-history").code == 0
    assert cli("export", "jsonschema", str(plan), "--out", str(tmp_path / "js")).code == 0
    assert cli("import", "segment", str(FIXTURES / "segment-public.json"), "--out", str(tmp_path / "imp")).code == 0
    for path in [tmp_path / "ts" / "tracking-plan.ts", tmp_path / "report.html",
                 *(tmp_path / "js").iterdir(), tmp_path / "imp" / "tracking-plan.yaml"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for folder in (tmp_path / "ts", tmp_path / "js", tmp_path / "imp", tmp_path / "imp" / "events"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    report = tmp_path / "report.html"
    report.chmod(0o640)
    assert cli("report", str(plan), "--out", str(report), "--no-history").code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640  # an existing file keeps its mode


def test_the_root_file_names_its_folder(cli: Callable[..., Run], plan: Path, tmp_path: Path) -> None:
    root = str(plan / "tracking-plan.yaml")
    events = plan / "events" / "discovery" / "search.yaml"
    events.write_text(events.read_text().replace("description:", "descripton:", 1))
    lint = cli("lint", root, "--format", "github")
    assert lint.code == 1
    files = {line.split("file=")[1].split(",")[0] for line in lint.out.splitlines() if "file=" in line}
    assert files and all(Path(f).is_file() for f in files), files
    assert all("tracking-plan.yaml/" not in f for f in files)
    events.write_text(events.read_text().replace("descripton:", "description:", 1))
    for args in (["report", root, "--format", "json", "--no-history"], ["export", "segment", root],
                 ["generate", "typescript", root, "--out", str(tmp_path / "ts")], ["generate", root]):
        run = cli(*args)
        assert run.code in (0, 2) and "is not a plan directory" not in run.err, (args, run.err)
        if args[0] != "generate" or len(args) > 2:
            assert run.code == 0, (args, run.err)


def test_mparticle_user_attributes_become_traits(cli: Callable[..., Run], tmp_path: Path) -> None:
    source = ROOT / "tests" / "data" / "corpora" / "mparticle-smartype" / "freddy_s_plan-v1.json"
    run = cli("import", "mparticle", str(source), "--out", str(tmp_path / "p"))
    assert run.code == 0 and "any attribute is allowed" not in run.out
    root = (tmp_path / "p" / "tracking-plan.yaml").read_text()
    for name in ("$FirstName", "$Age", "$LastName", "payment", "favorite_store", "favorite_sku", "$Zip"):
        assert name in root


def test_tests_run_from_a_clean_clone_without_shared(tmp_path: Path) -> None:
    """A copy of the repository with nothing beside it runs the tests that read real data."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split("\n")
    clone = tmp_path / "nested" / "clone"
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / rel)
    assert [p.name for p in clone.parent.iterdir()] == ["clone"]  # no sibling folder to lean on
    outside = re.compile(r"ROOT\.parent|\.\./shared")  # a test reaching out of the repository
    assert not [p.name for p in (clone / "tests").glob("*.py") if outside.search(p.read_text())]
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           "tests/test_import_export.py::test_public_corpora_import",
                           "tests/test_iglu_calibration.py", "tests/test_lint.py"],
                          cwd=clone, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_examples_of_personal_properties_are_never_written(cli: Callable[..., Run], plan: Path,
                                                          tmp_path: Path) -> None:
    """A pii property's examples (and those of properties inside a pii object) may be a real person's value
    pasted into the plan: no command writes them, while other properties keep their examples."""
    (plan / "properties" / "contact.yaml").write_text(
        "properties:\n"
        "  contact_email: {type: string, pii: true, description: Where to write., examples: [secret.one@example.com]}\n"
        "  contact_card:\n    type: object\n    pii: true\n    description: The card.\n    properties:\n"
        "      holder: {type: string, description: On the card., examples: [Secret Two Holder]}\n"
        "  contact_topic: {type: string, description: What about., examples: [public-topic-example]}\n")
    (plan / "events" / "contact.yaml").write_text(
        "events:\n  Contact Requested:\n    description: The customer asked to be contacted.\n"
        "    owner: customer-care\n    properties:\n      contact_email: {}\n      contact_card: {}\n"
        "      contact_topic: {}\n")
    out = tmp_path / "out"
    runs = [("lint", str(plan), "--format", "json"), ("report", str(plan), "--format", "json", "--no-history"),
            ("report", str(plan), "--format", "html", "--no-history", "--out", str(out / "r.html")),
            ("report", str(plan), "--format", "markdown", "--no-history"), ("export", "segment", str(plan)),
            ("export", "rudderstack", str(plan), "--out", str(out / "rs")),
            ("export", "jsonschema", str(plan), "--out", str(out / "js")),
            *[("generate", target, str(plan), "--out", str(out / target))
              for target in ("typescript", "python", "kotlin", "swift", "jsonschema")]]
    shown = ""
    for args in runs:
        run = cli(*args)
        assert run.code in (0, 1), (args, run.err)
        shown += run.out + run.err
    shown += "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert "secret.one" not in shown and "Secret Two" not in shown
    assert "public-topic-example" in (out / "js" / "contact_requested.json").read_text(encoding="utf-8")


def test_init_on_a_full_disk_writes_nothing_and_can_run_again(cli: Callable[..., Run], tmp_path: Path) -> None:
    """On a real full file system (a 16 KiB tmpfs: the plan's root file fits, its 17 KB schema does not), init
    left tracking-plan.yaml and an empty plan.schema.json; it then refused to run again and lint passed the
    partial plan. Now nothing is written, and init runs once there is room."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        run = cli("init", str(disk / "plans"))
        assert run.code == 2 and "Nothing was written" in run.err, run.err
        assert [p for p in disk.rglob("*") if p.is_file()] == []
        subprocess.run(["mount", "-o", "remount,size=1m", str(disk)], check=True)
        again = cli("init", str(disk / "plans"))
        assert again.code == 0, again.err
        assert cli("lint", str(disk / "plans")).code == 0
    finally:
        subprocess.run(["umount", str(disk)], check=False)
