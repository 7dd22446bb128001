"""Plan → other tools' tracking-plan formats (`tracking-plan export`)."""
