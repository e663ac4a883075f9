"""The pages in a real browser: Debian's Chromium, headless, driven by Selenium through chromedriver.

A reader searches "pins and needles" and lands on tingling, follows links to a condition,
runs a canned query from its form; the browser logs no errors; axe-core (installed from npm into
tests/browser/ by `npm ci --prefix tests/browser`, injected from disk, never fetched by the page)
finds no serious accessibility violation.
Screenshots are saved under the test's temporary folder. In CI (CI=true) a missing browser
fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from webtools import served

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SERIOUS = ("serious", "critical")
AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    if shutil.which("dot") is None:
        return "Graphviz's dot is missing (apt-get install graphviz)"
    if not AXE.is_file():
        return f"{AXE} is missing (npm ci --prefix tests/browser)"
    try:
        import selenium  # noqa: F401
    except ImportError as e:
        return f"{e.name} is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests cannot run: {reason}")
        pytest.skip(reason)
    with served() as url:
        yield url


@pytest.fixture(scope="module")
def browser(base: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="legkg-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _axe_serious(driver) -> list[str]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    results = driver.execute_async_script("const done = arguments[arguments.length - 1]; "
                                          "axe.run(document).then(done, e => done({error: String(e)}));")
    assert "error" not in results, results
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in SERIOUS]


def test_search_pins_and_needles_then_follow_links_to_a_condition(base: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base)
    _errors(browser)
    assert "Why can't I lift my leg?" in browser.find_element(By.TAG_NAME, "h1").text
    box = browser.find_element(By.ID, "q")
    box.send_keys("pins and needles")
    suggestion = WebDriverWait(browser, 10).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li a")))
    assert suggestion.text == "tingling"  # typed a synonym, offered the term
    browser.save_screenshot(str(tmp_path / "landing-suggestions.png"))
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.url_contains("/legkg/Tingling"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "tingling"
    assert "pins and needles" in browser.find_element(By.ID, "synonyms").find_element(By.XPATH, "..").text
    browser.save_screenshot(str(tmp_path / "tingling.png"))
    browser.find_element(By.LINK_TEXT, "spinal stenosis").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/legkg/SpinalStenosis"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "spinal stenosis"
    browser.find_element(By.CSS_SELECTOR, "figure.picture svg a")  # the picture's boxes are links
    browser.save_screenshot(str(tmp_path / "spinal-stenosis.png"))
    assert _errors(browser) == []


def test_run_a_canned_query_from_its_form(base: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base)
    browser.find_element(By.LINK_TEXT, "Conditions by anatomy").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/queries/conditions-by-anatomy.html"))
    field = browser.find_element(By.ID, "p-anatomy")
    assert field.get_attribute("list") == "list-anatomy"  # completion from the anatomy terms
    field.send_keys("sciatic nerve")
    browser.find_element(By.CSS_SELECTOR, "form.canned button[type=submit]").click()
    WebDriverWait(browser, 10).until(ec.url_contains("anatomy=sciatic+nerve"))
    cells = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "table tbody td")}
    assert {"sciatica", "piriformis syndrome"} <= cells, cells
    browser.save_screenshot(str(tmp_path / "canned-query.png"))
    browser.find_element(By.LINK_TEXT, "sciatica").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/legkg/Sciatica"))
    assert _errors(browser) == []


def test_sparql_editor_runs_a_query(base: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base + "query.html")
    area = browser.find_element(By.ID, "query")
    area.clear()
    area.send_keys("SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }")
    browser.find_element(By.CSS_SELECTOR, "#main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(ec.url_contains("query="))
    cells = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "table tbody td")}
    assert "sciatica" in cells, cells
    browser.find_element(By.LINK_TEXT, "link to this query")
    browser.save_screenshot(str(tmp_path / "sparql-editor.png"))
    assert _errors(browser) == []


@pytest.mark.parametrize("path", ["", "legkg/Sciatica", "legkg/GroinNumbness", "terms.html", "query.html",
                                  "queries/conditions-by-anatomy.html?anatomy=hip", "search.html?q=flexor",
                                  "legkg/legkg.html"])
def test_no_serious_accessibility_violations(base: str, browser, path: str) -> None:
    browser.get(base + path)
    assert _axe_serious(browser) == []
    assert _errors(browser) == []


def test_readable_on_a_phone(base: str, browser, tmp_path: Path) -> None:
    browser.set_window_size(390, 844)
    try:
        browser.get(base + "legkg/Sciatica")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
        browser.save_screenshot(str(tmp_path / "sciatica-phone.png"))
    finally:
        browser.set_window_size(1200, 900)


def test_the_accessibility_check_finds_a_real_violation(base: str, browser) -> None:
    """The check itself works: an unlabelled input and an image with no text are serious violations."""
    browser.get("data:text/html,<html lang=en><title>t</title><main><img src='data:,'><input></main></html>")
    found = " ".join(_axe_serious(browser))
    assert "image-alt" in found and "label" in found, found
