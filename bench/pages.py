"""Pages measured by `make bench`: (name, path, p95 target in ms, kind[, p50 ratio target]).

kind "baseline" is the one-query view the others are compared with; "public" pages must have a
p50 within 5x of it (DESIGN.md §5); "dashboard" pages (p95 ≤ 200 ms) are back-office pages that
bench/run.py requests logged in as the demo executive ("work": the provincial work page, as the
demo provincial user); "download" pages (public spreadsheets of
a few MB) are held to their p95 target only, as moving megabytes is no one-query ratio.
Pages of kind "rendered" are public pages with a parameter they do not read (`rendered=1`): the
page cache does not store such an address, so every request renders the page as the first
visitor after a change does. They show what a miss costs and are not judged.
A page whose own target is tighter than DESIGN.md's 5× gives it as a fifth item (the rankings,
documents, wiki and webboard pages: p50 within 3× of the baseline). Each app adds its pages here.
"""

STRICT = 3  # p50 within 3x of the one-query baseline

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
    ("indicators: methodology", "/benchmarks/methodology/", 100, "public", STRICT),
    (
        "indicator: personnel share",
        "/benchmarks/indicators/personnel-share/",
        100,
        "public",
        STRICT,
    ),
    # rankings: the composite of the newest year, one indicator in one province's SAOs, an
    # LAO's benchmark page and a comparison with two of its neighbours (stored results only)
    ("ranking: composite", "/benchmarks/ranking/", 100, "public", STRICT),
    (
        "ranking: personnel share, SAOs of province 30",
        "/benchmarks/ranking/?indicator=personnel-share&kind=sao&province=30",
        100,
        "public",
        STRICT,
    ),
    ("LAO benchmark page", "/benchmarks/lao/6110305/", 100, "public", STRICT),
    (
        "compare 3 LAOs",
        "/benchmarks/compare/?lao=6110305&lao=6110301&lao=6110302",
        100,
        "public",
        STRICT,
    ),
    # an LAO's development-plan projects (public)
    ("LAO projects", "/projects/lao/6110305/", 100, "public"),
    # the executive project dashboard: rollup totals, rates, stages and lagging projects
    ("project dashboard: nation", "/projects/dashboard/", 200, "dashboard"),
    ("project dashboard: province", "/projects/dashboard/?province=30", 200, "dashboard"),
    ("project dashboard: lagging", "/projects/dashboard/lagging/?province=11", 200, "dashboard"),
    # knowledge documents (20,000 demo documents, 100M+ characters of Thai in ~1,500-character
    # chunks): a ranked search for a common and for a rare word, and a document page (the seed
    # gives its first document the first id)
    (
        "documents: search ท้องถิ่น (common)",
        "/knowledge/documents/?q=%E0%B8%97%E0%B9%89%E0%B8%AD%E0%B8%87%E0%B8%96%E0%B8%B4%E0%B9%88%E0%B8%99",
        100,
        "public",
        STRICT,
    ),
    (
        "documents: search บึงประดิษฐ์ (rare)",
        "/knowledge/documents/?q=%E0%B8%9A%E0%B8%B6%E0%B8%87%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%94%E0%B8%B4%E0%B8%A9%E0%B8%90%E0%B9%8C",
        100,
        "public",
        STRICT,
    ),
    ("document page", "/knowledge/documents/1/", 100, "public", STRICT),
    # the webboard: the demo lesson board of 100,000 threads (first and a deep page) and its first
    # thread, of 5,000 replies (first and last page); the seed gives that thread the first id
    ("webboard: board", "/forums/b/lessons/", 100, "public", STRICT),
    ("webboard: board page 3000", "/forums/b/lessons/?page=3000", 100, "public", STRICT),
    ("webboard: thread", "/forums/t/1/", 100, "public", STRICT),
    ("webboard: thread last page", "/forums/t/1/?page=last", 100, "public", STRICT),
    # the wiki: a demo page (การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง, stored HTML) and the diff of its
    # first and third revisions (cluster diff, cached)
    (
        "wiki page",
        "/knowledge/wiki/%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B8%88%E0%B8%B1%E0%B8%94%E0%B9%80%E0%B8%81%E0%B9%87%E0%B8%9A%E0%B8%A0%E0%B8%B2%E0%B8%A9%E0%B8%B5%E0%B8%97%E0%B8%B5%E0%B9%88%E0%B8"
        "%94%E0%B8%B4%E0%B8%99%E0%B9%81%E0%B8%A5%E0%B8%B0%E0%B8%AA%E0%B8%B4%E0%B9%88%E0%B8%87%E0%B8%9B%E0%B8%A5%E0%B8%B9%E0%B8%81%E0%B8%AA%E0%B8%A3%E0%B9%89%E0%B8%B2%E0%B8%87/",
        100,
        "public",
        STRICT,
    ),
    (
        "wiki diff",
        "/knowledge/wiki/%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B8%88%E0%B8%B1%E0%B8%94%E0%B9%80%E0%B8%81%E0%B9%87%E0%B8%9A%E0%B8%A0%E0%B8%B2%E0%B8%A9%E0%B8%B5%E0%B8%97%E0%B8%B5%E0%B9%88%E0%B8"
        "%94%E0%B8%B4%E0%B8%99%E0%B9%81%E0%B8%A5%E0%B8%B0%E0%B8%AA%E0%B8%B4%E0%B9%88%E0%B8%87%E0%B8%9B%E0%B8%A5%E0%B8%B9%E0%B8%81%E0%B8%AA%E0%B8%A3%E0%B9%89%E0%B8%B2%E0%B8%87/diff/?from=1&to=3",
        100,
        "public",
        STRICT,
    ),
    # what a visitor's first request after a change costs (not answered from the page cache)
    ("LAO profile (rendered)", "/units/6110305/?rendered=1", 100, "rendered"),
    ("ranking: composite (rendered)", "/benchmarks/ranking/?rendered=1", 100, "rendered"),
    ("LAO benchmark page (rendered)", "/benchmarks/lao/6110305/?rendered=1", 100, "rendered"),
    (
        "documents: search ท้องถิ่น (rendered)",
        "/knowledge/documents/?q=%E0%B8%97%E0%B9%89%E0%B8%AD%E0%B8%87%E0%B8%96%E0%B8%B4%E0%B9%88%E0%B8%99&rendered=1",
        100,
        "rendered",
    ),
    (
        "webboard: board page 3000 (rendered)",
        "/forums/b/lessons/?page=3000&rendered=1",
        100,
        "rendered",
    ),
    ("webboard: thread (rendered)", "/forums/t/1/?rendered=1", 100, "rendered"),
]
