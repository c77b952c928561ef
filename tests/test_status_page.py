"""The status page as an operator uses it: a real `handoff serve`-like Service on loopback, driven in
headless Chromium (Debian's `chromium` + `chromium-driver`, through selenium), and its access rules
checked with plain aiohttp requests, on a listener forced to "exposed" by `[http] require_auth` and on a
real non-loopback address of this machine.

Without chromium the browser tests are skipped saying why, except under CI (`.ci/run` installs it),
where they fail. One screenshot goes to tests/artifacts/status.png (gitignored), for a person to look at.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from handoff.errors import ConfigError
from handoff.service import Service
from handoff.settings import Settings
from handoff.smtp_auth import hash_password
from tests.conftest import settings_for
from tests.test_e2e import smtp_send, wait_final

SAMPLES = Path(__file__).parent.parent / "samples"
ARTIFACTS = Path(__file__).parent / "artifacts"
TOKEN = "t0ken-for-the-status-page-tests"
BROWSER_SECONDS = 150  # the whole browser scenario; each page load has its own 20 s limit
INTERNAL = ["acme-support.com", "acme.example", "handoff.test"]


def mail(sender: str, name: str, subject: str, body: str, msgid: str) -> bytes:
    return (
        f"From: {name} <{sender}>\r\nTo: cases@handoff.test\r\nSubject: {subject}\r\n"
        f"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <{msgid}>\r\n\r\n{body}\r\n"
    ).encode()


async def send(service: Service, raw: bytes) -> int:
    return await asyncio.to_thread(smtp_send, service.smtp_port, raw)


# -- the browser ---------------------------------------------------------------------------------------
def _chromium() -> tuple[str, str]:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    problem = None
    if not (browser and driver):
        problem = "chromium and chromedriver not installed (apt-get install -y chromium chromium-driver)"
    else:
        try:
            import selenium  # noqa: F401
        except ImportError:
            problem = "selenium is not installed (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    assert browser and driver
    return browser, driver


@pytest.fixture
def browser() -> Iterator[Any]:
    path, driver_path = _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = path
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1440,1000",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",  # offline: no update checks, no external requests
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=DriverService(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(10)
    try:
        yield driver
    finally:
        driver.quit()


def embedded_settings(tmp_path: Path, **http: Any) -> Settings:
    """The embedded sandbox defaults `handoff serve` runs on without a config, on free loopback ports."""
    return Settings(
        smtp={"host": "127.0.0.1", "port": 0, "recipients": ["cases@handoff.test"]},
        http={"host": "127.0.0.1", "port": 0, **http},
        spool={"url": f"sqlite:///{tmp_path}/handoff.db", "retry": {"base_seconds": 0.05, "max_seconds": 0.2}},
        triage={"internal_domains": INTERNAL},
        moengage={"enabled": True, "base_url": "sandbox"},
    )


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[Service]:
    svc = Service(embedded_settings(tmp_path))
    await svc.start()
    yield svc
    await svc.stop()


def wait_for(check: Callable[[], Any], within: float = 20, what: str = "") -> Any:
    """Until `check` holds; an element of the page being replaced (stale, not there yet) is "not yet"."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.monotonic() + within
    while True:
        try:
            value = check()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what}")
        time.sleep(0.1)


