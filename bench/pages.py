"""Pages measured by `make bench`: (name, path, p95 target in ms, kind).

kind "baseline" is the one-query view the others are compared with; "public" pages must have a
p50 within 5x of it (DESIGN.md §5); "dashboard" pages (p95 ≤ 200 ms) are back-office pages that
bench/run.py requests logged in as the demo executive ("work": the provincial work page, as the
demo provincial user); "download" pages (public spreadsheets of
a few MB) are held to their p95 target only, as moving megabytes is no one-query ratio.
Each app adds its pages here.
"""

PAGES = [
    ("healthz (one query)", "/healthz", 100, "baseline"),
    ("home", "/", 100, "public"),
    # the SAO Bang Phli Yai (Samut Prakan), a real DLA code
    ("LAO profile", "/units/6110305/", 100, "public"),
    # directory: the list, a Thai name search (บางพลี) and a province page
    ("LAO list", "/units/", 100, "public"),
    (
        "LAO search บางพลี",
        "/units/?q=%E0%B8%9A%E0%B8%B2%E0%B8%87%E0%B8%9E%E0%B8%A5%E0%B8%B5",
        100,
        "public",
    ),
    ("province page", "/units/province/11/", 100, "public"),
    # the registry downloads: the whole list is a stored file (built once per change of the
    # registry, during the warm-up); a province's is built per request
    ("LAO list CSV", "/units/export.csv", 200, "download"),
    ("LAO list XLSX", "/units/export.xlsx", 200, "download"),
    ("LAO list CSV: province", "/units/export.csv?province=30", 200, "download"),
    # the national budget explorer (back office: measured logged in as the demo executive)
    ("budget explorer: nation", "/budgets/explorer/", 200, "dashboard"),
    ("budget explorer: province", "/budgets/explorer/?province=30", 200, "dashboard"),
    ("budget explorer: LAO", "/budgets/explorer/lao/6110305/", 200, "dashboard"),
    # quarterly progress reports: the national missing list (executive, 7,850 LAOs, paginated)
    (
        "reports missing: nation",
        "/projects/reports/missing/?fiscal_year=2569&quarter=4",
        200,
        "dashboard",
    ),
    # the back-office project list searched nationally (executive: ~3M projects, trigram
    # index, count capped at 1,000)
    (
        "projects: executive search ถนน",
        "/projects/manage/?q=%E0%B8%96%E0%B8%99%E0%B8%99",
        200,
        "dashboard",
    ),
    # the work page of provincial staff (logged in as the demo `provincial` of Samut Prakan)
    ("work page: provincial", "/work/", 200, "work"),
    # indicators: the methodology and one indicator's values of a year (public)
    ("indicators: methodology", "/benchmarks/methodology/", 100, "public"),
    ("indicator: personnel share", "/benchmarks/indicators/personnel-share/", 100, "public"),
    # an LAO's development-plan projects (public)
    ("LAO projects", "/projects/lao/6110305/", 100, "public"),
    # the executive project dashboard: rollup totals, rates, stages and lagging projects
    ("project dashboard: nation", "/projects/dashboard/", 200, "dashboard"),
    ("project dashboard: province", "/projects/dashboard/?province=30", 200, "dashboard"),
    ("project dashboard: lagging", "/projects/dashboard/lagging/?province=11", 200, "dashboard"),
]
