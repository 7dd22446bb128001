"""pull and push against Segment's Public API, served locally (tests/segment_api.py): round trips, --dry-run,
--prune, a failure midway then a second run, 429 and 5xx, pagination, a 564-event plan within the rate limit, and
the token never in any output."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from segment_api import PLAN_ID, TOKEN, State, segment_api

from conftest import EXAMPLE_PLAN, ROOT, Run


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, State]]:
    monkeypatch.setenv("SEGMENT_TOKEN", TOKEN)
    monkeypatch.setenv("SEGMENT_TRACKING_PLAN_ID", PLAN_ID)
    with segment_api() as served:
        yield served


def _push(cli: Callable[..., Run], url: str, plan: Path, *options: str) -> Run:
    run = cli("push", "segment", str(plan), "--base-url", url, *options)
    assert TOKEN not in run.out + run.err
    return run


def test_push_to_an_empty_plan_then_pull_gives_the_plan_back(cli: Callable[..., Run], api: tuple[str, State],
                                                             tmp_path: Path) -> None:
    url, state = api
    dry = _push(cli, url, EXAMPLE_PLAN, "--dry-run", "--format", "json")
    assert dry.code == 0, dry.err
    planned = dry.json()["push"]
    assert planned["planned"]["add"] > 0 and not state.rules
    assert state.count("PATCH") == 0 and state.count("DELETE") == 0  # --dry-run writes nothing
    assert any(c["kind"] == "event-added" for c in dry.json()["changes"])
    run = _push(cli, url, EXAMPLE_PLAN)
    assert run.code == 0, run.err
    assert f"added {planned['planned']['add']}, updated 0, removed 0" in run.out
    pulled = cli("pull", "segment", "--out", str(tmp_path / "pulled"), "--base-url", url)
    assert pulled.code == 0, pulled.err
    diff = cli("diff", str(EXAMPLE_PLAN), str(tmp_path / "pulled"), "--format", "json")
    assert diff.json()["changes"] == []
    again = _push(cli, url, EXAMPLE_PLAN, "--format", "json")
    assert again.json()["push"]["planned"] == {"add": 0, "update": 0, "remove": 0, "keep": 0}
    assert again.json()["changes"] == []


def test_prune_is_off_by_default(cli: Callable[..., Run], api: tuple[str, State], tmp_path: Path) -> None:
    url, state = api
    assert _push(cli, url, EXAMPLE_PLAN).code == 0
    state.rules[("TRACK", "Legacy Event")] = {"type": "TRACK", "key": "Legacy Event", "version": 1,
                                              "jsonSchema": {"type": "object"}}
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    run = _push(cli, url, plan)
    assert run.code == 0 and ("TRACK", "Legacy Event") in state.rules
    assert "1 remote item the plan does not have kept" in run.out
    dry = _push(cli, url, plan, "--dry-run", "--prune")
    assert "remove 1" in dry.out and ("TRACK", "Legacy Event") in state.rules
    assert "Legacy Event" in dry.out  # the diff from Segment's copy: the event the plan does not have
    pruned = _push(cli, url, plan, "--prune")
    assert pruned.code == 0 and "removed 1" in pruned.out and ("TRACK", "Legacy Event") not in state.rules


def test_a_failure_midway_says_what_was_applied_and_a_second_run_completes_it(
        cli: Callable[..., Run], api: tuple[str, State], tmp_path: Path) -> None:
    """A 564-event plan: three batches of rules. The second PATCH keeps failing (500, every retry): the first
    batch is in, the rest is not, push says so and exits 1; run again, it sends only what is missing."""
    url, state = api
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_plan

    plan = write_plan(tmp_path / "plan", events=564, files=188)
    state.fail_from["PATCH"] = (2, 500)  # from the second PATCH on
    failed = _push(cli, url, plan)
    assert failed.code == 1
    assert "before failing: added 200" in failed.out and "Run push again to complete it" in failed.out
    assert len(state.rules) == 200
    del state.fail_from["PATCH"]
    patches = state.count("PATCH")
    done = _push(cli, url, plan, "--format", "json")
    assert done.code == 0, done.err
    applied = done.json()["push"]["applied"]
    assert applied["add"] == len(state.rules) - 200 and applied["update"] == 0
    assert state.count("PATCH") - patches == 2  # the two batches left, nothing sent twice
    assert state.limited == 0  # within the API's rate limit throughout
    before = len(state.log)
    assert _push(cli, url, plan, "--dry-run").code == 0
    rules_pages = [p for m, p, _ in state.log[before:] if m == "GET" and p.endswith("/rules")]
    assert len(rules_pages) == 3  # 564 rules: pagination beyond one page, each page read once


def test_429_and_5xx_are_retried(cli: Callable[..., Run], api: tuple[str, State]) -> None:
    url, state = api
    state.failures["GET"] = [(429, "0"), (503, "0"), (502, None)]
    run = _push(cli, url, EXAMPLE_PLAN, "--dry-run", "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["push"]["planned"]["add"] > 0


def test_credentials_are_never_printed(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                       api: tuple[str, State], tmp_path: Path) -> None:
    url, _ = api
    wrong = "sgp_wrong_" + TOKEN[::-1]
    monkeypatch.setenv("SEGMENT_TOKEN", wrong)
    for run in (cli("push", "segment", str(EXAMPLE_PLAN), "--base-url", url),
                cli("pull", "segment", "--out", str(tmp_path / "p"), "--base-url", url),
                cli("push", "segment", str(EXAMPLE_PLAN), "--base-url", url + "/nowhere", "--dry-run")):
        assert run.code == 2 and "Traceback" not in run.err
        assert wrong not in run.out + run.err and TOKEN not in run.out + run.err
    assert "refused the credentials (401)" in cli("push", "segment", str(EXAMPLE_PLAN), "--base-url", url).err
    monkeypatch.delenv("SEGMENT_TOKEN")
    missing = cli("push", "segment", str(EXAMPLE_PLAN), "--base-url", url)
    assert missing.code == 2 and "SEGMENT_TOKEN is not set" in missing.err
    assert not (tmp_path / "p").exists()


def test_sent_rules_are_what_segment_takes(cli: Callable[..., Run], api: tuple[str, State]) -> None:
    """Every PATCH holds at most 200 rules, each with the input fields of Segment's RuleInputV1 only."""
    url, state = api
    assert _push(cli, url, EXAMPLE_PLAN).code == 0
    for method, _, raw in state.log:
        if method == "PATCH":
            rules = json.loads(raw)["rules"]
            assert 1 <= len(rules) <= 200
            assert all(set(r) <= {"type", "key", "version", "jsonSchema"} for r in rules)
    assert _segment_rules_load(state)