async def test_operator_filters_searches_opens_and_retries_in_chromium(embedded: Service, browser: Any) -> None:
    svc = embedded
    assert svc.parts is not None
    sandbox = svc.parts.connection.sandbox
    # Dataverse refuses the next change set with a validation error (dataverse.md: 400 + error code):
    # the handoff is parked with that reason until an operator retries it.
    sandbox.fail("POST $batch", 400, times=1, code="0x80040203")
    parked = await send(svc, mail("lee@example.com", "Lee Park", "App crashes on start", "Crash.", "p-1@example.com"))
    assert (await wait_final(svc, parked)).state == "parked"
    ids = {}
    for name in ("01-gmail-forward-refund.eml", "02-outlook-forward-login.eml", "04-out-of-office.eml"):
        ids[name] = await send(svc, (SAMPLES / name).read_bytes())
        await wait_final(svc, ids[name])
    maria = await svc.parts.spool.get(ids["01-gmail-forward-refund.eml"])
    assert maria is not None and maria.state == "created" and maria.ticket_number
    skipped = await svc.parts.spool.get(ids["04-out-of-office.eml"])
    assert skipped is not None and skipped.state == "skipped"
    base = f"http://127.0.0.1:{svc.http_port}"
    org = svc.parts.connection.org_url.rstrip("/")

    def scenario() -> str:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        d = browser

        def rows() -> list[Any]:
            return d.find_elements(By.CSS_SELECTOR, "#handoffs tbody tr[data-id]")

        def ids() -> list[str]:
            return [r.get_attribute("data-id") for r in rows()]

        def tile(state: str) -> str:
            return str(d.find_element(By.CSS_SELECTOR, f"#counts a[data-state={state}] b").text)

        d.get(base + "/")
        assert "SANDBOX MODE" in d.find_element(By.ID, "sandbox-banner").text
        assert (tile("all"), tile("created"), tile("skipped"), tile("parked")) == ("4", "2", "1", "1")
        assert "MoEngage events" in d.find_element(By.ID, "events").text
        assert len(rows()) == 4
        first = d.find_element(By.CSS_SELECTOR, f"tr[data-id='{maria.id}']")
        assert "maria.lopez@example.org" in first.text and "Refund" in first.text
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n(just now|\d+ s ago)", first.text)
        link = first.find_element(By.CSS_SELECTOR, "a.ticket")
        assert link.text == maria.ticket_number
        assert link.get_attribute("href") == (
            f"{org}/main.aspx?pagetype=entityrecord&etn=incident&id={maria.incident_id}"
        )
        out_of_office = d.find_element(By.CSS_SELECTOR, f"tr[data-id='{skipped.id}']")
        assert f"{skipped.skipped_guard}:" in out_of_office.text
        # For a person to look at: every state but queued, a parked one with its Retry button.
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "status.png"
        d.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000

        # Filter by state with the form; the URL carries it.
        Select(d.find_element(By.ID, "state")).select_by_value("parked")
        d.find_element(By.ID, "apply").click()
        wait_for(lambda: "state=parked" in d.current_url and ids() == [str(parked)], what="filtered to parked")
        reason = d.find_element(By.CSS_SELECTOR, f"tr[data-id='{parked}'] .reason")
        assert "0x80040203" in (reason.get_attribute("title") or "")

        # Auto-refresh and "Refresh now" keep the filter.
        Select(d.find_element(By.ID, "refresh")).select_by_value("30")
        d.find_element(By.ID, "apply").click()
        wait_for(lambda: "refresh=30" in d.current_url, what="refresh in the URL")
        assert "state=parked" in d.current_url
        meta = wait_for(lambda: d.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]"), what="meta refresh")
        assert meta.get_attribute("content") == "30"
        d.find_element(By.ID, "reload").click()
        wait_for(lambda: "state=parked" in d.current_url and "refresh=30" in d.current_url, what="kept filter")

        # Search by customer, then by ticket number.
        d.get(base + "/")
        d.find_element(By.ID, "q").send_keys("maria.lopez")
        d.find_element(By.ID, "apply").click()
        wait_for(lambda: "q=maria.lopez" in d.current_url and ids() == [str(maria.id)], what="customer search")
        box = d.find_element(By.ID, "q")
        box.clear()
        box.send_keys(str(maria.ticket_number))
        d.find_element(By.ID, "apply").click()
        ticket = f"q={maria.ticket_number}"
        wait_for(lambda: ticket in d.current_url and ids() == [str(maria.id)], what="ticket search")

        # Open the handoff: envelope, customer, thread, triage; back keeps the search.
        d.find_element(By.CSS_SELECTOR, f"tr[data-id='{maria.id}'] td a").click()
        wait_for(lambda: f"/handoff/{maria.id}" in d.current_url, what="handoff page")
        wait_for(lambda: d.find_element(By.ID, "state").text == "created", what="handoff page loaded")
        assert "sam@acme.example" in d.find_element(By.ID, "envelope").text
        assert "maria.lopez@example.org" in d.find_element(By.ID, "customer").text
        assert "customer" in d.find_element(By.ID, "thread").text
        assert "Refund" in d.find_element(By.ID, "triage").text
        d.find_element(By.ID, "back").click()
        wait_for(lambda: "q=" in d.current_url, what="back to the search")

        # Paging.
        d.get(base + "/status?per=2")
        assert len(rows()) == 2 and "page 1 of 2" in d.find_element(By.ID, "pager").text
        d.find_element(By.ID, "next").click()
        wait_for(lambda: "page=2" in d.current_url and len(rows()) == 2, what="page 2")
        assert "per=2" in d.current_url

        # Retry the parked one from the filtered list: it is queued again and becomes created.
        d.get(base + "/status?state=parked")
        d.find_element(By.CSS_SELECTOR, f"tr[data-id='{parked}'] form.retry button").click()
        wait_for(lambda: f"retried={parked}" in d.current_url, what="back after Retry")
        assert "state=parked" in d.current_url
        wait_for(lambda: "queued again" in d.find_element(By.ID, "flash").text, what="the Retry message")

        def created() -> bool:
            d.get(f"{base}/handoff/{parked}")
            return bool(d.find_element(By.ID, "state").text == "created")

        wait_for(created, 30, "the retried handoff created")
        assert d.find_elements(By.CSS_SELECTOR, "#outcome a.ticket")

        d.get(base + "/")
        assert tile("parked") == "0" and tile("created") == "3"
        return str(shot)

    shot = await asyncio.wait_for(asyncio.to_thread(scenario), BROWSER_SECONDS)
    print(f"\nstatus page screenshot: {shot}")


