from axe_playwright_python.sync_playwright import Axe

WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_A_AND_AA},
    "resultTypes": ["violations"],
}

_axe = Axe()


def assert_no_axe_violations(page) -> None:
    results = _axe.run(page, options=AXE_OPTIONS)
    # An unknown tag runs no rules and reports nothing: prove the rules ran.
    assert results.response["passes"], f"axe-core ran no rules on {page.url}"
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
