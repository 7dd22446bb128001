"""The `lint:` section of tracking-plan.yaml: preset, per-rule severity and options, baseline.

    lint:
      preset: recommended            # minimal | recommended | strict
      baseline: lint-baseline.json   # findings listed there are not shown
      rules:
        missing-trigger: off         # off | info | warning | error
        event-name-style: {severity: error, style: title_case}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic, Location, Severity
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import did_you_mean
from tracking_plan.core.yamlsource import YMap, at
from tracking_plan.lint.rule import PRESETS, Rule

LEVELS = ("off", "info", "warning", "error")
_KEYS = ("preset", "baseline", "rules")


@dataclass(frozen=True)
class RuleSetting:
    severity: Severity | None
    """None: the rule is off."""
    options: Mapping[str, Any]


@dataclass
class LintConfig:
    preset: str = "recommended"
    baseline: str | None = None
    settings: dict[str, RuleSetting] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_config(plan: Plan, rules: Sequence[Rule], preset: str | None = None) -> LintConfig:
    """Resolve every rule's severity and options; problems become `lint-config` diagnostics."""
    config = LintConfig()
    raw = plan.settings.get("lint")
    file = plan.location.file
    rules_raw: YMap | None = None
    if isinstance(raw, YMap):
        for key, value in raw.items():
            if key not in _KEYS:
                config.diagnostics.append(_error(f"The lint section has no key '{key}'.{did_you_mean(key, _KEYS)}",
                                                 at(file, raw.key_pos[key]), "Allowed keys: preset, baseline, rules."))
            elif key == "preset":
                if value in PRESETS:
                    config.preset = value
                else:
                    config.diagnostics.append(_error(
                        f"Unknown lint preset '{value}'.{did_you_mean(str(value), PRESETS)}",
                        at(file, raw.value_pos[key]), "Use minimal, recommended or strict."))
            elif key == "baseline":
                if isinstance(value, str):
                    config.baseline = value
                else:
                    config.diagnostics.append(_error("lint.baseline must be a file name.",
                                                     at(file, raw.value_pos[key]), None))
            elif isinstance(value, YMap):
                rules_raw = value
            elif value is not None:
                config.diagnostics.append(_error("lint.rules must map rule ids to settings.",
                                                 at(file, raw.value_pos[key]), "rules: {missing-trigger: off}"))
    if preset is not None:
        config.preset = preset
    by_id = {rule.id: rule for rule in rules if rule.configurable}
    for rule in by_id.values():
        on = rule.enabled_in(config.preset)
        severity = rule.severity
        if config.preset == "strict" and severity is Severity.WARNING:
            severity = Severity.ERROR
        config.settings[rule.id] = RuleSetting(severity if on else None,
                                               {name: opt.default for name, opt in rule.options.items()})
    if rules_raw is not None:
        for rule_id, value in rules_raw.items():
            configured = by_id.get(rule_id)
            if configured is None:
                config.diagnostics.append(_error(
                    f"There is no lint rule '{rule_id}'.{did_you_mean(rule_id, by_id)}",
                    at(file, rules_raw.key_pos[rule_id]), "'tracking-plan rules' lists them."))
                continue
            setting = _rule_setting(configured, value, rules_raw, rule_id, file, config.diagnostics)
            if setting is not None:
                config.settings[rule_id] = setting
    return config


def _rule_setting(rule: Rule, value: Any, parent: YMap, rule_id: str, file: str,
                  diagnostics: list[Diagnostic]) -> RuleSetting | None:
    options = {name: opt.default for name, opt in rule.options.items()}
    level: Any = value
    if isinstance(value, YMap):
        level = value.get("severity", rule.severity.value)
        for key, option_value in value.items():
            if key == "severity":
                continue
            option = rule.options.get(key)
            if option is None:
                known = ", ".join(rule.options) or "none"
                diagnostics.append(_error(f"Rule '{rule_id}' has no option '{key}'.{did_you_mean(key, rule.options)}",
                                          at(file, value.key_pos[key]), f"Its options: severity, {known}."))
            elif option.choices and option_value not in option.choices:
                shown = [str(choice) for choice in option.choices if choice is not None]
                diagnostics.append(_error(
                    f"Option '{key}' of rule '{rule_id}' must be one of {', '.join(shown)}."
                    f"{did_you_mean(str(option_value), shown)}",
                    at(file, value.value_pos[key]), None))
            elif type(option_value) is not type(option.default) and option.default is not None \
                    and not (isinstance(option.default, list) and isinstance(option_value, list)):
                diagnostics.append(_error(f"Option '{key}' of rule '{rule_id}' has the wrong kind of value.",
                                          at(file, value.value_pos[key]), f"Default: {option.default!r}."))
            else:
                options[key] = option_value
    if level is False:  # YAML reads a bare `off` as false
        level = "off"
    if level not in LEVELS:
        diagnostics.append(_error(f"Severity of rule '{rule_id}' must be off, info, warning or error, not '{level}'.",
                                  at(file, parent.value_pos[rule_id]), None))
        return None
    return RuleSetting(None if level == "off" else Severity(level), options)


def _error(message: str, location: Location, hint: str | None) -> Diagnostic:
    return Diagnostic("lint-config", Severity.ERROR, message, location, hint)