async def test_login_form_in_chromium(tmp_path: Path, browser: Any) -> None:
    svc = Service(embedded_settings(tmp_path, token=TOKEN, require_auth=True))
    await svc.start()
    base = f"http://127.0.0.1:{svc.http_port}"

    def scenario() -> None:
        from selenium.webdriver.common.by import By

        d = browser
        d.get(base + "/status?state=parked")
        wait_for(lambda: "/login" in d.current_url, what="sent to the login form")
        d.find_element(By.ID, "token").send_keys("not-the-token-at-all")
        d.find_element(By.ID, "login").click()
        wait_for(lambda: d.find_elements(By.ID, "error"), what="wrong token refused")
        d.find_element(By.ID, "token").send_keys(TOKEN)
        d.find_element(By.ID, "login").click()
        # Back where the operator was going, filter included.
        wait_for(lambda: d.current_url.endswith("/status?state=parked"), what="logged in")
        assert d.find_element(By.ID, "handoffs")

    try:
        await asyncio.wait_for(asyncio.to_thread(scenario), BROWSER_SECONDS)
    finally:
        await svc.stop()


# -- access rules, with plain requests ----------------------------------------------------------------
def browser_like() -> aiohttp.ClientSession:
    """A client that keeps cookies like a browser does, also for an IP-address host (aiohttp's default
    jar ignores those)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def basic(user: str, password: str) -> dict[str, str]:
    """What a browser sends for basic auth (RFC 7617)."""
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "no CSRF field in the page"
    return match.group(1)


async def park_one(svc: Service, sandbox: Any, tag: str) -> int:
    sandbox.fail("POST $batch", 400, times=1, code="0x80040203")
    spool_id = await send(svc, mail("lee@example.com", "Lee Park", f"Crash {tag}", "It crashes.", f"{tag}@example.com"))
    assert (await wait_final(svc, spool_id)).state == "parked"
    return spool_id


async def exposed_checks(svc: Service, sandbox: Any, base: str) -> None:
    parked = await park_one(svc, sandbox, "exposed")
    async with browser_like() as client:
        # Probes and scrapers need no login.
        for path in ("/healthz", "/readyz", "/metrics"):
            async with client.get(base + path) as resp:
                assert resp.status in (200, 503), path
        # A browser without a session is sent to the login form; the pages themselves are not served.
        for path in ("/", "/status?state=parked", f"/handoff/{parked}"):
            async with client.get(base + path, allow_redirects=False) as resp:
                assert resp.status == 303 and resp.headers["Location"].startswith("/login?next="), path
        async with client.get(base + "/", headers={"Authorization": "Bearer wrong-token-xxxxxxxx"}) as resp:
            assert resp.status == 401 and "Bearer" in resp.headers["WWW-Authenticate"]
        async with client.post(base + f"/handoff/{parked}/retry", allow_redirects=False) as resp:
            assert resp.status == 401
        assert (await svc.parts.spool.get(parked)).state == "parked"  # type: ignore[union-attr]
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        async with client.get(base + "/status", headers=bearer) as resp:
            assert resp.status == 200 and f'data-id="{parked}"' in await resp.text()
    async with browser_like() as client:
        # The login form: wrong token refused, the right one gives a session cookie.
        async with client.get(base + "/login") as resp:
            form = csrf_of(await resp.text())
        async with client.post(base + "/login", data={"csrf": form, "token": "nope-nope-nope-nope"}) as resp:
            assert resp.status == 401
        data = {"csrf": form, "token": TOKEN, "next": "//evil.example/"}
        async with client.post(base + "/login", data=data, allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/"  # never off-site
        async with client.get(base + "/status?state=parked") as resp:
            assert resp.status == 200
            csrf = csrf_of(await resp.text())
        retry = base + f"/handoff/{parked}/retry"
        # Cross-site POSTs are refused even with the session cookie: no token, a foreign Origin, or the
        # browser's own Sec-Fetch-Site saying so.
        async with client.post(retry, data={"next": "/status"}, allow_redirects=False) as resp:
            assert resp.status == 403
        evil = {"Origin": "https://evil.example"}
        async with client.post(retry, data={"csrf": csrf}, headers=evil, allow_redirects=False) as resp:
            assert resp.status == 403
        cross = {"Sec-Fetch-Site": "cross-site"}
        async with client.post(retry, data={"csrf": csrf}, headers=cross, allow_redirects=False) as resp:
            assert resp.status == 403
        assert (await svc.parts.spool.get(parked)).state == "parked"  # type: ignore[union-attr]
        # Behind a reverse proxy that rewrites Host, the browser's host comes in X-Forwarded-Host.
        proxied = {"Origin": "https://ops.example", "X-Forwarded-Host": "elsewhere.example"}
        async with client.post(retry, data={"csrf": csrf}, headers=proxied, allow_redirects=False) as resp:
            assert resp.status == 403
        same = {"Origin": "https://ops.example", "X-Forwarded-Host": "ops.example", "Sec-Fetch-Site": "same-origin"}
        data = {"csrf": csrf, "next": "/status?state=parked"}
        async with client.post(retry, data=data, headers=same, allow_redirects=False) as resp:
            assert resp.status == 303
            assert resp.headers["Location"] == f"/status?state=parked&retried={parked}"
    item = await wait_final(svc, parked)
    assert item.state == "created", item.last_error


async def test_require_auth_guards_pages_and_actions_not_probes(tmp_path: Path, sandbox: Any) -> None:
    svc = Service(settings_for(tmp_path, sandbox, http={"require_auth": True, "token": TOKEN}))
    await svc.start()
    try:
        await exposed_checks(svc, sandbox, f"http://127.0.0.1:{svc.http_port}")
    finally:
        await svc.stop()


def _outward_address() -> str | None:
    """An address of this machine that is not loopback (the one a route out would use), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the source address
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