def _segment_rules_load(state: State) -> bool:
    from tracking_plan.importers.segment import read_document

    plan = read_document({"rules": list(state.rules.values())}, "served")
    return bool(plan.events)


# -- Amplitude ---------------------------------------------------------------------------------------------------

@pytest.fixture
def amplitude(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    from amplitude_api import API_KEY, SECRET_KEY, amplitude_api

    monkeypatch.setenv("AMPLITUDE_API_KEY", API_KEY)
    monkeypatch.setenv("AMPLITUDE_SECRET_KEY", SECRET_KEY)
    with amplitude_api() as served:
        yield served


def _amplitude_push(cli: Callable[..., Run], url: str, plan: Path, *options: str) -> Run:
    from amplitude_api import API_KEY, SECRET_KEY

    run = cli("push", "amplitude", str(plan), "--base-url", url, *options)
    assert API_KEY not in run.out + run.err and SECRET_KEY not in run.out + run.err
    return run


def test_amplitude_push_pull_round_trip(cli: Callable[..., Run], amplitude: tuple[str, Any],
                                        tmp_path: Path) -> None:
    """The example plan pushed to Amplitude's taxonomy: what Amplitude cannot hold is listed first (bounds,
    formats, variants, pages...), the rest is created; pulling it back and pushing again changes nothing; the
    traits are user properties."""
    url, state = amplitude
    dry = _amplitude_push(cli, url, EXAMPLE_PLAN, "--dry-run", "--format", "json")
    assert dry.code == 0, dry.err
    losses = dry.json()["push"]["not_representable"]
    assert any("variants" in loss for loss in losses) and any("pages" in loss for loss in losses)
    assert state.count("POST") == 0 and state.count("PUT") == 0
    run = _amplitude_push(cli, url, EXAMPLE_PLAN)
    assert run.code == 0, run.err
    assert "Amplitude cannot hold (not published" in run.out
    assert set(state.events) == set(load_example().events) and state.users
    again = _amplitude_push(cli, url, EXAMPLE_PLAN, "--format", "json")
    assert again.json()["push"]["planned"] == {"add": 0, "update": 0, "remove": 0, "keep": 0}
    assert again.json()["changes"] == []
    pulled = cli("pull", "amplitude", "--out", str(tmp_path / "pulled"), "--base-url", url)
    assert pulled.code == 0, pulled.err
    back = load_plan_dir(tmp_path / "pulled")
    order = {p.name: p for p in back.events["Order Completed"].properties}
    assert order["currency"].enum and order["order_id"].required


def test_amplitude_prune_update_and_retry(cli: Callable[..., Run], amplitude: tuple[str, Any],
                                          tmp_path: Path) -> None:
    url, state = amplitude
    plan = tmp_path / "plan"
    (plan / "events").mkdir(parents=True)
    (plan / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n", encoding="utf-8")
    events = plan / "events" / "e.yaml"
    events.write_text("events:\n  Song Played:\n    description: A song was played.\n    properties:\n"
                      "      genre: {type: string, enum: [rock, jazz], required: true}\n", encoding="utf-8")
    state.failures = [(429, "0"), (503, "0")]
    assert _amplitude_push(cli, url, plan).code == 0
    state.events["Legacy"] = {"category": "", "description": ""}
    events.write_text(events.read_text().replace("A song was played.", "A song started."), encoding="utf-8")
    run = _amplitude_push(cli, url, plan, "--format", "json")
    assert run.json()["push"]["applied"] == {"add": 0, "update": 1, "remove": 0, "keep": 0}
    assert "Legacy" in state.events and state.events["Song Played"]["description"] == "A song started."
    pruned = _amplitude_push(cli, url, plan, "--prune")
    assert pruned.code == 0 and "Legacy" not in state.events
    wrong = cli("push", "amplitude", str(plan), "--base-url", url + "/x")
    assert wrong.code == 2


def load_example() -> Any:
    from tracking_plan.core.discover import load_plan

    return load_plan(str(EXAMPLE_PLAN)).plan


def load_plan_dir(path: Path) -> Any:
    from tracking_plan.core.discover import load_plan

    loaded = load_plan(str(path))
    assert loaded.ok, loaded.diagnostics
    return loaded.plan


# -- Mixpanel ----------------------------------------------------------------------------------------------------

def test_mixpanel_push_pull_round_trip_prune_and_retry(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """The example plan as Lexicon schemas: pages and screens listed as not publishable, every event and the
    user profile schema written in one batch; pushed again, nothing; pulled, the same events; a schema Lexicon has
    and the plan does not is kept unless --prune; 429 and 503 are retried; the secret is never printed."""
    from mixpanel_api import PROJECT, SECRET, USERNAME, mixpanel_api

    monkeypatch.setenv("MIXPANEL_SERVICE_ACCOUNT", USERNAME)
    monkeypatch.setenv("MIXPANEL_SERVICE_SECRET", SECRET)
    monkeypatch.setenv("MIXPANEL_PROJECT_ID", PROJECT)
    with mixpanel_api() as (url, state):
        base = url + "/api/app"
        state.failures = [(429, "0"), (503, "0")]
        run = cli("push", "mixpanel", str(EXAMPLE_PLAN), "--base-url", base)
        assert run.code == 0, run.err
        assert "Mixpanel cannot hold" in run.out and "pages" in run.out and "its enum" in run.out
        assert ("profile", "$user") in state.schemas and state.count("POST") == 1
        assert state.document.refused == []  # every request as Lexicon's OpenAPI document describes it
        owned = [s for s in state.schemas.values() if s.get("metadata", {}).get("com.mixpanel", {}).get("owners")]
        assert owned and all(len(s["metadata"]["com.mixpanel"]["owners"]) == 1 for s in owned)
        state.later()
        again = cli("push", "mixpanel", str(EXAMPLE_PLAN), "--base-url", base, "--format", "json")
        assert again.json()["push"]["planned"] == {"add": 0, "update": 0, "remove": 0, "keep": 0}
        assert again.json()["changes"] == []
        state.later()
        pulled = cli("pull", "mixpanel", "--out", str(tmp_path / "pulled"), "--base-url", base)
        assert pulled.code == 0, pulled.err
        assert set(load_plan_dir(tmp_path / "pulled").events) == set(load_example().events)
        state.later()
        state.schemas[("event", "Legacy")] = {"description": "old"}
        kept = cli("push", "mixpanel", str(EXAMPLE_PLAN), "--base-url", base)
        assert ("event", "Legacy") in state.schemas and "kept" in kept.out
        state.later()
        pruned = cli("push", "mixpanel", str(EXAMPLE_PLAN), "--base-url", base, "--prune")
        assert pruned.code == 0 and ("event", "Legacy") not in state.schemas
        for output in (run, again, pulled, kept, pruned):
            assert SECRET not in output.out + output.err
        assert state.document.refused == [] and state.limits.limited == 0


def test_posthog_push_pull_prune_outage_and_pages(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    """The example plan as PostHog's event definitions and schema property groups: what PostHog cannot hold listed,
    every request as PostHog's API schema describes it; 250 of PostHog's own events (three pages) neither pulled
    nor removed; an event PostHog saw and the plan lacks kept unless --prune; an outage midway, then a run that
    completes it; pushed again, nothing; pulled, the plan as PostHog holds it; the key never printed."""
    from posthog_api import KEY, PROJECT, posthog_api

    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", KEY)
    monkeypatch.setenv("POSTHOG_PROJECT_ID", PROJECT)
    with posthog_api() as (url, state):
        for i in range(250):
            state.seen(f"$autocaptured_{i}")
        state.seen("Legacy Event")
        state.failures = [(429, "0"), (503, "0")]
        state.outage = [40, 6]  # the 41st to 46th requests fail: every attempt of one request
        cut = cli("push", "posthog", str(EXAMPLE_PLAN), "--base-url", url)
        assert cut.code == 1 and "before failing" in cut.out and "Run push again" in cut.out, cut.out + cut.err
        assert "PostHog cannot hold" in cut.err  # said before the first write, and so even when push fails
        done = cli("push", "posthog", str(EXAMPLE_PLAN), "--base-url", url)
        assert done.code == 0, done.out + done.err
        assert "PostHog cannot hold" in done.out and "traits" in done.out and "its enum" in done.out
        assert "kept" in done.out and state.named("Legacy Event") is not None
        example = load_example()
        assert all(state.named(name) is not None for name in example.events)
        group = state.group_of("Order Completed")
        assert group is not None and {p["name"] for p in group["properties"]} >= {"order_id"}
        again = cli("push", "posthog", str(EXAMPLE_PLAN), "--base-url", url, "--format", "json")
        assert again.json()["push"]["planned"] == {"add": 0, "update": 0, "remove": 0, "keep": 1}
        assert [c["kind"] for c in again.json()["changes"]] == ["event-removed"]  # only Legacy Event differs
        pulled = cli("pull", "posthog", "--out", str(tmp_path / "pulled"), "--base-url", url)
        assert pulled.code == 0, pulled.err
        assert set(load_plan_dir(tmp_path / "pulled").events) == set(example.events) | {"Legacy Event"}
        pruned = cli("push", "posthog", str(EXAMPLE_PLAN), "--base-url", url, "--prune")
        assert pruned.code == 0 and "removed 1" in pruned.out
        assert state.named("Legacy Event") is None and state.named("$autocaptured_7") is not None
        for output in (cut, done, again, pulled, pruned):
            assert KEY not in output.out + output.err
        assert state.document.refused == []


def test_mixpanel_batches_stay_within_lexicon_limits(tmp_path: Path) -> None:
    """Lexicon takes 5 requests a minute and under 4,000 events and properties a minute: a 564-event plan goes in
    batches of at most 800 events and properties (5 a minute: under 4,000), in order, nothing left out."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_plan

    from tracking_plan.sync.mixpanel import ENTITIES, _batches, schemas_of
    from tracking_plan.sync.vendor import Change

    plan = load_plan_dir(write_plan(tmp_path / "plan", events=564, files=188))
    schemas, _ = schemas_of(plan)
    changes = [Change("add", name, {"entityType": kind, "name": name, "schemaJson": schema})
               for (kind, name), schema in schemas.items()]
    batches = _batches(changes)
    assert [c for batch in batches for c in batch] == changes and len(batches) > 1
    for batch in batches:
        assert sum(1 + len(c.payload["schemaJson"]["properties"]) for c in batch) <= ENTITIES


def test_rudderstack_push_pull_categories_prune_outage_and_pages(cli: Callable[..., Run],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """The example plan as a RudderStack tracking plan's events (track, identify, group, pages, screens), a
    category:NAME tag as a Data Catalog category; 20 events RudderStack has and the plan lacks (two pages of events)
    kept unless --prune; 429 and 503 retried; an outage midway, then a run that completes it; pulled, the plan as
    RudderStack holds it; the token never printed; every request as the reference describes it."""
    from rudderstack_api import PLAN_ID, TOKEN, rudderstack_api

    monkeypatch.setenv("RUDDERSTACK_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("RUDDERSTACK_TRACKING_PLAN_ID", PLAN_ID)
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    search = plan / "events" / "discovery" / "search.yaml"
    search.write_text(search.read_text().replace("tags: [funnel, search]", "tags: [category:Discovery]"))
    with rudderstack_api() as (url, state):
        base = url + "/v2"
        for i in range(20):
            state.events[f"ev_legacy{i}"] = {"id": f"ev_legacy{i}", "name": f"Legacy {i}", "description": "",
                                             "eventType": "track", "categoryId": None,
                                             "identitySection": "properties", "rules": {"type": "object"}}
        state.failures = [(429, "0"), (503, "0")]
        state.outage = [45, 6]
        cut = cli("push", "rudderstack", str(plan), "--base-url", base)
        assert cut.code == 1 and "before failing" in cut.out and "Run push again" in cut.out, cut.out + cut.err
        done = cli("push", "rudderstack", str(plan), "--base-url", base)
        assert done.code == 0, done.out + done.err
        assert "RudderStack cannot hold" in done.out and "squad" in done.out and "kept" in done.out
        keyed = state.keyed()
        example = load_example()
        assert all(("track", name) in keyed for name in example.events)
        assert ("identify", "") in keyed and ("group", "") in keyed and ("page", "") in keyed
        category = keyed[("track", "Products Searched")]["categoryId"]
        assert category is not None and state.categories[category]["name"] == "Discovery"
        required = keyed[("track", "Products Searched")]["rules"]["properties"]["properties"]["required"]
        assert "search_query" in required
        pulled = cli("pull", "rudderstack", "--out", str(tmp_path / "pulled"), "--base-url", base)
        assert pulled.code == 0, pulled.err
        back = load_plan_dir(tmp_path / "pulled")
        assert set(back.events) == set(example.events) | {f"Legacy {i}" for i in range(20)}
        assert "category:Discovery" in back.events["Products Searched"].tags
        assert set(back.pages) == set(example.pages) and {t.name for t in back.traits} == \
            {t.name for t in example.traits}
        dry = cli("push", "rudderstack", str(plan), "--base-url", base, "--prune", "--dry-run", "--format", "json")
        assert dry.json()["push"]["planned"] == {"add": 0, "update": 0, "remove": 20, "keep": 0}
        assert {c["kind"] for c in dry.json()["changes"]} == {"event-removed"}
        pruned = cli("push", "rudderstack", str(plan), "--base-url", base, "--prune")
        assert pruned.code == 0 and "removed 20" in pruned.out and len(state.events) == len(keyed) - 20
        for output in (cut, done, pulled, dry, pruned):
            assert TOKEN not in output.out + output.err
        assert state.refused == []


class VirtualClock:
    """The client's and the local API's time, advanced only by the client's waits: an hour of pushing in seconds,
    judged by the vendor's limits all the same."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def _vendor_api(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str, Callable[[Any], int]]:
    """The vendor's local API, its base path, and how many of its requests were refused for a limit."""
    if name == "amplitude":
        from amplitude_api import API_KEY, SECRET_KEY, amplitude_api

        monkeypatch.setenv("AMPLITUDE_API_KEY", API_KEY)
        monkeypatch.setenv("AMPLITUDE_SECRET_KEY", SECRET_KEY)
        return amplitude_api(), "", lambda state: int(state.limits.limited)
    if name == "mixpanel":
        from mixpanel_api import PROJECT, SECRET, USERNAME, mixpanel_api

        monkeypatch.setenv("MIXPANEL_SERVICE_ACCOUNT", USERNAME)
        monkeypatch.setenv("MIXPANEL_SERVICE_SECRET", SECRET)
        monkeypatch.setenv("MIXPANEL_PROJECT_ID", PROJECT)
        return mixpanel_api(), "/api/app", lambda state: int(state.limits.limited + state.entities.limited)
    if name == "posthog":
        from posthog_api import KEY, PROJECT, posthog_api

        monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", KEY)
        monkeypatch.setenv("POSTHOG_PROJECT_ID", PROJECT)
        return posthog_api(), "", lambda state: int(state.limits.limited)
    from rudderstack_api import PLAN_ID, TOKEN, rudderstack_api

    monkeypatch.setenv("RUDDERSTACK_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("RUDDERSTACK_TRACKING_PLAN_ID", PLAN_ID)
    return rudderstack_api(), "/v2", lambda state: 0  # RudderStack documents no rate for this API


@pytest.mark.parametrize("name", ["amplitude", "mixpanel", "posthog", "rudderstack"])
def test_a_564_event_plan_is_pushed_within_the_documented_limits(name: str, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """A plan of 564 events pushed to each vendor's local API, which enforces the vendor's documented limits on a
    clock the client shares (Amplitude: 7,200 an hour, a write costing 2; Lexicon: 5 requests and under 4,000 events
    and properties a minute; PostHog: 480 a minute, 4,800 an hour): not one request refused for a limit, every
    event published; pushed again, nothing to do. (Segment's, in real time: the midway-failure test.)"""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_plan

    from tracking_plan.sync.run import push, vendor

    plan_dir = write_plan(tmp_path / "plan", events=564, files=188)
    plan = load_plan_dir(plan_dir)
    assert len(plan.events) == 564
    served, path, limited = _vendor_api(name, monkeypatch)
    clock = VirtualClock()
    with served as (url, state):
        for limits in (getattr(state, "limits", None), getattr(state, "entities", None)):
            if limits is not None:
                limits.clock = clock
        for attempt in ("first", "again"):
            remote = vendor(name, "us", url + path, None)
            remote.client.clock, remote.client.sleep = clock, clock.sleep
            result = push(remote, plan, str(plan_dir), prune=False, dry_run=False)
            assert result.failure is None, result.failure
            if attempt == "first":
                assert result.counts(result.applied)["add"] >= 564
                took = clock.now - 1000.0
            else:
                assert result.counts()["add"] == result.counts()["update"] == 0
            clock.sleep(3600.0)  # the next run an hour later: each run knows only its own requests
        assert limited(state) == 0, f"{limited(state)} requests refused for a limit ({took:.0f} s of virtual time)"


def test_an_answer_that_is_not_json_is_said_plainly(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """A proxy's or a login page's HTML where the API should be (a wrong --base-url): a usage error that says so,
    no traceback, nothing written, the token not printed."""
    from fake_api import JsonHandler, serve

    class Html(JsonHandler):
        def handle_method(self, method: str) -> None:
            page = b"<html><body>Sign in to continue</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    monkeypatch.setenv("SEGMENT_TOKEN", TOKEN)
    monkeypatch.setenv("SEGMENT_TRACKING_PLAN_ID", PLAN_ID)
    with serve(Html, None) as (url, _):
        for run in (cli("pull", "segment", "--out", str(tmp_path / "p"), "--base-url", url),
                    cli("push", "segment", str(EXAMPLE_PLAN), "--base-url", url, "--dry-run")):
            assert run.code == 2 and "Traceback" not in run.err, run.err
            assert "not JSON" in run.err and "Sign in" in run.err and TOKEN not in run.out + run.err
    assert not (tmp_path / "p").exists()


_API_KEYS = ("data", "rules", "pagination", "next", "trackingPlan", "results", "status", "schemaJson", "entityType",
             "name", "properties", "type", "id", "eventType", "total", "description", "event_type", "tags",
             "property_group", "property_group_id", "event_definition", "is_required", "property_type", "categoryId",
             "count", "jsonSchema", "key", "required", "items", "enum", "metadata", "com.mixpanel", "owners",
             "identitySection", "success", "event_property", "user_property", "rules")
_ENV = {"segment": {"SEGMENT_TOKEN": "t", "SEGMENT_TRACKING_PLAN_ID": "tp_1"},
        "amplitude": {"AMPLITUDE_API_KEY": "k", "AMPLITUDE_SECRET_KEY": "s"},
        "mixpanel": {"MIXPANEL_SERVICE_ACCOUNT": "a", "MIXPANEL_SERVICE_SECRET": "s", "MIXPANEL_PROJECT_ID": "1"},
        "posthog": {"POSTHOG_PERSONAL_API_KEY": "k", "POSTHOG_PROJECT_ID": "1"},
        "rudderstack": {"RUDDERSTACK_ACCESS_TOKEN": "t", "RUDDERSTACK_TRACKING_PLAN_ID": "tp_1"}}


@pytest.mark.parametrize("name", sorted(_ENV))
def test_any_answer_from_a_vendor_is_read_or_refused_never_a_crash(name: str, monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    """Whatever JSON a vendor's API (or a proxy before it) answers, to every request: pull writes a plan or says why
    it cannot, push --dry-run shows a difference or says why; never an exception of another kind, never a loop
    without end (a listing that keeps announcing pages of nothing new is refused)."""
    from fake_api import JsonHandler, serve
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from tracking_plan.core.diagnostics import UsageError
    from tracking_plan.importers.write import write_plan as write_imported
    from tracking_plan.sync.run import pull, push, vendor

    class Answer(JsonHandler):
        state: dict[str, Any]

        def handle_method(self, method: str) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_json(200, self.state["answer"])

    for key, value in _ENV[name].items():
        monkeypatch.setenv(key, value)
    plan = load_example()
    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6)
    answers = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(_API_KEYS) | st.text(max_size=3), inner, max_size=4), max_leaves=14)
    with serve(Answer, {"answer": None}) as (url, state):

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @given(answers)
        @example({"data": {"rules": [{"key": "A"}], "pagination": {"next": "same"}}})  # Segment's cursor
        @example({"results": [{"id": "1", "name": "A"}], "next": "http://x/?offset=1"})  # PostHog's next
        @example({"data": [{"id": "1", "name": "A"}], "total": 10**9})  # RudderStack's total
        def judged(answer: Any) -> None:
            state["answer"] = answer
            for attempt in ("pull", "push"):
                remote = vendor(name, "us", url, None)
                remote.client.sleep = lambda seconds: None
                try:
                    if attempt == "pull":
                        out = tmp_path / "pulled"
                        shutil.rmtree(out, ignore_errors=True)
                        write_imported(pull(remote), out)
                    else:
                        push(remote, plan, str(EXAMPLE_PLAN), prune=False, dry_run=True)
                except UsageError:
                    pass

        judged()
