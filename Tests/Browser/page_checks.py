"""What every console page must hold for the people who read it, checked in a real browser.

`survey(driver, base, landing)` walks the pages a signed-in person can reach from their landing
page (the site's navigation, then one page of each kind linked from those), and for each page
at 1280 and 360 px wide reports: a document wider than the window, a name or code broken over
two lines, words in the wrong language,
a UTC time where a local one belongs, and axe's serious findings. Text a person or a record
wrote (a name, a medicine, a note) is marked `translate="no"` in the templates and is not
language-checked: it is data, in whatever language it was written.
"""

import re
import urllib.parse

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By

# Latin words allowed on a Chinese page: units, standards and names of things staff use as such.
LATIN_ALLOWED = {
    "Cordon", "mg", "ml", "mL", "g", "kg", "cm", "mmHg", "mmol", "min", "Ct", "SpO", "ORF", "ab", "PPE", "ID",
    "ORF1ab", "L", "CSV", "PDF", "QR", "SVG", "PNG", "API", "English", "h", "x", "FHIR", "HL", "REST", "NEWS", "A", "B", "C",
}
# A code as staff write it: capitals and digits, perhaps joined by - . / (NIFE-30, JS-01, CAB-A).
CODE = re.compile(r"^[A-Z0-9][A-Z0-9]*([-./][A-Z0-9]+)*$")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z")

# Text a person reads, without what is marked as data (translate="no"), scripts and styles.
READABLE_TEXT = """
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const parent = node.parentElement;
  if (!parent || parent.closest('[translate="no"], script, style')) continue;
  // A link in the other language (the language switch) says its own language.
  const tagged = parent.closest('[lang]');
  if (tagged && tagged !== document.documentElement) continue;
  const style = getComputedStyle(parent);
  if (style.display === 'none' || style.visibility === 'hidden') continue;
  out.push(node.textContent);
}
// Placeholders and titles are the page's own words; an aria-label often names a record (a
// button "assign 方晓梅"), so it is left to axe.
for (const element of document.querySelectorAll('[placeholder], [title]')) {
  if (element.closest('[translate="no"]')) continue;
  for (const name of ['placeholder', 'title']) {
    if (element.hasAttribute(name)) out.push(element.getAttribute(name));
  }
}
return out.join('\\n');
"""

SKIPPED = ("/sign-out", "/language", "/reset", ".csv", ".pdf", ".svg", ".png", "/poster", "/static/", "/export")


def shape(path):
    """A page's kind: its path with numbers and query values taken out."""
    parsed = urllib.parse.urlsplit(path)
    return re.sub(r"/\d+", "/N", parsed.path) + ("?" + "&".join(sorted(urllib.parse.parse_qs(parsed.query))) if parsed.query else "")


def console_links(driver, selector):
    links = []
    for anchor in driver.find_elements(By.CSS_SELECTOR, selector):
        href = anchor.get_attribute("href") or ""
        path = urllib.parse.urlsplit(href)
        if not path.path.startswith("/console/") or any(s in href for s in SKIPPED):
            continue
        links.append(path.path + ("?" + path.query if path.query else ""))
    return links


def pages_of(driver, base, landing, limit=40):
    """The landing page, every page of the navigation, and one page of each kind they link to."""
    driver.get(base + landing)
    first = urllib.parse.urlsplit(driver.current_url)
    start = first.path + ("?" + first.query if first.query else "")
    seen, pages = {shape(start)}, [start]
    navigation = console_links(driver, "nav.site-nav a, nav.district-nav a")
    for path in navigation:
        if shape(path) not in seen:
            seen.add(shape(path))
            pages.append(path)
    for page in list(pages):
        driver.get(base + page)
        for path in console_links(driver, "main a"):
            if shape(path) not in seen and len(pages) < limit:
                seen.add(shape(path))
                pages.append(path)
    return pages


def language_problems(text, language):
    if language == "zh-CN":
        words = [w for w in LATIN_RUN.findall(text) if w not in LATIN_ALLOWED and not CODE.match(w)]
        words = [w for w in words if not all(part in LATIN_ALLOWED or part.isdigit() for part in re.split(r"[-./]", w))]
        return [f"Latin {w!r}" for w in sorted(set(words))][:8]
    return [f"CJK {w!r}" for w in sorted(set(CJK.findall(text)))][:8]


def check_page(driver, base, page, with_axe=True):
    """Problems of one page at 1280 and at 360 px; screenshots are the caller's."""
    problems = []
    driver.set_window_size(1280, 900)
    driver.get(base + page)
    language = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    text = driver.execute_script(READABLE_TEXT)
    problems += language_problems(text, language)
    problems += [f"UTC time {t}" for t in sorted(set(UTC_TIME.findall(driver.find_element(By.TAG_NAME, "body").text)))][:3]
    if with_axe:
        axe = Axe(driver)
        axe.inject()
        problems += [f"axe {v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']][:2]}"
                     for v in axe.run()["violations"] if v.get("impact") in ("serious", "critical")]
    for width in (1280, 360):
        driver.set_window_size(width, 900)
        wide = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth,"
            " [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            " .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))]")
        if wide[0] > wide[1]:
            problems.append(f"{wide[0]} px wide at {width} ({', '.join(wide[2])})")
        # A person's name or a code split over two lines reads as two things.
        broken = driver.execute_script(
            "return [...document.querySelectorAll('main .name, main .code')]"
            ".filter(e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size > 1)"
            ".slice(0, 3).map(e => e.textContent)")
        if broken:
            problems.append(f"broken over lines at {width}: {broken}")
    driver.set_window_size(1280, 900)
    return [f"{page}: {p}" for p in problems]
