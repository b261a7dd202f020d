"""GX Data Docs open with the network off, in a real browser, and show warnings as warnings.

The site is the one `make run` writes from the embedded sample (tests/conftest.py's
after_make_run). Chromium is Debian's (.ci/run installs it); the network is off
(tests/browser.py), so a page that still needs a CDN shows an empty index, as the control
test below shows with GX's own CDN addresses put back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests import browser
from validation import data_docs

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(after_make_run) -> Path:
    if not browser.executable():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return after_make_run / "reports" / "rubric" / "data_docs"


@pytest.fixture(scope="module")
def report(site) -> dict:
    return json.loads((site.parent / "report.json").read_text())


def validation_links(dom: str) -> dict[str, str]:
    """{table: validation page} of the index's rows, as the browser built them."""
    links = re.findall(r'<tr class="clickable-row" data-href="(validations/([^/"]+)/[^"]+)"', dom)
    return {table: href for href, table in links}


def test_no_page_loads_an_asset_from_elsewhere(site):
    assert data_docs.remote_assets(site) == []


def test_every_local_asset_a_page_loads_is_in_the_site(site):
    missing = []
    for page in site.rglob("*.html"):
        for match in data_docs.LOADED.finditer(page.read_text()):
            url = next(g for g in match.groups() if g)
            if not url.startswith(("data:", "#")) and not (page.parent / url).resolve().is_file():
                missing.append(f"{page.relative_to(site)}: {url}")
    assert not missing, missing[:5]


def test_the_vendored_libraries_keep_their_licences(site):
    vendor = site / data_docs.VENDOR
    for library in (p for p in vendor.iterdir() if p.is_dir()):
        assert list(library.glob("LICENSE*")), f"{library.name} has no licence file"


def test_the_index_lists_one_link_per_validated_table_with_the_network_off(site, report):
    links = validation_links(browser.dump_dom(site / "index.html"))
    assert set(links) == {t["table"] for t in report["tables"]}
    assert all((site / href).is_file() for href in links.values())


def test_the_index_is_empty_offline_with_gxs_cdn_addresses(site, tmp_path):
    """The control: the same site with GX's CDN addresses back lists nothing offline, so the
    test above sees the vendored copies at work, not a network."""
    copy = shutil.copytree(site, tmp_path / "data_docs")
    index = copy / "index.html"
    html = index.read_text()
    for url, path in data_docs.VENDORED.items():
        html = html.replace(f'"{data_docs.VENDOR}{path}"', f'"{url}"')
    index.write_text(html)
    assert validation_links(browser.dump_dom(index)) == {}


def test_a_table_whose_failures_are_all_warnings_shows_passed_with_warnings(site, report):
    warned = {t["table"] for t in report["tables"] if t["status"] == "warning"}
    assert warned, "make run's sample plants warnings (consent 0, a shared serial number)"
    dom = browser.dump_dom(site / "index.html")
    links = validation_links(dom)
    for table, href in links.items():
        page = (site / href).read_text()
        status = re.search(r"Status:</span> <i[^>]*></i> ([\w ]+)", page).group(1).strip()
        assert status == ("Passed with warnings" if table in warned else "Succeeded"), table
    rows = re.findall(
        r'<tr class="clickable-row" data-href="validations/([^/"]+)/.*?</tr>', dom, re.S
    )
    shown = {m.group(1) for m in re.finditer(r'<tr class="clickable-row" data-href="validations/'
             r'([^/"]+)/(?:(?!</tr>).)*ge-warning-icon', dom, re.S)}  # fmt: skip
    assert len(rows) == len(links) and shown == warned


def test_a_screenshot_of_the_index_shows_the_table(site, tmp_path):
    from PIL import Image

    path = browser.screenshot(site / "index.html", tmp_path / "index.png")
    with Image.open(path) as image:
        assert image.size == (1400, 1000)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # text, icons and stripes: not a blank page
