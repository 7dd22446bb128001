"""Generates the synthetic benchmark plan: 5,000 events x 20 properties over 250 files, a 500-property library."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SQUADS = ["discovery", "checkout", "trade-in", "customer-care", "account", "growth", "seller", "logistics"]
PLATFORMS = ["web", "ios", "android", "backend"]
DESTINATIONS = ["amplitude", "ga4", "bigquery"]
OBJECTS = ["Product", "Order", "Cart", "Checkout", "Coupon", "Review", "Ticket", "Refund", "Account", "Offer",
           "Listing", "Seller", "Parcel", "Quote", "Payment", "Banner", "Search", "Filter", "Wishlist", "Survey"]
ACTIONS = ["Viewed", "Clicked", "Added", "Removed", "Started", "Completed", "Failed", "Submitted", "Shared",
           "Opened", "Closed", "Updated", "Deleted", "Requested", "Accepted", "Rejected", "Shown", "Saved",
           "Selected", "Expanded", "Collapsed", "Dismissed", "Confirmed", "Cancelled", "Scheduled"]
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "lambda", "theta", "zeta"]


def library_property(i: int, rng: random.Random) -> str:
    name = f"{WORDS[i % 10]}_{i}_value"
    kind = i % 5
    if kind == 0:
        body = f"type: string, enum: [{', '.join(f'opt_{j}' for j in range(rng.randint(2, 6)))}]"
    elif kind == 1:
        body = "type: number, minimum: 0"
    elif kind == 2:
        body = "type: integer, minimum: 0, maximum: 1000"
    elif kind == 3:
        body = "type: boolean"
    else:
        body = "type: string, maxLength: 100"
    return f"  {name}: {{{body}, description: Library property number {i}, shared by several events.}}\n"


def write_plan(out: Path, events: int = 5000, properties: int = 20, files: int = 250, library: int = 500,
               seed: int = 7) -> Path:
    rng = random.Random(seed)
    (out / "properties").mkdir(parents=True, exist_ok=True)
    squads = "".join(f"  {s}: {{description: Squad {s}, contact: \"#squad-{s}\"}}\n" for s in SQUADS)
    (out / "tracking-plan.yaml").write_text(
        "plan: benchmark\ntitle: Benchmark plan\nversion: 1.0.0\n"
        "conventions: {events: title_case, properties: snake_case}\n"
        f"squads:\n{squads}platforms: [{', '.join(PLATFORMS)}]\ndestinations: [{', '.join(DESTINATIONS)}]\n"
        "pii_destinations: [bigquery]\n", encoding="utf-8")
    lib_names = [f"{WORDS[i % 10]}_{i}_value" for i in range(library)]
    per_lib_file = max(1, library // 10)
    for f in range(0, library, per_lib_file):
        text = "properties:\n" + "".join(library_property(i, rng) for i in range(f, min(library, f + per_lib_file)))
        (out / "properties" / f"library_{f // per_lib_file:02d}.yaml").write_text(text, encoding="utf-8")
    n = 0
    for f in range(files):
        per_file = events // files + (f < events % files)  # exactly `events`: the rest one more in the first files
        squad = SQUADS[f % len(SQUADS)]
        folder = out / "events" / squad
        folder.mkdir(parents=True, exist_ok=True)
        chunks = ["events:\n"]
        for _ in range(per_file):
            name = f"{OBJECTS[n % 20]} {ACTIONS[(n // 20) % 25]} {n // 500}"
            n += 1
            chunks.append(
                f"  {name}:\n"
                f"    description: Fires when the user {ACTIONS[n % 25].lower()} the {OBJECTS[n % 20].lower()}"
                f" in flow {n}.\n"
                f"    trigger: Client, when the screen of flow {n} has rendered.\n"
                f"    owner: {squad}\n"
                f"    platforms: [{', '.join(rng.sample(PLATFORMS, 2))}]\n"
                f"    destinations: [{', '.join(rng.sample(DESTINATIONS, 2))}]\n"
                "    properties:\n")
            chosen = rng.sample(lib_names, properties - 4)
            for j, prop in enumerate(chosen):
                if j % 4 == 0:
                    chunks.append(f"      {prop}: {{required: true}}\n")
                elif j % 4 == 1:
                    chunks.append(f"      {prop}:\n")
                else:
                    chunks.append(f"      {prop}: {{required: {'true' if j % 2 else 'false'}}}\n")
            chunks.append(f"      local_id_{n}: {{type: string, required: true, description: Item {n}.}}\n"
                          f"      local_count: {{type: integer, minimum: 0, description: Items in view {n}.}}\n"
                          f"      renamed_amount: {{ref: {lib_names[1]}, description: Amount under another name.}}\n"
                          "      items:\n"
                          "        type: array\n"
                          "        description: Items shown.\n"
                          "        items:\n"
                          "          type: object\n"
                          "          properties:\n"
                          f"            item_id: {{type: string, required: true, description: Identifier.}}\n"
                          f"            {lib_names[2]}: {{required: true}}\n")
        (folder / f"events_{f:03d}.yaml").write_text("".join(chunks), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    write_plan(args.out, events=args.events)


if __name__ == "__main__":
    main()
