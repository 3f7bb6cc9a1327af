"""The committed report pages link only to headings that exist (as GitHub renders their anchors)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "report").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]*)\)")


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces made hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page):
    return {slug(line.lstrip("#")) for line in page.read_text().splitlines() if re.match(r"#{1,6} ", line)}


def test_slug_is_githubs():
    assert slug(" Which reading of the blog's stop rule reproduces its numbers?") == \
        "which-reading-of-the-blogs-stop-rule-reproduces-its-numbers"
    assert slug("What we reproduce, what we do not, and why") == "what-we-reproduce-what-we-do-not-and-why"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_anchor_a_page_links_to_exists(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        path, _, anchor = target.partition("#")
        if not anchor or path.startswith(("http:", "https:")):
            continue
        linked = page if not path else (page.parent / path)
        if linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    assert not broken, f"{page.name} links to headings that do not exist: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_figure_on_a_page_has_a_caption(page):
    lines = page.read_text().splitlines()
    bare = [line for k, line in enumerate(lines) if line.startswith("![")
            and not (k + 2 < len(lines) and lines[k + 1] == "" and lines[k + 2].startswith("*"))]
    assert not bare, bare
