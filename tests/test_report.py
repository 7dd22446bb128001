"""report: the Markdown golden file, the JSON fields, git history on a real repository, and the HTML
catalog in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from test_diff_git import edit, git

from conftest import EXAMPLE_PLAN, ROOT, Run, tool
from tracking_plan.report.history import plan_history, summarize_events

GOLDEN = ROOT / "tests" / "golden" / "report"


def test_markdown_golden(cli: Callable[..., Run]) -> None:
    run = cli("report", str(EXAMPLE_PLAN), "--format", "markdown", "--no-history")
    assert run.code == 0, run.err
    golden = GOLDEN / "example.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8")


def test_json_fields(cli: Callable[..., Run]) -> None:
    report = cli("report", str(EXAMPLE_PLAN), "--format", "json", "--no-history").json()
    assert set(report) == {"plan", "summary", "squads", "events", "traits", "global_properties", "pii",
                           "pii_destinations", "destinations", "health", "deprecated", "history",
                           "traits_destinations", "global_properties_destinations", "objectives", "implementation",
                           "calls"}
    assert [p["name"] for p in report["calls"]["pages"]] == ["(unnamed)", "Product Page"]
    assert [s["name"] for s in report["calls"]["screens"]] == ["Cart"] and report["calls"]["alias"] is False
    assert [t["path"] for t in report["calls"]["group_traits"]] == ["company_size"]
    assert report["implementation"] is None  # status is not run unless asked (--status, --status-source)
    assert report["traits_destinations"] == ["bigquery"]
    assert set(report["global_properties_destinations"]) == {"amplitude", "ga4", "bigquery"}
    trait_pii = next(row for row in report["pii"] if row["property"] == "email (trait)")
    assert trait_pii["destinations"] == ["bigquery"] and trait_pii["not_allowed"] == []
    assert report["plan"] == {"id": "refurb-market", "title": "Refurbished marketplace", "version": "1.0.0",
                              "description": report["plan"]["description"]}
    assert report["summary"]["events"] == 31 and report["summary"]["by_status"]["deprecated"] == 1
    assert report["summary"]["by_destination"] == {"amplitude": 30, "ga4": 9, "bigquery": 28}
    order = next(e for e in report["events"] if e["name"] == "Order Completed")
    assert order["anchor"] == "event-order-completed" and order["owner"] == "checkout"
    assert {p["path"] for p in order["properties"]} >= {"order_id", "revenue", "products", "products[].price"}
    revenue = next(p for p in order["properties"] if p["path"] == "revenue")
    assert revenue == {"path": "revenue", "type": "number", "required": True, "enum": None,
                       "constraints": {"minimum": 0}, "pii": False,
                       "description": "Amount taxes included, in the order currency.", "ref": "price"}
    email = next(p for p in report["pii"] if p["property"] == "email")
    assert email["events"] == ["Password Reset Requested"] and email["not_allowed"] == []
    assert report["deprecated"] == [{"event": "Trade In Quote Requested", "anchor": "event-trade-in-quote-requested",
                                     "replaced_by": "Buyback Quote Requested",
                                     "replacement_anchor": "event-buyback-quote-requested", "owner": "trade-in"}]
    assert report["health"]["lint"]["total"] == 0 and report["history"] is None
    squads = {s["name"]: s for s in report["squads"]}
    assert len(squads["checkout"]["events"]) == 9
    assert order["metrics"] == ["view_to_order", "gmv", "buyers", "checkout_funnel"]
    assert report["summary"]["objectives"] == 3 and report["summary"]["events_without_metric"] == 0
    trade_in = next(o for o in report["objectives"] if o["name"] == "grow-trade-in")
    conversion = next(m for m in trade_in["metrics"] if m["name"] == "buyback_conversion")
    assert conversion["events"] == [
        {"name": "Buyback Quote Requested", "anchor": "event-buyback-quote-requested", "status": "active",
         "findings": 0},
        {"name": "Buyback Offer Accepted", "anchor": "event-buyback-offer-accepted", "status": "active",
         "findings": 0}]
    assert trade_in["at_risk"] == []


def test_lint_findings_by_rule_and_squad(cli: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "p")
    trigger = "    trigger: Backend, when the cart service deletes the cart line.\n"
    edit(tmp_path / "p" / "events" / "checkout" / "cart.yaml", trigger, "")
    report = cli("report", str(tmp_path / "p"), "--format", "json").json()
    assert report["health"]["missing_trigger"] == ["Product Removed"]
    assert report["health"]["lint"]["by_rule"] == {"missing-trigger": 1}
    assert report["health"]["lint"]["by_squad"] == {"checkout": 1}


def test_history_from_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    plan = repo / "plan"
    (plan / "events").mkdir(parents=True)
    (plan / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n")
    events = plan / "events" / "a.yaml"
    events.write_text("events:\n  A Happened: {description: One.}\n  B Happened: {description: Two.}\n")

    def commit(message: str, date: str, author: str = "Ada") -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.com",
               "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.com",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True, env=env)

    commit("start", "2026-01-10T10:00:00Z")
    (plan / "events" / "b.yaml").write_text("events:\n  C Happened: {}\n")
    (repo / "unrelated.txt").write_text("x")
    commit("add C", "2026-02-03T10:00:00Z", "Grace")
    events.write_text("events:\n  A Happened: {description: One, changed.}\n")
    (plan / "tracking-plan.yaml").write_text("plan: p\nversion: 2.0.0\n")
    commit("change A, drop B", "2026-02-20T10:00:00Z", "Linus")
    (repo / "unrelated.txt").write_text("y")
    commit("not the plan", "2026-03-01T10:00:00Z")
    # Moving an event between files is neither an addition nor a removal.
    (plan / "events" / "b.yaml").write_text("events:\n  C Happened: {}\n  A Happened: {description: One, changed.}\n")
    events.write_text("events: {}\n")
    commit("move A", "2026-04-01T10:00:00Z", "Grace")

    history = plan_history(plan)
    assert history is not None
    assert history.commits == 4 and history.first_date == "2026-01-10" and history.last_date == "2026-04-01"
    assert history.monthly == {"2026-01": {"added": 2, "removed": 0, "events": 2},
                               "2026-02": {"added": 1, "removed": 1, "events": 2},
                               "2026-04": {"added": 0, "removed": 0, "events": 2}}
    assert [v["version"] for v in history.versions] == ["1.0.0", "2.0.0"]
    assert history.last_changed["A Happened"].author == "Linus"
    assert history.last_changed["C Happened"].author == "Grace"
    assert history.last_changed["C Happened"].date == "2026-02-03"
    assert history.blobs_read == 7  # each changed blob once: 2 + 1 + 2 + 0 + 2


def test_no_history_outside_git(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "p")
    assert plan_history(tmp_path / "p") is None


def test_summarize_events_handles_anchors_and_flow_style() -> None:
    text = "x-a: &a {k: 1}\nevents:\n  A: *a\n  B: {description: b}\n  C:\n    properties: [1, 2]\nproperties: {}\n"
    assert sorted(summarize_events(text)) == ["A", "B", "C"]
    assert summarize_events("events: [") == {}


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = tool("chromium")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield instance
        instance.close()


@pytest.mark.toolchain
def test_html_catalog_in_chromium(cli: Callable[..., Run], tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "p")
    edit(tmp_path / "p" / "events" / "account" / "account.yaml", "A customer subscribed to the newsletter.",
         "<script>window.pwned = true</script><img src=x onerror=\\\"window.pwned = true\\\"> subscribed.")
    with (tmp_path / "p" / "metrics" / "objectives.yaml").open("a", encoding="utf-8") as metrics:
        metrics.write("  old_quotes: {type: count, event: Trade In Quote Requested, objective: grow-trade-in}\n")
    html_file = tmp_path / "report.html"
    assert cli("report", str(tmp_path / "p"), "--out", str(html_file)).code == 0
    html = html_file.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_file.as_uri())
    assert page.locator("article.event").count() == 31
    assert page.text_content("#count") == "31 of 31 events"
    # the navigation lists the sections in the page's order, and an objective's heading is its name alone
    nav = page.eval_on_selector_all("nav a", "links => links.map(a => a.getAttribute('href').slice(1))")
    sections = page.eval_on_selector_all("section[id]", "all => all.map(s => s.id)")
    assert nav == [s for s in sections if s in nav]
    assert page.text_content("#objectives article.objective h3") == "grow-trade-in"
    assert page.locator("#chart-squads rect").count() == 5

    page.fill("#search", "buyback")
    visible = page.locator("article.event:visible")
    assert visible.count() == 5
    assert page.text_content("#count") == "5 of 31 events"
    page.fill("#search", "")
    page.select_option("#filter-squad", "account")
    assert page.locator("article.event:visible").count() == 4
    page.select_option("#filter-squad", "")
    page.check("#filter-pii")
    assert [t.strip() for t in page.locator("article.event:visible h3 a").all_text_contents()] == \
        ["Password Reset Requested"]
    page.uncheck("#filter-pii")

    assert page.evaluate("window.pwned === undefined")
    description = page.text_content("#event-newsletter-subscribed .description")
    assert description is not None and "<script>window.pwned = true</script>" in description
    page.goto(html_file.as_uri() + "#event-order-completed")
    assert page.evaluate("document.querySelector(':target').id") == "event-order-completed"

    # Objectives → metrics → events; the objective resting on a deprecated event is flagged.
    assert page.locator("#objectives article.objective").count() == 3
    trade_in = page.text_content("#objectives [data-objective='grow-trade-in']") or ""
    assert "At risk" in trade_in and "Trade In Quote Requested" in trade_in
    assert "At risk" not in (page.text_content("#objectives [data-objective='convert-shoppers']") or "")
    assert "gmv" in (page.text_content("#event-order-completed .metrics") or "")
    page.click("#objectives [data-objective='grow-trade-in'] a[href='#event-buyback-payment-sent']")
    assert page.evaluate("document.querySelector(':target').id") == "event-buyback-payment-sent"
    assert errors == []
    page.close()


def test_fast_event_split_agrees_with_yaml() -> None:
    """History splits block-layout files by lines; it must find the same events as libyaml, and step
    aside (None) whenever the layout is not the plain one."""
    from tracking_plan.report.history import _summarize_block_layout, _summarize_with_yaml

    checked = 0
    for path in sorted(EXAMPLE_PLAN.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = _summarize_block_layout(text)
        if fast is not None:
            assert set(fast) == set(_summarize_with_yaml(text)), path
            checked += 1
    assert checked == 7  # every events file of the example plan takes the fast path
    text = "x: 1\nevents:\n  Ratio 1:2 Applied: {}\n  B:\n    description: |\n      a\n\n      b\nproperties: {}\n"
    assert set(_summarize_block_layout(text) or ()) == set(_summarize_with_yaml(text)) == {"Ratio 1:2 Applied", "B"}
    for other in ("events:\n  'Quoted': {}\n", "events:\n  A #1: {}\n", "events: {A: 1}\n", "events:\n  &a A: 1\n",
                  "events:\n  A: 1\n  A: 2\n", "events:\n    A: 1\n  B: 2\n", "events:\n\tA: 1\n"):
        assert _summarize_block_layout(other) is None, other


def test_markdown_code_spans_are_not_escaped(cli: Callable[..., Run]) -> None:
    """GitHub shows backslashes inside code spans: `first_name` must not become `first\\_name`."""
    import re

    from tracking_plan.output.markdown import code

    markdown = cli("report", str(EXAMPLE_PLAN), "--format", "markdown", "--no-history").out
    spans = re.findall(r"(?<!`)`([^`]+)`(?!`)", markdown)
    assert spans and not [s for s in spans if "\\_" in s or "\\*" in s]
    assert "`first_name`" in markdown
    assert code("a|b") == "`a\\|b`" and code("x`y") == "``x`y``" and code("`x") == "`` `x ``"


def _wait_until(page, expression: str, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Poll a condition in the page. (Playwright's wait_for_function compiles its text with eval, which the
    report's Content-Security-Policy rightly forbids.)"""
    for _ in range(int(seconds * 20)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


@pytest.mark.toolchain
def test_html_catalog_draws_pages_reveals_anchors_and_opens_properties(cli: Callable[..., Run], tmp_path: Path,
                                                                        browser) -> None:  # type: ignore[no-untyped-def]
    """A catalog longer than a page: the page draws 100 events at a time as the reader scrolls, a link to an event
    far down draws up to it and targets it, search reads property names, and properties are laid out (escaped)
    when an event is opened."""
    plan = tmp_path / "big"
    (plan / "events").mkdir(parents=True)
    (plan / "tracking-plan.yaml").write_text("plan: big\nversion: 1.0.0\nsquads: {web: {}}\nplatforms: [web]\n")
    events = ["events:"]
    for n in range(250):
        events += [f"  Event {n:03d} Happened:", "    description: Something happened.", "    owner: web",
                   "    properties:", f"      field_{n:03d}: {{type: string, description: \"<b>bold</b> {n}\"}}",
                   "      amount: {type: number, minimum: 0, description: In cents.}"]
    (plan / "events" / "all.yaml").write_text("\n".join(events) + "\n")
    html_file = tmp_path / "big.html"
    assert cli("report", str(plan), "--out", str(html_file), "--no-history").code == 0
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html_file.as_uri())
    assert page.text_content("#count") == "250 of 250 events"
    assert page.locator("article.event").count() == 100
    page.evaluate("document.getElementById('more').scrollIntoView()")
    _wait_until(page, "document.querySelectorAll('article.event').length >= 200")
    page.goto(html_file.as_uri() + "#event-event-240-happened")
    _wait_until(page, "document.querySelector(':target') !== null")
    assert page.evaluate("document.querySelector(':target').id") == "event-event-240-happened"
    page.fill("#search", "field_137")
    assert page.text_content("#count") == "1 of 250 events"
    page.click("#event-event-137-happened details.props summary")
    rows = page.locator("#event-event-137-happened details.props tr")
    # the table is drawn when the details open: wait for it (a loaded machine draws it after the click returns)
    _wait_until(page, "document.querySelectorAll('#event-event-137-happened details.props tr').length === 3")
    assert rows.count() == 3
    assert "<b>bold</b> 137" in (rows.nth(1).text_content() or "")
    assert "minimum: 0" in (rows.nth(2).text_content() or "")
    page.fill("#search", "")
    page.evaluate("location.hash = '#event-event-249-happened'")
    _wait_until(page, "document.querySelector(':target') !== null && "
                           "document.querySelector(':target').id === 'event-event-249-happened'")
    assert errors == []
    page.close()


