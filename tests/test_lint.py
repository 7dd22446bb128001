"""lint end to end: presets, configuration errors, baseline, output formats, the rules command."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE_PLAN, ROOT, Run
from tracking_plan.lint.docs import README_END, README_START, rules_page, rules_table
from tracking_plan.lint.engine import all_rules
from tracking_plan.lint.render.github import escape_data, escape_property

SARIF_SCHEMA = ROOT / "tests" / "data" / "schemas" / "sarif-schema-2.1.0.json"

PLAN_ROOT = """\
plan: t
version: 1.0.0
conventions: {events: title_case, properties: snake_case}
squads: {core: {description: Core}}
destinations: [amplitude, ga4]
pii_destinations: []
"""
EVENTS = """\
events:
  order_completed:
    owner: core
    destinations: [amplitude]
    properties:
      email: {type: string, pii: true, description: "Buyer's e-mail, with a comma: and a colon"}
  Ad Impression:
    description: An ad was shown.
    trigger: Client.
    owner: core
    destinations: [ga4]
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    (tmp_path / "tracking-plan.yaml").write_text(PLAN_ROOT, encoding="utf-8")
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "a.yaml").write_text(EVENTS, encoding="utf-8")
    return tmp_path


def rules_of(run: Run) -> list[str]:
    return sorted(d["rule"] for d in run.json()["diagnostics"])


def test_example_plan_is_clean_with_every_rule_on(cli: Callable[..., Run]) -> None:
    run = cli("lint", str(EXAMPLE_PLAN), "--preset", "strict", "--format", "json", "--fail-on", "info")
    assert run.code == 0, run.out
    assert run.json()["diagnostics"] == []


def test_presets(cli: Callable[..., Run], plan: Path) -> None:
    minimal = cli("lint", str(plan), "--preset", "minimal", "--format", "json")
    assert rules_of(minimal) == ["ga4-limits", "pii-destination"]
    recommended = cli("lint", str(plan), "--format", "json")
    assert set(rules_of(recommended)) == {"ga4-limits", "pii-destination", "event-name-style", "missing-description",
                                          "missing-trigger"}
    severities = {d["rule"]: d["severity"] for d in recommended.json()["diagnostics"]}
    assert severities["event-name-style"] == "warning"
    strict = cli("lint", str(plan), "--preset", "strict", "--format", "json")
    assert {d["severity"] for d in strict.json()["diagnostics"]} == {"error"}


def test_preset_and_rule_settings_from_the_file(cli: Callable[..., Run], plan: Path) -> None:
    (plan / "tracking-plan.yaml").write_text(PLAN_ROOT + """\
lint:
  preset: minimal
  rules:
    ga4-limits: off
    event-name-style: {severity: info, style: snake_case}
""", encoding="utf-8")
    run = cli("lint", str(plan), "--format", "json")
    diagnostics = run.json()["diagnostics"]
    assert sorted(d["rule"] for d in diagnostics) == ["event-name-style", "pii-destination"]
    style = next(d for d in diagnostics if d["rule"] == "event-name-style")
    assert style["severity"] == "info"
    assert "'Ad Impression' does not follow the plan's snake_case style" in style["message"]


def test_config_errors_point_at_their_line(cli: Callable[..., Run], plan: Path) -> None:
    (plan / "tracking-plan.yaml").write_text(PLAN_ROOT + """\
lint:
  preset: strictest
  rules:
    missing-trigr: off
    missing-trigger: sometimes
    event-name-style: {style: shouting}
destination_settings:
  ga44: {kind: ga4}
  ga4: {event_names: loud_case}
""", encoding="utf-8")
    run = cli("lint", str(plan), "--format", "json")
    config = [d for d in run.json()["diagnostics"] if d["rule"] == "lint-config"]
    assert [(d["line"], d["message"].split(".")[0]) for d in config] == [
        (8, "Unknown lint preset 'strictest'"),
        (10, "There is no lint rule 'missing-trigr'"),
        (11, "Severity of rule 'missing-trigger' must be off, info, warning or error, not 'sometimes'"),
        (12, "Option 'style' of rule 'event-name-style' must be one of title_case, snake_case, camel_case, "
             "pascal_case, kebab_case, sentence_case, any"),
        (14, "destination_settings names 'ga44', which is not a declared destination"),
        (15, "'event_names' of destination 'ga4' must be one of as_is, title_case, sentence_case, snake_case, "
             "camel_case, pascal_case, kebab_case, not 'loud_case'"),
    ]
    assert "Did you mean 'missing-trigger'?" in config[1]["message"]
    assert run.code == 1


