"""Names and sentences for generated data; every choice goes through the caller's Random."""

from __future__ import annotations

import random

MEMBER_NAMES = [
    ("alice", "Alice Andersen"),
    ("bob", "Bob Brennan"),
    ("carol", "Carol Chen"),
    ("dave", "Dave Dubois"),
    ("erin", "Erin Eriksen"),
    ("frank", "Frank Fischer"),
    ("grace", "Grace Garcia"),
    ("heidi", "Heidi Hansen"),
    ("ivan", "Ivan Ivanov"),
    ("judy", "Judy Jones"),
    ("mallory", "Mallory Meyer"),
    ("niaj", "Niaj Nakamura"),
    ("olivia", "Olivia Ortiz"),
    ("peggy", "Peggy Park"),
    ("rupert", "Rupert Rossi"),
    ("sybil", "Sybil Singh"),
    ("trent", "Trent Taylor"),
    ("victor", "Victor Volkov"),
    ("walter", "Walter Weber"),
    ("yara", "Yara Yilmaz"),
]

OUTSIDE_NAMES = [
    ("zoe-dev", "Zoe Novak"),
    ("kai-codes", "Kai Lindqvist"),
    ("lena-k", "Lena Kowalski"),
    ("marco-p", "Marco Pellegrini"),
    ("nina-builds", "Nina Haddad"),
    ("omar-h", "Omar Hassan"),
    ("priya-s", "Priya Sharma"),
    ("quinn-r", "Quinn Reilly"),
    ("ravi-t", "Ravi Teja"),
    ("sara-l", "Sara Lind"),
    ("tomas-v", "Tomas Vega"),
    ("uma-w", "Uma Walsh"),
]

REPO_NAMES = [
    "api",
    "web",
    "mobile",
    "infra",
    "docs",
    "design-system",
    "data-pipeline",
    "cli",
    "auth-service",
    "billing",
    "search",
    "notifications",
    "analytics",
    "sdk-python",
    "sdk-js",
    "gateway",
    "scheduler",
    "ml-models",
]

LANGUAGE_PROFILES: list[dict[str, tuple[int, int]]] = [
    {"Python": (200_000, 900_000), "Shell": (2_000, 20_000), "Dockerfile": (500, 3_000)},
    {"TypeScript": (300_000, 1_500_000), "JavaScript": (10_000, 80_000), "CSS": (5_000, 60_000)},
    {"Go": (150_000, 800_000), "Makefile": (1_000, 6_000), "Shell": (1_000, 9_000)},
    {"Rust": (100_000, 600_000), "Shell": (500, 4_000)},
    {"HCL": (40_000, 200_000), "Shell": (5_000, 30_000), "Python": (2_000, 20_000)},
    {"Kotlin": (200_000, 700_000), "Swift": (150_000, 600_000), "Ruby": (1_000, 5_000)},
]

TOPICS = [
    "api",
    "backend",
    "frontend",
    "devops",
    "kubernetes",
    "terraform",
    "python",
    "typescript",
    "react",
    "golang",
    "observability",
    "ci",
    "graphql",
    "postgresql",
    "redis",
    "microservices",
    "documentation",
    "machine-learning",
]

THINGS = [
    "login page",
    "rate limiter",
    "webhook handler",
    "search index",
    "billing export",
    "user settings",
    "dark mode",
    "CSV import",
    "audit log",
    "session refresh",
    "pagination",
    "retry logic",
    "cache layer",
    "metrics endpoint",
    "onboarding flow",
    "notification emails",
    "date picker",
    "health check",
    "API client",
    "error messages",
]

PACKAGES = [
    ("requests", "2.31.0", "2.32.3"),
    ("pydantic", "2.6.4", "2.7.1"),
    ("react", "18.2.0", "18.3.1"),
    ("eslint", "8.57.0", "9.2.0"),
    ("golang.org/x/net", "0.23.0", "0.25.0"),
    ("serde", "1.0.197", "1.0.201"),
    ("vite", "5.2.8", "5.2.11"),
    ("actions/checkout", "3", "4"),
]

FILES = [
    "src/app.py",
    "src/api/routes.py",
    "src/models.py",
    "src/ui/Button.tsx",
    "src/ui/Table.tsx",
    "README.md",
    "docs/setup.md",
    "tests/test_api.py",
    "pkg/server/server.go",
    "Makefile",
    ".github/workflows/ci.yml",
    "package.json",
]

COMMENTS = [
    "Thanks for the report! I can reproduce this on main.",
    "Could you share the logs from when this happened?",
    "I think this is related to the change we made last sprint.",
    "LGTM, one small nit inline.",
    "Let's discuss this in the next planning meeting.",
    "Fixed in the latest release, please try again.",
    "+1, we are hitting this too.",
    "I'll take a look this week.",
    "Can we add a test for this case?",
    "Closing as this works as intended now.",
]

REVIEW_BODIES = {
    "APPROVED": ["Looks good to me!", "LGTM", "Nice work, ship it.", ""],
    "CHANGES_REQUESTED": [
        "Please add tests for the error path.",
        "This breaks the public API, can we keep the old name as an alias?",
        "A few comments inline.",
    ],
    "COMMENTED": ["Left a couple of questions.", "Not blocking, just curious about the approach."],
}


def issue_title(rng: random.Random) -> str:
    thing = rng.choice(THINGS)
    template = rng.choice(
        [
            "{T} fails with a 500 error",
            "Add support for {t} customization",
            "{T} is slow on large accounts",
            "Document how the {t} works",
            "Flaky test in {t}",
            "Improve accessibility of the {t}",
            "{T} shows the wrong timezone",
        ]
    )
    return template.format(t=thing, T=thing[0].upper() + thing[1:])


def pr_title(rng: random.Random) -> str:
    thing = rng.choice(THINGS)
    prefix = rng.choice(["feat", "fix", "refactor", "perf", "docs", "test", "chore"])
    verb = {
        "feat": "add",
        "fix": "handle errors in",
        "refactor": "simplify",
        "perf": "speed up",
        "docs": "describe",
        "test": "cover",
        "chore": "tidy up",
    }[prefix]
    return f"{prefix}: {verb} {thing}"


def dependabot_title(rng: random.Random) -> tuple[str, str]:
    package, old, new = rng.choice(PACKAGES)
    return f"chore(deps): bump {package} from {old} to {new}", f"{package.replace('/', '-')}-{new}"


def commit_message(rng: random.Random) -> str:
    return pr_title(rng)


def slug(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in cleaned.split("-") if part)[:40]


def pick_files(rng: random.Random, count: int) -> list[str]:
    return sorted(rng.sample(FILES, min(count, len(FILES))))