def test_pages_screens_and_group_traits_have_their_section(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The call model in every format: JSON's `calls`, a Markdown section, tables in the HTML's traits section;
    a personal group trait is listed with personal data."""
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "tracking-plan.yaml").write_text(
        "plan: p\nversion: 1.0.0\ndestinations: [bigquery]\nalias: true\n"
        "pages:\n  Home: {description: The home page., properties: {section: {type: string}}}\n"
        "screens:\n  Cart: {description: The cart.}\n"
        "group:\n  company_email: {type: string, pii: true}\n", encoding="utf-8")
    report = cli("report", str(plan), "--format", "json", "--no-history").json()
    assert [p["name"] for p in report["calls"]["pages"]] == ["Home"] and report["calls"]["alias"] is True
    assert report["calls"]["pages"][0]["properties"][0]["path"] == "section"
    assert [row["property"] for row in report["pii"]] == ["company_email (group trait)"]
    markdown = cli("report", str(plan), "--format", "markdown", "--no-history").out
    assert "## Pages, screens, group and alias" in markdown and "### Screen `Cart`" in markdown
    assert "alias() calls are planned." in markdown
    html = cli("report", str(plan), "--format", "html", "--no-history").out
    assert "<h3>Page Home</h3>" in html and "<h3>Group traits</h3>" in html