async def test_non_loopback_listener_needs_a_login(tmp_path: Path, sandbox: Any) -> None:
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to bind to (require_auth covers the rules)")
    refused = Service(settings_for(tmp_path, sandbox, http={"host": address}))
    with pytest.raises(ConfigError, match=r"\[http\] token: required because \[http\] host"):
        await refused.start()
    await refused.stop()
    svc = Service(settings_for(tmp_path, sandbox, http={"host": address, "token": TOKEN}))
    await svc.start()
    try:
        await exposed_checks(svc, sandbox, f"http://{address}:{svc.http_port}")
    finally:
        await svc.stop()


async def test_basic_auth_with_the_smtp_password_hash(tmp_path: Path, sandbox: Any) -> None:
    # A cheap scrypt cost keeps the test fast; the format and the check are the ones of [[smtp.users]].
    http = {"require_auth": True, "user": "ops", "password_hash": hash_password("s3cret pass", n=1024)}
    svc = Service(settings_for(tmp_path, sandbox, http=http))
    await svc.start()
    base = f"http://127.0.0.1:{svc.http_port}"
    try:
        async with browser_like() as client:
            async with client.get(base + "/", headers=basic("ops", "wrong")) as resp:
                assert resp.status == 401 and "Basic" in resp.headers["WWW-Authenticate"]
            async with client.get(base + "/", headers=basic("nobody", "s3cret pass")) as resp:
                assert resp.status == 401
            async with client.get(base + "/", headers=basic("ops", "s3cret pass")) as resp:
                assert resp.status == 200 and "handoffs" in await resp.text()
            # The session cookie it got spares the password (and the scrypt) on the next pages.
            async with client.get(base + "/status") as resp:
                assert resp.status == 200
        async with browser_like() as client:
            async with client.get(base + "/login") as resp:
                csrf = csrf_of(await resp.text())
            data = {"csrf": csrf, "user": "ops", "password": "s3cret pass", "next": "/status"}
            async with client.post(base + "/login", data=data, allow_redirects=False) as resp:
                assert resp.status == 303 and resp.headers["Location"] == "/status"
            async with client.get(base + "/status") as resp:
                assert resp.status == 200
    finally:
        await svc.stop()


