"""The web console in a real Chromium, as the site's people use it.

Run by Tests/CLITests/ConsoleBrowserTests.swift against a served, seeded Cordon. Every flow
runs even when an earlier one fails; each prints one line, `ok NAME` or `FAIL NAME: why`, and
the script exits 1 if any failed. Screenshots of the main pages at 1280 and 360 px go to
$CORDON_OUT.
"""

import datetime
import json
import os
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

from axe_selenium_python import Axe

import page_checks
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["CORDON_URL"]
PASSWORD = os.environ["CORDON_PASSWORD"]
OUT = os.environ["CORDON_OUT"]
SITE = os.environ["CORDON_SITE"]
SITE_ID = os.environ["CORDON_SITE_ID"]
OTHER_PATIENT = os.environ["CORDON_OTHER_PATIENT_PATH"]
ROSTER_DAY = os.environ["CORDON_ROSTER_DAY"]
UNCERTIFIED = os.environ["CORDON_UNCERTIFIED_NURSE"]
CERTIFIED = os.environ["CORDON_CERTIFIED_NURSE"]
MANAGER_TOKEN = os.environ["CORDON_MANAGER_TOKEN"]
HOSPITAL_TOKEN = os.environ["CORDON_HOSPITAL_TOKEN"]
SITE_PATH = f"/console/sites/{SITE}"

failures = []


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def flow(function):
    try:
        function()
        print(f"ok {function.__name__}", flush=True)
    except Exception as error:  # one flow's failure must not hide the others'
        failures.append(function.__name__)
        print(f"FAIL {function.__name__}: {error} (at {driver.current_url})", flush=True)
        driver.save_screenshot(os.path.join(OUT, f"FAIL-{function.__name__}.png"))
        try:
            driver.switch_to.alert.dismiss()
        except Exception:
            pass
        driver.delete_all_cookies()
        traceback.print_exc(file=sys.stderr)
    return function


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--lang=zh-CN", "--window-size=1280,900"):
        options.add_argument(argument)
    # The staff read Chinese: the browser asks for it, as theirs do.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.binary_location = "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    return driver


def api(path, token, method="GET"):
    request = urllib.request.Request(BASE + path, method=method, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def gone(element):
    """Whether `element`'s page has gone. Chromium may answer a node of a page being replaced
    with an inspector error rather than a stale element: both mean the same."""
    def check(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def submit(button, confirm=False):
    """Clicks a form's button and waits for the page the form leads to (a click does not wait)."""
    button.click()
    if confirm:
        WebDriverWait(driver, 10).until(expected_conditions.alert_is_present()).accept()
    WebDriverWait(driver, 30).until(gone(button))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(driver, user, password=PASSWORD):
    driver.get(BASE + "/console/sign-in")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))


