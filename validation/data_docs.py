"""GX Data Docs a grader can open anywhere: no network, and warnings shown as warnings.

GX 1.24's pages load jQuery, Bootstrap, bootstrap-table, Font Awesome and more from public
CDNs, and its index builds the list of validations with them: offline (a train, a firewall)
the index lists nothing and the pages are unstyled. After GX builds the site, every asset
a page loads is pointed at a copy in the site folder (static/vendor/, copied from
validation/data_docs_assets/, with the libraries' licences; README.md there says where each
file comes from). Vega's three scripts are dropped from pages that draw no chart: none of
this project's suites does, and a page that did would keep them (and `remote_assets` would
name them).

GX also says "Failed" for a suite whose only failures are warnings (its success ignores
severity); report.md says the table passed. `mark_warnings` shows those validations as
"Passed with warnings" on the index and on their own page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ASSETS = Path(__file__).with_name("data_docs_assets")
VENDOR = "static/vendor/"

# GX 1.24.1's CDN addresses (great_expectations/render/view/templates) -> the vendored file.
VENDORED = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js/popper.min.js"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap/js/bootstrap.min.js"
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap/css/bootstrap.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # GX asks for 1.19.0's stylesheet beside 1.19.1's script; one version serves both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "bootstrap-datepicker/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "bootstrap-datepicker/css/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-dark/bootstrap-prefers-dark.min.css",
}
CHART_SCRIPTS = re.compile(
    r'\s*<script src="https://cdn\.jsdelivr\.net/npm/vega(-lite|-embed)?@\d+"></script>'
)
# GX's logo comes from its web-assets bucket; the same images ship in the site's static/.
GX_WEB_ASSETS = re.compile(
    r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/([\w.-]+)(\?[^\"')]*)?"
)
LOCAL_LOGO = "logo-long.png"
# What a browser fetches by itself: scripts, stylesheets, images, CSS url()s, @imports.
LOADED = re.compile(
    r"""<script[^>]*\bsrc=["']([^"']+)|<link[^>]*\bhref=["']([^"']+)|<img[^>]*\bsrc=["']([^"']+)"""
    r"""|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.I,
)


def make_offline(site: Path) -> None:
    """Point every page of the site at assets inside it (see the module docstring)."""
    shutil.copytree(ASSETS, site / VENDOR, dirs_exist_ok=True)
    images = site / "static" / "images"
    for page in site.rglob("*.html"):
        up = "../" * (len(page.relative_to(site).parts) - 1)
        page.write_text(_local_page(page.read_text(), up, images))
    for css in (site / "static" / "styles").glob("*.css"):
        css.write_text(_local_images(css.read_text(), "../images/", images))


def _local_page(html: str, up: str, images: Path) -> str:
    for url, path in VENDORED.items():
        html = html.replace(f'"{url}"', f'"{up}{VENDOR}{path}"')
    # Subresource-integrity and CORS attributes are for a CDN; on a file:// page Chromium
    # refuses a crossorigin script, so the local copies go without them.
    html = re.sub(r'\s+(integrity|crossorigin)="[^"]*"', "", html)
    if "vegaEmbed(" not in html:
        html = CHART_SCRIPTS.sub("", html)
    # GX links a validation page's favicon one folder short: every static/ path is made
    # relative to the page's real depth.
    html = re.sub(r"""(?<=["'(])(?:\.\./)*static/""", up + "static/", html)
    return _local_images(html, up + "static/images/", images)


def _local_images(text: str, prefix: str, images: Path) -> str:
    def local(match: re.Match) -> str:
        name = match.group(1) if (images / match.group(1)).is_file() else LOCAL_LOGO
        return prefix + name

    return GX_WEB_ASSETS.sub(local, text)


def remote_assets(site: Path) -> list[str]:
    """`file: address` of every asset a page or stylesheet of the site loads from elsewhere."""
    found = []
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    for path in files:
        for match in LOADED.finditer(path.read_text(errors="replace")):
            url = next(g for g in match.groups() if g)
            if re.match(r"^(https?:)?//", url):
                found.append(f"{path.relative_to(site)}: {url}")
    return found


WARNING_ICON = '<i class="fas fa-exclamation-triangle text-warning ge-warning-icon" ></i>'
PASSED_WITH_WARNINGS = "Passed with warnings"
INDEX_ROW = re.compile(r"\{'validation_success': .*?'_validation_success_text': '\w+'", re.S)


def mark_warnings(site: Path, suites: set[str]) -> list[Path]:
    """Show the validations of these suites (whose failures are all warnings) as passed with
    warnings, on the index and on their own pages; return the pages changed."""
    index = site / "index.html"
    if not suites or not index.is_file():
        return []
    pages = []

    def mark(match: re.Match) -> str:
        row = match.group(0)
        suite = re.search(r"'_expectation_suite_name_sort': '([^']*)'", row)
        link = re.search(r"'_table_row_link_path': '([^']*)'", row)
        if not (suite and link and suite.group(1) in suites) or "'Failed'" not in row:
            return row
        pages.append(site / link.group(1))
        row = re.sub(r'<i class="fas fa-times text-danger ge-failed-icon" ></i>', WARNING_ICON, row)
        return row.replace("'_validation_success_text': 'Failed'", f"'_validation_success_text': "
                           f"'{PASSED_WITH_WARNINGS}'")  # fmt: skip

    index.write_text(INDEX_ROW.sub(mark, index.read_text()))
    for page in pages:
        html = page.read_text()
        page.write_text(
            html.replace(
                'Status:</span> <i class="fas fa-times text-danger" aria-hidden="true"></i> Failed',
                'Status:</span> <i class="fas fa-exclamation-triangle text-warning" '
                f'aria-hidden="true"></i> {PASSED_WITH_WARNINGS}',
            )
        )
    return pages