async def test_loopback_is_open_but_forged_posts_are_refused(tmp_path: Path, sandbox: Any) -> None:
    svc = Service(settings_for(tmp_path, sandbox))
    await svc.start()
    base = f"http://127.0.0.1:{svc.http_port}"
    try:
        parked = await park_one(svc, sandbox, "loopback")
        async with browser_like() as client:
            async with client.get(base + "/") as resp:
                assert resp.status == 200
                page = await resp.text()
            assert "SANDBOX MODE" not in page  # a real-looking organisation URL, not the embedded defaults
            # A page on another site the operator visits cannot press Retry on a loopback page.
            async with client.post(base + f"/handoff/{parked}/retry", allow_redirects=False) as resp:
                assert resp.status == 403
            async with client.get(base + "/login?next=/status", allow_redirects=False) as resp:
                assert resp.status == 303 and resp.headers["Location"] == "/status"  # nothing to log in to
            async with client.get(base + "/nothing-here") as resp:
                assert resp.status == 404
            async with client.get(base + "/handoff/999999") as resp:
                assert resp.status == 404 and "No such handoff" in await resp.text()
        assert (await svc.parts.spool.get(parked)).state == "parked"  # type: ignore[union-attr]
    finally:
        await svc.stop()


def test_serve_refuses_an_exposed_listener_without_a_login(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HANDOFF_HTTP__HOST": "0.0.0.0",
        "HANDOFF_HTTP__PORT": "0",
        "HANDOFF_SMTP__PORT": "0",
        "HANDOFF_SPOOL__URL": f"sqlite:///{tmp_path}/handoff.db",
    }
    env.pop("HANDOFF_CONFIG", None)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from handoff.cli import main; sys.exit(main())", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "[http] token: required because [http] host '0.0.0.0' is not loopback" in done.stderr
    assert "HANDOFF_HTTP__TOKEN" in done.stderr and "Traceback" not in done.stderr


async def test_a_handoffs_page_names_the_peer_handoff_saw(tmp_path: Path, sandbox: Any) -> None:
    import smtplib

    def deliver(port: int) -> int:
        with smtplib.SMTP("127.0.0.1", port, timeout=20, source_address=("127.0.0.6", 0)) as client:
            client.ehlo("<b>relay</b>.acme.example")  # the client's words: shown escaped
            client.mail("sam@acme.example")
            client.rcpt("cases@handoff.test")
            code, reply = client.data(mail("lee@example.com", "Lee Park", "Peer", "Where from?", "peer@example.com"))
        assert code == 250, reply
        return int(reply.rsplit(b" ", 1)[1])

    svc = Service(settings_for(tmp_path, sandbox))
    await svc.start()
    try:
        spool_id = await asyncio.to_thread(deliver, svc.smtp_port)
        async with browser_like() as client:
            async with client.get(f"http://127.0.0.1:{svc.http_port}/handoff/{spool_id}") as resp:
                assert resp.status == 200
                page = await resp.text()
    finally:
        await svc.stop()
    peer = re.search(r'<dd id="peer">(.*?)</dd>', page)
    assert peer is not None and peer.group(1) == "127.0.0.6 <small>HELO &lt;b&gt;relay&lt;/b&gt;.acme.example</small>"
    assert "<dt>TLS</dt><dd>none (in clear)</dd>" in page and "<dt>AUTH</dt><dd>none</dd>" in page
