"""Signing in: sessions kept on the server, a pause after repeated failures, CSRF on every form."""

from datetime import timedelta

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.models import ConsoleStoreEntry, User
from recruitment.services import users
from recruitment.services.users import MAX_FAILED_SIGN_INS
from tests.console.conftest import PASSWORD, Person, create_user, csrf_token, sign_in
from tests.factories import Factory

SESSION_COOKIE = "console_session"
# Where httpx's cookie jar files the cookies of http://test.
COOKIE_SCOPE = {"domain": "test.local", "path": "/console"}


async def test_a_page_asks_to_sign_in_first_and_comes_back_after(
    client: httpx.AsyncClient, staff: Person
) -> None:
    response = await client.get("/console/growers")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fgrowers"
    form = await client.get(response.headers["location"])
    signed_in = await client.post(
        "/console/sign-in",
        data={
            "_csrf_token": csrf_token(form.text),
            "email": "STAFF@program.example",  # addresses are matched whatever their case
            "password": PASSWORD,
            "next": "/console/growers",
        },
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/console/growers"
    assert (await client.get("/console/growers")).status_code == 200


async def test_the_session_cookie_holds_only_an_id_and_stays_within_the_console(
    client: httpx.AsyncClient, staff: Person, session: AsyncSession
) -> None:
    response = await sign_in(client, staff)
    cookie = next(c for c in response.headers.get_list("set-cookie") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie
    assert "Path=/console" in cookie
    assert "SameSite=lax" in cookie
    session_id = client.cookies[SESSION_COOKIE]
    stored = await session.get(ConsoleStoreEntry, f"sessions:{session_id}")
    assert stored is not None
    assert stored.expires_at is not None


async def test_the_sign_in_page_stores_no_session_for_an_anonymous_visit(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await client.get("/console/sign-in")
    assert response.status_code == 200
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    entries = await session.exec(
        select(ConsoleStoreEntry).where(col(ConsoleStoreEntry.key).startswith("sessions:"))
    )
    assert list(entries) == []


async def test_a_session_id_planted_before_sign_in_is_not_adopted(
    client: httpx.AsyncClient, staff: Person
) -> None:
    planted = "a" * 64
    client.cookies.set(SESSION_COOKIE, planted, **COOKIE_SCOPE)
    await sign_in(client, staff)
    assert client.cookies[SESSION_COOKIE] != planted
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://test")
    stranger.cookies.set(SESSION_COOKIE, planted, **COOKIE_SCOPE)
    assert (await stranger.get("/console/flags")).status_code == 303


async def test_signing_out_ends_the_session_on_the_server(
    client: httpx.AsyncClient, staff: Person
) -> None:
    await sign_in(client, staff)
    session_id = client.cookies[SESSION_COOKIE]
    page = await client.get("/console/flags")
    await client.post("/console/sign-out", data={"_csrf_token": csrf_token(page.text)})
    # Even a copy of the old cookie no longer opens anything.
    client.cookies.set(SESSION_COOKIE, session_id, **COOKIE_SCOPE)
    assert (await client.get("/console/flags")).status_code == 303


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: httpx.AsyncClient, staff: Person
) -> None:
    wrong_password = await sign_in(client, staff, "not the password at all")
    unknown = await sign_in(client, Person("nobody@program.example"))
    assert wrong_password.status_code == unknown.status_code == 401
    assert "The email or the password is not right" in wrong_password.text
    assert "The email or the password is not right" in unknown.text
    assert SESSION_COOKIE not in client.cookies


async def test_repeated_failures_pause_the_account_then_it_opens_again(
    client: httpx.AsyncClient, staff: Person, session: AsyncSession
) -> None:
    for _ in range(MAX_FAILED_SIGN_INS):
        await sign_in(client, staff, "a guess that is wrong")
    locked = await sign_in(client, staff)  # even the right password waits
    assert locked.status_code == 401
    assert "paused for 15 minutes" in locked.text
    user = (await session.exec(select(User).where(User.email == staff.email))).one()
    await session.refresh(user)
    assert user.locked_until is not None
    with clock.as_of(clock.today() + timedelta(days=1)):
        assert (await sign_in(client, staff)).status_code == 303


async def test_a_form_posted_without_its_csrf_token_is_refused(
    client: httpx.AsyncClient, staff: Person
) -> None:
    response = await client.post(
        "/console/sign-in", data={"email": staff.email, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "security token" in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_the_api_keeps_its_keys_and_gets_no_cookie_and_no_csrf_check(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    credentials = await factory.key("staff")
    response = await client.post(
        "/growers",
        json={
            "legal_name": "Cosecha Limpia LLC",
            "fein": "59-7654321",
            "street": "1 Row Rd",
            "city": "Immokalee",
            "state": "FL",
            "postal_code": "34142",
        },
        headers=credentials.headers,
    )
    assert response.status_code == 201, response.text
    assert "set-cookie" not in response.headers


async def test_after_signing_in_a_next_page_elsewhere_is_ignored(
    client: httpx.AsyncClient, staff: Person
) -> None:
    form = await client.get("/console/sign-in")
    response = await client.post(
        "/console/sign-in",
        data={
            "_csrf_token": csrf_token(form.text),
            "email": staff.email,
            "password": PASSWORD,
            "next": "https://elsewhere.example/console",
        },
    )
    assert response.headers["location"] == "/console"


async def test_the_chosen_language_is_remembered(client: httpx.AsyncClient, staff: Person) -> None:
    form = await client.get("/console/sign-in")
    assert '<html lang="en">' in form.text
    chosen = await client.post(
        "/console/language",
        data={"_csrf_token": csrf_token(form.text), "language": "es", "back": "/console/sign-in"},
    )
    assert chosen.headers["location"] == "/console/sign-in"
    again = await client.get("/console/sign-in")
    assert '<html lang="es">' in again.text
    assert "Iniciar sesión" in again.text


async def test_the_browsers_language_is_the_first_guess(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/console/sign-in", headers={"Accept-Language": "fr-FR, es-MX;q=0.8, en;q=0.5"}
    )
    assert '<html lang="es">' in response.text


async def test_the_console_stays_out_of_the_api_document(client: httpx.AsyncClient) -> None:
    document = await client.get("/schema/openapi.json")
    assert "/console" not in document.text


async def test_htmx_is_served_from_this_site(client: httpx.AsyncClient) -> None:
    response = await client.get("/console/static/htmx.min.js")
    assert response.status_code == 200
    assert response.text.startswith("var htmx=")


async def test_password_hashes_use_argon2id_at_its_recommended_cost(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(users, "HASHER", PasswordHasher())
    await create_user(session, "ana@program.example", "staff")
    user = (await session.exec(select(User).where(User.email == "ana@program.example"))).one()
    # RFC 9106's second recommended profile: 64 MiB, 3 passes, 4 lanes.
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in user.password_hash
    assert (await users.sign_in(session, "ana@program.example", PASSWORD)).user is not None
