"""`tracking-plan report`: one data model of the plan for governance (ownership, personal data,
documentation health, deprecations, history), rendered as JSON, Markdown or a self-contained HTML
catalog. Every renderer is a function of the same dictionary."""