def sign_out(driver):
    submit(driver.find_element(By.CSS_SELECTOR, "form[action='/console/sign-out'] button"))


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def status_of(driver, path):
    """The HTTP status of a console page fetched with the browser's session cookie."""
    cookie = driver.get_cookie("cordon_session")
    request = urllib.request.Request(BASE + path, headers={"Cookie": f"cordon_session={cookie['value']}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def national_id_check(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def checked_code(prefix, number):
    """A code as Cordon prints it: prefix, ten digits, ISO 7064 MOD 11-2 check character."""
    digits = f"{number:010d}"
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2 % 11
    check_value = (12 - total) % 11
    return prefix + digits + ("X" if check_value == 10 else str(check_value))


def certified_name():
    staff = api(f"/sites/{SITE_ID}/staff", MANAGER_TOKEN)
    return next(s["name"] for s in staff["items"] if s["code"] == CERTIFIED)


def on_hand(medication):
    driver.get(BASE + SITE_PATH + "/stock")
    return int(driver.find_element(By.CSS_SELECTOR, f"tr[data-medication='{medication}'] [data-on-hand]").text)


driver = browser()


@flow
def sign_in_refuses_a_wrong_password_then_throttles_and_signs_out():
    sign_in(driver, "throttle-test", "not the password")
    check("/console/sign-in" in driver.current_url, "a wrong password stays on the sign-in page")
    refusal = driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
    check(refusal, "a wrong password is told in words")
    for _ in range(5):
        sign_in(driver, "throttle-test", "not the password")
    check("15" in driver.find_element(By.CSS_SELECTOR, "[role=alert]").text, "the sixth failure is throttled")
    sign_in(driver, "manager-shen")
    check(SITE_PATH in driver.current_url, f"the manager lands on the site board, not {driver.current_url}")
    sign_out(driver)
    driver.get(BASE + SITE_PATH)
    check("/console/sign-in" in driver.current_url, "after signing out the board asks to sign in again")


@flow
def the_board_shows_the_census_numbers():
    sign_in(driver, "manager-shen")
    driver.get(BASE + SITE_PATH)
    census = api(f"/sites/{SITE_ID}/census", MANAGER_TOKEN)
    shown = {e.get_attribute("data-total"): int(e.text) for e in driver.find_elements(By.CSS_SELECTOR, "[data-total]")}
    totals = census["totals"]
    expected = {"free": totals["free"], "occupied": totals["occupied"], "cleaning": totals["cleaning"],
                "out_of_service": totals["outOfService"], "admitted": census["admittedPatients"]}
    check(shown == expected, f"board {shown} != census {expected}")
    sign_out(driver)


@flow
def admit_refuses_a_wrong_check_digit_on_the_field_then_admits():
    sign_in(driver, "nurse-fang")
    driver.get(BASE + SITE_PATH + "/patients/new")
    driver.find_element(By.ID, "name").send_keys("测试入舱者")
    national_id = "31011519820101002"
    wrong = national_id + ("0" if national_id_check(national_id) != "0" else "1")
    driver.find_element(By.ID, "nationalId").send_keys(wrong)
    typed = driver.find_element(By.ID, "nationalId-error").text
    check(typed, "the check digit is questioned as it is typed")
    driver.execute_script("document.getElementById('dateOfBirth').value = '1982-01-01'")
    driver.find_element(By.CSS_SELECTOR, "input[name=sex][value=female]").click()
    submit(driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    field = driver.find_element(By.ID, "nationalId")
    check(field.get_attribute("aria-invalid") == "true", "the server marks the ID field")
    check(driver.find_element(By.ID, "nationalId-error").text, "the server says what is wrong with the ID")
    check(driver.find_element(By.ID, "name").get_attribute("value") == "测试入舱者", "the typed name is kept")
    field.clear()
    field.send_keys(national_id + national_id_check(national_id))
    driver.find_element(By.CSS_SELECTOR, "input[name=sex][value=female]").click()
    submit(driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    check(heading(driver) == "测试入舱者", f"the new record opens, not {heading(driver)}")
    sign_out(driver)




@flow
def an_uncertified_nurse_on_a_contaminated_shift_blocks_publishing_until_replaced():
    sign_in(driver, "manager-shen")
    week = BASE + SITE_PATH + f"/roster?from={ROSTER_DAY}"
    driver.get(week)
    submit(driver.find_element(By.CSS_SELECTOR, ".shift a"))
    submit(driver.find_element(By.CSS_SELECTOR, f"tr[data-candidate='{UNCERTIFIED}'] button"))
    driver.get(week)
    findings = [e.get_attribute("data-rule") for e in driver.find_elements(By.CSS_SELECTOR, ".shift .finding")]
    check("ppe_certification" in findings, f"the grid cell shows the PPE finding, found {findings}")
    submit(driver.find_element(By.CSS_SELECTOR, "form[action$='/roster/publish'] button"), confirm=True)
    notice = driver.find_element(By.CSS_SELECTOR, ".notice.error").text
    check("无防护服穿脱培训合格证" in notice and "没有防护服穿脱培训合格证" in notice,
          f"publishing is refused with the rule and its reason in Chinese, got {notice!r}")
    submit(driver.find_element(By.CSS_SELECTOR, ".shift a"))
    replace = driver.find_element(By.CSS_SELECTOR, "select[name=staffId]")
    Select(replace).select_by_visible_text(certified_name())
    submit(replace.find_element(By.XPATH, "./ancestor::form//button"))
    driver.get(week)
    submit(driver.find_element(By.CSS_SELECTOR, "form[action$='/roster/publish'] button"), confirm=True)
    check(driver.find_elements(By.CSS_SELECTOR, ".notice.ok"), "the week is published once fixed")
    sign_out(driver)




@flow
def a_referral_logged_in_the_console_reaches_the_hospital():
    sign_in(driver, "dr-lin")
    code = os.environ["CORDON_HOSPITAL_CODE"]
    hospital = next(h["name"] for h in api("/hospitals", MANAGER_TOKEN)["items"] if h["code"] == code)
    driver.get(BASE + SITE_PATH + "/referrals/new")
    Select(driver.find_element(By.ID, "patientId")).select_by_index(1)
    destination = Select(driver.find_element(By.ID, "destination"))
    destination.select_by_visible_text(next(o.text for o in destination.options if o.text.startswith(hospital)))
    driver.find_element(By.CSS_SELECTOR, "input[name=service_chemotherapy]").click()
    Select(driver.find_element(By.ID, "urgency")).select_by_value("urgent")
    driver.find_element(By.ID, "reason").send_keys("按期化疗")
    driver.find_element(By.ID, "clinicalSummary").send_keys("乳腺癌术后，第 4 周期化疗到期。")
    submit(driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    referral_id = int(driver.current_url.rstrip("/").split("/")[-1])
    seen = [r["id"] for r in api("/hospital/referrals", HOSPITAL_TOKEN)["items"]]
    check(referral_id in seen, f"referral {referral_id} is in the hospital's list {seen}")
    sign_out(driver)


@flow
def a_dose_given_takes_its_units_off_the_shelf():
    sign_in(driver, "nurse-fang")
    driver.get(BASE + SITE_PATH + "/doses")
    dose = driver.find_element(By.CSS_SELECTOR, ".dose form[action$='/doses/given']").find_element(
        By.XPATH, "./ancestor::li")
    key = dose.get_attribute("data-dose")
    medication = dose.get_attribute("data-medication")
    units = int(dose.find_element(By.CSS_SELECTOR, "[data-units]").text)
    shelf = Select(dose.find_element(By.TAG_NAME, "select")).first_selected_option.text
    check(not shelf.endswith(" 0"), f"the shelf offered first holds {medication}: {shelf!r}")
    before = on_hand(medication)
    driver.get(BASE + SITE_PATH + "/doses")
    submit(driver.find_element(By.CSS_SELECTOR, f"[data-dose='{key}'] button[data-action=give]"))
    given = driver.find_element(By.CSS_SELECTOR, f"[data-dose='{key}'] [data-state=given]")
    check(given, "the dose shows as given")
    after = on_hand(medication)
    check(after == before - units, f"{medication}: {before} on hand before, {after} after a dose of {units}")
    sign_out(driver)


@flow
def a_pharmacist_sees_no_roster_edits_and_another_sites_patient_is_not_there():
    sign_in(driver, "pharm-xu")
    driver.get(BASE + SITE_PATH + f"/roster?from={ROSTER_DAY}")
    check(not driver.find_elements(By.CSS_SELECTOR, "form[action$='/roster/publish']"), "no publish button")
    check(not driver.find_elements(By.CSS_SELECTOR, "a[href$='/roster/upload']"), "no upload link")
    submit(driver.find_element(By.CSS_SELECTOR, ".shift a"))
    check(not driver.find_elements(By.CSS_SELECTOR, "form[action*='/roster/']"), "no edit form on a shift")
    check(status_of(driver, SITE_PATH + "/roster/upload") == 403, "the upload URL answers 403")
    check(status_of(driver, OTHER_PATIENT) == 404, "another site's patient answers 404")
    sign_out(driver)


@flow
def a_form_without_its_csrf_token_is_refused():
    sign_in(driver, "nurse-fang")
    cookie = driver.get_cookie("cordon_session")["value"]
    body = urllib.parse.urlencode({"result": "negative", "sampledAt": "2022-04-20T08:00"}).encode()
    request = urllib.request.Request(
        BASE + SITE_PATH + "/patients/1/tests", data=body, method="POST",
        headers={"Cookie": f"cordon_session={cookie}", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    check(status == 403, f"a POST without the token answers 403, not {status}")
    sign_out(driver)



@flow
def a_nurse_opens_her_own_roster():
    sign_in(driver, "nurse-fang")
    driver.get(BASE + SITE_PATH + f"/roster?from={ROSTER_DAY}")
    submit(driver.find_element(By.CSS_SELECTOR, "a[data-own-roster]"))
    check("staff=SC-N02" in driver.current_url, f"the link opens her own roster, not {driver.current_url}")
    check("方晓梅" in driver.find_element(By.TAG_NAME, "main").text, "the page names her")
    sign_out(driver)

@flow
def the_bus_expected_at_js02_shows_on_its_bed_map_and_passes_axe():
    # The seed's bus of 40 at the district's hotel, as its manager sees it.
    sign_in(driver, "manager-qian")
    driver.get(BASE + "/console/sites/JS-02/intake")
    submit(driver.find_element(By.PARTIAL_LINK_TEXT, "金山-0412-03"))
    proposed = driver.find_elements(By.CSS_SELECTOR, "li.bed.proposed")
    check(len(proposed) >= 36, f"the proposal is on the map: {len(proposed)} beds marked")
    check("与同户 H01" in driver.find_element(By.TAG_NAME, "main").text, "households are placed together, said in Chinese")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.intake-people tbody tr")
    unplaced = [r.get_attribute("class") == "unplaced" for r in rows]
    check(any(unplaced) and unplaced == sorted(unplaced, reverse=True),
          f"the people without a bed come first and are marked: {unplaced}")
    check(driver.find_element(By.CSS_SELECTOR, "form[action$='/admit']").get_attribute("data-confirm"),
          "admitting everyone with a bed asks first")
    check(all(f.get_attribute("data-confirm") for f in driver.find_elements(By.CSS_SELECTOR, "form[action$='/cancel']")),
          "each 'did not come' asks first")
    axe = Axe(driver)
    axe.inject()
    serious = [v for v in axe.run()["violations"] if v.get("impact") in ("serious", "critical")]
    check(not serious, "; ".join(f"{v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']][:3]}" for v in serious))
    for width in (1280, 360):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 6000))
        driver.save_screenshot(os.path.join(OUT, f"intake-bus-{width}.png"))
    driver.set_window_size(1280, 900)
    sign_out(driver)


MAIN_PAGES = {
    "manager-shen": ["", "/patients", "/patients/1", "/roster", "/referrals", "/worklist", "/audit", "/daily-report"],
    "nurse-fang": ["/patients/new", "/doses", "/care-plans/1", "/referrals/1"],
    "pharm-xu": ["/stock", "/stock/receipt"],
    "secretary-gu": ["/branch"],
}


@flow
def the_main_pages_pass_axe_and_are_photographed_at_1280_and_360_px():
    problems = []
    for user, pages in MAIN_PAGES.items():
        sign_in(driver, user)
        for page in pages:
            driver.get(BASE + SITE_PATH + page)
            axe = Axe(driver)
            axe.inject()
            results = axe.run()
            serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
            problems += [f"{page or '/'}: {v['id']} ({v['impact']}) on {len(v['nodes'])} elements" for v in serious]
            name = (page.strip("/").replace("/", "-") or "board")
            for width in (1280, 360):
                driver.set_window_size(width, 900)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, 600), 6000))
                driver.execute_script("window.scrollTo(0, 0)")
                driver.save_screenshot(os.path.join(OUT, f"{name}-{width}.png"))
            driver.set_window_size(1280, 900)
        sign_out(driver)
    check(not problems, "; ".join(problems))


EVERY_ROLE = ["manager-shen", "nurse-fang", "dr-lin", "pharm-xu", "secretary-gu", "manager-qian", "cmd-wu"]


@flow
def every_page_of_every_role_fits_360_px_reads_in_one_language_and_local_time_and_passes_axe():
    # Each person's pages as they reach them from their landing page: one of each kind.
    problems = []
    for user in EVERY_ROLE:
        sign_in(driver, user)
        pages = page_checks.pages_of(driver, BASE, "/console/")
        check(len(pages) >= 2, f"{user} reaches more than the landing page: {pages}")
        for page in pages:
            problems += page_checks.check_page(driver, BASE, page)
        # The same pages in English: no Chinese outside what the records hold.
        driver.get(BASE + "/console/language?lang=en&back=/console/")
        for page in pages:
            problems += page_checks.check_page(driver, BASE, page, with_axe=False)
        driver.get(BASE + "/console/language?lang=zh-CN&back=/console/")
        sign_out(driver)
    check(not problems, "; ".join(problems[:20]) + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""))


@flow
def a_nurse_scans_a_wristband_then_a_tube_and_another_patients_tube_is_refused():
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date().isoformat()
    due = api(f"/sites/{SITE_ID}/swab-rounds/{today}/specimens?status=due&limit=2", MANAGER_TOKEN)["items"]
    check(len(due) == 2, f"the seed leaves tubes of today's round to take: {due}")
    mine, theirs = due
    sign_in(driver, "nurse-fang")
    driver.get(BASE + SITE_PATH + "/swabs/collect")
    wristband = driver.find_element(By.ID, "wristband")
    check(driver.switch_to.active_element == wristband, "the page opens ready for the wristband")
    # A USB scanner types the code and Enter: Enter after the wristband goes on to the tube.
    wristband.send_keys(checked_code("P", mine["patientId"]) + Keys.ENTER)
    tube = driver.find_element(By.ID, "tube")
    check(driver.switch_to.active_element == tube, "Enter after the wristband moves to the tube")
    tube.send_keys(theirs["accession"] + Keys.ENTER)
    WebDriverWait(driver, 30).until(gone(tube))
    alert = driver.find_element(By.CSS_SELECTOR, ".scan-outcome[role=alert]")
    check(theirs["patientName"] in alert.text, f"the refusal names whose tube it is: {alert.text}")
    taken = api(f"/sites/{SITE_ID}/specimens/{theirs['accession']}", MANAGER_TOKEN)
    check(taken["status"] == "due", "nothing is recorded for a tube scanned against the wrong wristband")
    driver.find_element(By.ID, "wristband").send_keys(checked_code("P", mine["patientId"]) + Keys.ENTER)
    tube = driver.find_element(By.ID, "tube")
    tube.send_keys(mine["accession"] + Keys.ENTER)
    WebDriverWait(driver, 30).until(gone(tube))
    done = driver.find_element(By.CSS_SELECTOR, ".scan-outcome[role=status]")
    check(mine["patientName"] in done.text, f"the nurse is told whose swab was recorded: {done.text}")
    check(api(f"/sites/{SITE_ID}/specimens/{mine['accession']}", MANAGER_TOKEN)["status"] == "collected",
          "the tube is recorded as taken")
    sign_out(driver)


@flow
def the_discharge_office_releases_the_signed_off_sends_the_seeded_bus_and_its_committee_answers():
    buses = api(f"/sites/{SITE_ID}/release-buses", MANAGER_TOKEN)["buses"]
    seeded = [b for b in buses if not b.get("departedAt")]
    check(seeded, f"the seed has a bus home waiting: {buses}")
    sign_in(driver, "manager-shen")
    driver.get(BASE + SITE_PATH + "/release")
    ready = driver.find_elements(By.CSS_SELECTOR, "input[id^='ready-']")
    check(len(ready) >= 2, f"the seed has people signed off and ready to go: {len(ready)}")
    # Two go today; the clerk unticks the rest, whose names stay on the list.
    for box in ready[2:]:
        box.click()
    chosen = [box.get_attribute("aria-label") for box in ready[:2]]
    submit(driver.find_element(By.CSS_SELECTOR, "form[action$='/release/run'] button[type=submit]"), confirm=True)
    status = driver.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
    check("2" in status, f"the page says how many were released: {status}")
    recent = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#released-heading ~ table th[scope=row] a")]
    check(set(chosen) <= set(recent), f"the released are listed with their certificates: {chosen} in {recent}")
    # Their bus home: planned from the form, with a confirmation.
    submit(driver.find_element(By.CSS_SELECTOR, "form[action$='/release/buses'] button[type=submit]"), confirm=True)
    after = api(f"/sites/{SITE_ID}/release-buses", MANAGER_TOKEN)["buses"]
    seated = {p["name"] for b in after for p in b["passengers"]}
    check(set(chosen) <= seated, f"the two released have seats on a bus: {chosen} not in {seated}")
    # The seeded bus leaves: recorded after a confirmation, and its time shows in place of the button.
    bus = seeded[0]["id"]
    depart = f"form[action$='/release/buses/{bus}/departure'] button"
    submit(driver.find_element(By.CSS_SELECTOR, depart), confirm=True)
    check(not driver.find_elements(By.CSS_SELECTOR, depart), "a bus that left offers no departure button")
    left = [b for b in api(f"/sites/{SITE_ID}/release-buses", MANAGER_TOKEN)["buses"] if b["id"] == bus]
    check(left and left[0].get("departedAt"), f"the departure is recorded: {left}")
    sign_out(driver)
    # Its committee answers from the link it was sent, on a phone, without signing in.
    notices = api(f"/sites/{SITE_ID}/committee-notices", MANAGER_TOKEN)
    waiting = [n for n in notices if n["busId"] == bus and not n.get("acknowledgedAt")]
    check(waiting, f"the seeded bus's committee has not answered yet: {notices}")
    driver.get(waiting[0]["link"].replace(waiting[0]["link"].split("/committee-notice/")[0], BASE))
    check(driver.find_elements(By.CSS_SELECTOR, "table th[scope=row]"), "the committee sees who arrives")
    driver.find_element(By.ID, "ack-name").send_keys("居委周主任")
    submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    answered = driver.find_element(By.CSS_SELECTOR, ".notice.ok[role=status]").text
    check("居委周主任" in answered, f"the answer is recorded with who gave it: {answered}")
    again = [n for n in api(f"/sites/{SITE_ID}/committee-notices", MANAGER_TOKEN) if n["id"] == waiting[0]["id"]]
    check(again and again[0].get("acknowledgedBy") == "居委周主任", f"the site sees the answer: {again}")


@flow
def the_district_commander_signs_in_to_the_district_board():
    sign_in(driver, "cmd-wu")
    check("/console/districts/" in driver.current_url, f"the commander lands on the district board, not {driver.current_url}")
    sites = [e.get_attribute("data-site") for e in driver.find_elements(By.CSS_SELECTOR, "[data-site]")]
    check({"JS-01", "JS-02"} <= set(sites), f"the board lists the district's sites: {sites}")
    sign_out(driver)
    # JS-02, a hotel, has no Party branch: its manager is offered no branch page, and the
    # address of one answers with the site's navigation still there.
    sign_in(driver, "manager-qian")
    driver.get(BASE + "/console/sites/JS-02")
    nav = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "nav.site-nav a")]
    check(nav and all("/branch" not in h for h in nav), f"no branch link for a site without a branch: {nav}")
    driver.get(BASE + "/console/sites/JS-02/branch")
    check(driver.find_elements(By.CSS_SELECTOR, "nav.site-nav a"), "a page that is not there keeps the site's navigation")
    sign_out(driver)


driver.quit()
print(json.dumps({"failed": failures}))
sys.exit(1 if failures else 0)
