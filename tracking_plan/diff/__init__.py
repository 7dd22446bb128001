"""diff: neutral changes between two plans (changes), their verdicts (compat), both sides from git (git),
the command's driver (compare) and its renderers (render/)."""