def test_lint_ignore_is_counted_not_hidden(cli: Callable[..., Run], plan: Path) -> None:
    events = EVENTS.replace("    owner: core\n    destinations: [amplitude]",
                            "    owner: core\n    lint_ignore: [event-name-style, missing-trigger]\n"
                            "    destinations: [amplitude]", 1)
    (plan / "events" / "a.yaml").write_text(events, encoding="utf-8")
    run = cli("lint", str(plan), "--format", "json")
    assert "event-name-style" not in rules_of(run)
    assert run.json()["summary"]["silenced"] == 2
    text = cli("lint", str(plan))
    assert "2 silenced by lint_ignore" in text.out


def test_baseline(cli: Callable[..., Run], plan: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    written = cli("lint", str(plan), "--write-baseline", str(baseline))
    assert written.code == 0 and baseline.is_file()
    assert "Wrote 5 findings" in written.err
    document = json.loads(baseline.read_text())
    assert {"rule", "file", "message"} == set(document["findings"][0])
    assert all(not f["file"].startswith("/") for f in document["findings"])
    quiet = cli("lint", str(plan), "--baseline", str(baseline), "--format", "json")
    assert quiet.code == 0 and quiet.json()["diagnostics"] == [] and quiet.json()["summary"]["baselined"] == 5
    # Lines move and a new problem appears: only the new one shows.
    events = "# a comment moves every line\n" + EVENTS + "  Cart Viewed: {owner: nobody}\n"
    (plan / "events" / "a.yaml").write_text(events, encoding="utf-8")
    new = cli("lint", str(plan), "--baseline", str(baseline), "--format", "json")
    assert sorted({d["message"].split(" ")[0] for d in new.json()["diagnostics"]}) == ["Event"]
    assert all("Cart Viewed" in d["message"] for d in new.json()["diagnostics"])
    # The same baseline named in the file, relative to the plan directory.
    shutil.copy(baseline, plan / "lint-baseline.json")
    (plan / "tracking-plan.yaml").write_text(PLAN_ROOT + "lint: {baseline: lint-baseline.json}\n", encoding="utf-8")
    assert cli("lint", str(plan), "--format", "json").json()["summary"]["baselined"] == 5


def test_unreadable_baseline_is_a_finding(cli: Callable[..., Run], plan: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("not json")
    run = cli("lint", str(plan), "--baseline", str(tmp_path / "bad.json"), "--format", "json")
    assert "baseline" in rules_of(run) and run.code == 1


def test_fail_on(cli: Callable[..., Run], plan: Path) -> None:
    (plan / "tracking-plan.yaml").write_text(PLAN_ROOT + "lint: {rules: {ga4-limits: off, pii-destination: off}}\n",
                                             encoding="utf-8")
    assert cli("lint", str(plan)).code == 0  # warnings only
    assert cli("lint", str(plan), "--fail-on", "warning").code == 1
    assert cli("lint", str(plan), "--fail-on", "never", "--preset", "strict").code == 0


def test_sarif_validates_against_the_schema(cli: Callable[..., Run], plan: Path) -> None:
    run = cli("lint", str(plan), "--format", "sarif")
    document = json.loads(run.out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    driver = document["runs"][0]["tool"]["driver"]
    assert {r["id"] for r in driver["rules"]} == {r.id for r in all_rules()}
    results = document["runs"][0]["results"]
    assert len(results) == 5
    first = results[0]
    assert driver["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("events/a.yaml")
    assert location["region"]["startLine"] >= 1
    assert all(r["level"] in {"error", "warning", "note"} for r in results)
    assert all(rule["help"]["text"] for rule in driver["rules"])


def test_github_annotations_line_by_line(cli: Callable[..., Run], plan: Path) -> None:
    run = cli("lint", str(plan), "--format", "github")
    lines = run.out.splitlines()
    assert len(lines) == 5
    file = escape_property(str(plan / "events" / "a.yaml"))
    assert lines[0] == (f"::warning file={file},line=2,col=3,title=event-name-style::Event name 'order_completed' "
                        "does not follow the plan's title_case style (like 'Order Completed'); in title_case it is "
                        "'Order Completed'.%0ARename it 'Order Completed'.")
    assert lines[1].startswith(f"::warning file={file},line=2,col=3,title=missing-description::")
    assert lines[2].startswith(f"::warning file={file},line=2,col=3,title=missing-trigger::")
    assert lines[3].startswith(f"::error file={file},line=6,col=7,title=pii-destination::Personal data 'email'")
    assert lines[4].startswith(f"::error file={file},line=7,col=3,title=ga4-limits::Event 'Ad Impression' (sent to")
    assert all("\n" not in line[2:] for line in lines)


def test_github_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


def test_text_output_has_code_frame_hint_and_summary(cli: Callable[..., Run], plan: Path) -> None:
    run = cli("lint", str(plan))
    assert "events/a.yaml" in run.out
    assert "   2 |   order_completed:" in run.out
    assert "hint: Rename it 'Order Completed'." in run.out
    assert "2 errors, 3 warnings, 0 info (2 events, 2 files)." in run.out


def test_rules_command(cli: Callable[..., Run]) -> None:
    listing = cli("rules")
    assert listing.code == 0 and "ga4-limits" in listing.out and "yaml-syntax" in listing.out
    explained = cli("rules", "ga4-limits")
    assert explained.code == 0 and "ad_impression" in explained.out and "support.google.com" in explained.out
    document = cli("rules", "--format", "json").json()
    assert {r["id"] for r in document} == {r.id for r in all_rules()}
    assert set(document[0]) == {"id", "severity", "preset", "scope", "summary", "explanation", "bad", "good",
                                "sources", "options"}
    unknown = cli("rules", "ga4-limit")
    assert unknown.code == 2 and "Did you mean 'ga4-limits'?" in unknown.err


def test_every_rule_documents_itself() -> None:
    for rule in all_rules():
        assert rule.id == rule.id.lower() and " " not in rule.id
        assert rule.summary.endswith(".") and rule.explanation and rule.bad and rule.good
        assert rule.scope in {"plan", "event", "property"}


def test_generated_rule_docs_are_up_to_date() -> None:
    """docs/rules.md and README's table come from the rule modules: run python -m tracking_plan.lint.docs."""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_page(all_rules())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index(README_START) + len(README_START):readme.index(README_END)].strip()
    assert table == rules_table(all_rules())


def test_the_parallel_path_gives_the_same_findings(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    """Large plans parse half their files and run half the rules in a forked worker: forced on for the example plan
    (with a file that does not parse and findings of many rules), the output is the one-process output, byte for
    byte, in every format."""
    from tracking_plan.core import discover
    from tracking_plan.lint import engine

    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    (plan / "events" / "broken.yaml").write_text("events:\n  Broken Event: [\n")
    (plan / "events" / "bad.yaml").write_text("events:\n  bad event:\n    owner: nobody\n    properties:\n"
                                              "      X: {type: strin}\n")
    outputs = {}
    for mode in ("one process", "forked"):
        monkeypatch.setenv("TRACKING_PLAN_JOBS", "1" if mode == "one process" else "2")
        monkeypatch.setattr(discover, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(engine, "PARALLEL_EVENTS", 0)
        outputs[mode] = [cli("lint", str(plan), "--preset", "strict", "--format", fmt) for fmt in
                         ("json", "sarif", "github", "text")]
    assert [(r.code, r.out) for r in outputs["forked"]] == [(r.code, r.out) for r in outputs["one process"]]
    assert outputs["forked"][0].code == 1 and len(outputs["forked"][0].json()["diagnostics"]) >= 5


def test_a_baseline_never_hides_a_structural_error(cli: Callable[..., Run], plan: Path, tmp_path: Path) -> None:
    """An unknown key (a loader finding) written into a baseline by hand was hidden: lint said '✔ No problems'.
    The loader's findings are never written to a baseline, and never taken from one."""
    events = plan / "events" / "a.yaml"
    events.write_text(EVENTS + "  Cart Viewed: {descripton: Typo.}\n", encoding="utf-8")
    first = cli("lint", str(plan), "--format", "json")
    typo = [d for d in first.json()["diagnostics"] if d["rule"] == "unknown-key"]
    assert typo
    baseline = tmp_path / "baseline.json"
    assert cli("lint", str(plan), "--write-baseline", str(baseline)).code in (0, 1)
    assert not any(f["rule"] == "unknown-key" for f in json.loads(baseline.read_text())["findings"])
    document = json.loads(baseline.read_text())
    document["findings"] += [{"rule": d["rule"], "file": "events/a.yaml", "message": d["message"]} for d in typo]
    baseline.write_text(json.dumps(document), encoding="utf-8")
    run = cli("lint", str(plan), "--baseline", str(baseline), "--format", "json")
    assert run.code == 1 and any(d["rule"] == "unknown-key" for d in run.json()["diagnostics"])
