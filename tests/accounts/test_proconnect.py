"""ProConnect sign-in against a real OpenID provider started for the tests (tests/oidc_provider/: django-oidc-provider
shaped like ProConnect), through HTTP only: the browser is a `requests` session that follows, hop by hop, the
redirects between the live Pacte server and the provider. Nothing of the protocol is mocked: the state, the nonce,
the PKCE verifier, the signatures, the `acr` and the sign-out go over the wire."""

import html
import json
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from pacte.accounts import oidc
from pacte.core.models import OutgoingMail
from tests.accounts.factories import UserFactory
from tests.helpers import text
from tests.oidc_provider import process

pytestmark = pytest.mark.django_db(transaction=True)
proconnect_provider = process.proconnect_provider
proconnect = process.proconnect

User = get_user_model()
BACKEND = "pacte.accounts.oidc.ProConnectBackend"


class Agent:
    """A browser: a cookie jar shared by Pacte (localhost) and the provider (127.0.0.1), redirects followed by hand."""

    def __init__(self, pacte_url: str, provider):
        self.pacte = pacte_url
        self.provider = provider
        self.http = requests.Session()
        self.authorize_url = ""

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.http.get(urljoin(self.pacte + "/", url), allow_redirects=False, timeout=20, **kwargs)

    def click_proconnect(self) -> str:
        """Pacte's button: the authorization request it sends the browser to."""
        answer = self.get("/comptes/proconnect/connexion/?next=/mon-espace/")
        assert answer.status_code == 302
        self.authorize_url = answer.headers["Location"]
        return self.authorize_url

    def sign_in_at_provider(self, username: str, authorize_url: str | None = None) -> str:
        """The provider's sign-in page, then its answer: the address it sends the browser back to."""
        authorize_url = authorize_url or self.click_proconnect()
        answer = self.get(authorize_url)
        if answer.status_code == 302 and "/connexion/" in answer.headers["Location"]:
            login = urljoin(authorize_url, answer.headers["Location"])
            form = self.get(login)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            answer = self.http.post(
                login,
                data={
                    "csrfmiddlewaretoken": token,
                    "username": username,
                    "password": process.PASSWORD,
                    "next": parse_qs(urlsplit(login).query)["next"][0],
                },
                allow_redirects=False,
                timeout=20,
            )
            assert answer.status_code == 302, answer.text
            answer = self.get(urljoin(login, answer.headers["Location"]))
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def sign_in(self, username: str, authorize_url: str | None = None) -> requests.Response:
        """The whole journey: Pacte's answer to the provider's redirect."""
        callback = self.sign_in_at_provider(username, authorize_url)
        assert callback.startswith(self.pacte + process.CALLBACK), callback
        return self.get(callback)

    def csrf_token(self) -> str:
        page = self.get("/comptes/profil/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def browsers(live_server, proconnect):
    """New browsers, their connections closed at the end of the test."""
    opened = []

    def new() -> Agent:
        opened.append(Agent(live_server.url, proconnect))
        return opened[-1]

    yield new
    for browser in opened:
        browser.http.close()


@pytest.fixture
def agent(browsers):
    return browsers()


@pytest.fixture
def alice():
    """The Pacte account of the provider's agent « agent », with her address in lower case."""
    return UserFactory(
        username="alice",
        first_name="Alice",
        last_name="Martin",
        ddets=True,
        email="alice.martin@interieur.gouv.fr",
    )


def with_param(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_in(agent: Agent) -> bool:
    return agent.get("/mon-espace/").status_code == 200


def test_the_backend_is_listed_in_the_settings(settings):
    assert BACKEND in settings.AUTHENTICATION_BACKENDS


# --- Signing in ---------------------------------------------------------------------------------------------


def test_the_authorization_request_carries_state_nonce_pkce_and_the_acr_asked(agent, proconnect):
    params = parse_qs(urlsplit(agent.click_proconnect()).query)
    assert agent.authorize_url.startswith(proconnect.base + "/authorize?")
    assert params["response_type"] == ["code"]
    assert params["client_id"] == [process.CLIENT_ID]
    assert params["redirect_uri"] == [agent.pacte + process.CALLBACK]
    assert params["scope"] == ["openid email given_name usual_name"]
    assert len(params["state"][0]) >= 32 and len(params["nonce"][0]) >= 32
    assert params["code_challenge_method"] == ["S256"] and len(params["code_challenge"][0]) >= 43
    claims = json.loads(params["claims"][0])
    assert claims["id_token"]["acr"] == {
        "essential": True,
        "values": ["eidas1", "eidas1-mfa", "eidas2", "eidas3"],
    }
    assert claims["id_token"]["amr"] is None


def test_an_agent_is_matched_by_address_and_lands_on_mon_espace(agent, alice):
    answer = agent.sign_in("agent")

    assert answer.status_code == 302 and answer.headers["Location"] == "/mon-espace/"
    assert signed_in(agent)
    alice.refresh_from_db()
    assert alice.proconnect_sub  # the provider's sub, stored at the first sign-in
    assert alice.role == "ddets"  # nothing of the account changed but the link
    assert not OutgoingMail.objects.exists()


def test_a_later_sign_in_finds_the_account_by_sub_first(browsers, alice):
    browsers().sign_in("agent")
    alice.refresh_from_db()
    alice.email = "alice.martin@ailleurs.gouv.fr"  # the address changed in Pacte since
    alice.save()

    later = browsers()
    assert later.sign_in("agent").headers["Location"] == "/mon-espace/"
    assert User.objects.count() == 1
    assert "Alice Martin" in text_of(later.get("/mon-espace/"))


def text_of(answer: requests.Response) -> str:
    return answer.content.decode()


def test_an_agent_without_account_gets_one_waiting_for_a_role_and_the_administrators_are_told(
    agent, browsers, settings
):
    settings.ADMINS = [("Équipe Pacte", "equipe@pacte.example")]
    UserFactory(username="admin", is_staff=True, email="admin@pacte.example")
    UserFactory(username="ancien-admin", is_staff=True, is_active=False, email="ancien@pacte.example")

    answer = agent.sign_in("nouvel-agent")

    assert answer.headers["Location"] == "/mon-espace/"
    user = User.objects.get(email="nadia.roux@travail.gouv.fr")
    assert (user.role, user.territory, user.organisation) == ("", None, None)
    assert (user.first_name, user.last_name) == ("Nadia", "Roux")
    assert not user.has_usable_password() and user.proconnect_sub
    page = text_of(agent.get("/mon-espace/"))
    assert oidc.PENDING_MESSAGE.replace("'", "&#x27;") in page
    mail = OutgoingMail.objects.get()
    assert sorted(mail.to) == ["admin@pacte.example", "equipe@pacte.example"]
    assert "Nadia Roux" in mail.body and "nadia.roux@travail.gouv.fr" in mail.body
    assert f"/admin/accounts/user/{user.pk}/change/" in mail.body
    # Nothing else of the agent: her sub stays out of the mail.
    assert len(user.proconnect_sub) == 64 and user.proconnect_sub not in mail.body

    # Her second sign-in finds the same account, and nobody is told again.
    again = browsers()
    assert again.sign_in("nouvel-agent").headers["Location"] == "/mon-espace/"
    assert User.objects.filter(email__iexact="nadia.roux@travail.gouv.fr").count() == 1
    assert OutgoingMail.objects.count() == 1


def test_two_accounts_with_the_address_are_refused(agent, alice):
    UserFactory(username="alice2", email="ALICE.martin@interieur.gouv.fr")

    answer = agent.sign_in("agent")

    assert answer.status_code == 403
    assert "Plusieurs comptes Pacte portent votre adresse" in text_of(answer)
    assert not signed_in(agent)
    assert not User.objects.exclude(proconnect_sub=None).exists()


def test_an_inactive_account_is_refused(agent):
    UserFactory(username="alice", email="alice.martin@interieur.gouv.fr", is_active=False)

    answer = agent.sign_in("agent")

    assert answer.status_code == 403 and "est désactivé" in text_of(answer)
    assert User.objects.count() == 1


def test_an_authentication_below_eidas1_is_refused(agent):
    UserFactory(username="bruno", email="bruno.petit@example.fr", ddets=True)

    answer = agent.sign_in("agent-faible")

    assert answer.status_code == 403
    assert "Le niveau d&#x27;authentification transmis par ProConnect (eidas0) ne suffit pas" in text_of(
        answer
    )
    assert not signed_in(agent)
    assert not User.objects.exclude(proconnect_sub=None).exists()


def test_a_required_authentication_method_missing_from_amr_is_refused(agent, alice, settings):
    settings.PROCONNECT_AMR_REQUIRED = "mfa"  # the provider's agents sign in with a password only

    answer = agent.sign_in("agent")

    assert answer.status_code == 403 and "authentification à deux facteurs" in text_of(answer)
    assert not signed_in(agent)


def test_an_address_the_provider_did_not_verify_is_refused(agent):
    answer = agent.sign_in("non-verifie")

    assert answer.status_code == 403 and "pas vérifiée" in text_of(answer)
    assert not User.objects.exists()


# --- State, nonce, PKCE ---------------------------------------------------------------------------------------


def test_an_answer_with_another_state_is_refused(agent, alice):
    callback = agent.sign_in_at_provider("agent")

    answer = agent.get(with_param(callback, state="x" * 43))

    assert answer.status_code == 400
    assert "ne correspond à aucune connexion en cours" in text_of(answer)
    assert not signed_in(agent)


def test_an_answer_serves_once(agent, alice):
    callback = agent.sign_in_at_provider("agent")
    assert agent.get(callback).status_code == 302

    assert agent.get(callback).status_code == 400  # its state is used up


def test_an_answer_from_another_browser_is_refused(browsers, alice):
    callback = browsers().sign_in_at_provider("agent")

    thief = browsers()
    answer = thief.get(callback)

    assert answer.status_code == 400
    assert not signed_in(thief)


def test_an_id_token_with_another_nonce_is_refused(agent, alice):
    authorize = with_param(agent.click_proconnect(), nonce="n" * 43)  # the provider signs this nonce

    answer = agent.sign_in("agent", authorize)

    assert answer.status_code == 403
    assert "n&#x27;a pas pu être vérifiée" in text_of(answer)
    assert not signed_in(agent)


def test_a_code_asked_with_another_pkce_challenge_is_refused(agent, alice):
    authorize = with_param(agent.click_proconnect(), code_challenge="c" * 43)  # not the session's verifier

    answer = agent.sign_in("agent", authorize)

    assert answer.status_code == 403
    assert "ProConnect n&#x27;a pas confirmé la connexion" in text_of(answer)
    assert not signed_in(agent)


def test_an_id_token_from_another_issuer_is_refused(agent, alice, settings, proconnect):
    # The same provider reached under another name: its tokens name 127.0.0.1 as their issuer.
    settings.PROCONNECT_URL = proconnect.base.replace("127.0.0.1", "localhost")

    answer = agent.sign_in("agent")

    assert answer.status_code == 403
    assert "n&#x27;a pas pu être vérifiée" in text_of(answer)
    assert not signed_in(agent)


def test_an_error_sent_back_by_proconnect_is_said_in_french(agent):
    state = parse_qs(urlsplit(agent.click_proconnect()).query)["state"][0]

    answer = agent.get(f"{process.CALLBACK}?error=access_denied&state={state}")

    assert answer.status_code == 403
    assert "ProConnect a interrompu la connexion (erreur « access_denied »)" in text_of(answer)


# --- Signing out ----------------------------------------------------------------------------------------------


def test_signing_out_ends_the_proconnect_session_too(agent, alice, proconnect):
    agent.sign_in("agent")

    answer = agent.http.post(
        agent.pacte + "/comptes/deconnexion/",
        data={"csrfmiddlewaretoken": agent.csrf_token()},
        headers={"Referer": agent.pacte + "/"},
        allow_redirects=False,
        timeout=20,
    )

    # Pacte's session ends first; a page of Pacte then takes the browser to ProConnect (a form may not redirect
    # to another site: form-action 'self').
    assert answer.status_code == 302 and answer.headers["Location"] == "/comptes/proconnect/fin-de-session/"
    assert not signed_in(agent)
    way_out = agent.get(answer.headers["Location"])
    end_session = html.unescape(
        re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', way_out.text).group(1)
    )
    assert end_session.startswith(proconnect.base + "/session/end?")
    assert agent.get(answer.headers["Location"]).headers["Location"] == "/"  # served once
    params = parse_qs(urlsplit(end_session).query)
    assert params["post_logout_redirect_uri"] == [agent.pacte + process.LOGOUT_CALLBACK]
    assert len(params["state"][0]) >= 32 and params["id_token_hint"][0].count(".") == 2

    back = agent.get(end_session)  # the provider ends its session and sends the browser back
    assert back.status_code == 302
    assert back.headers["Location"] == agent.pacte + process.LOGOUT_CALLBACK + "?" + urlencode(
        {"state": params["state"][0]}
    )
    home = agent.get(back.headers["Location"])
    assert home.status_code == 302 and home.headers["Location"] == "/"
    assert "Vous êtes déconnecté de Pacte et de ProConnect." in text_of(agent.get("/"))

    # The provider asks for the password again: its session is over.
    again = agent.get(agent.click_proconnect())
    assert again.status_code == 302 and "/connexion/" in again.headers["Location"]


def test_a_sign_out_coming_back_with_another_state_is_not_confirmed(agent, alice):
    agent.sign_in("agent")
    agent.http.post(
        agent.pacte + "/comptes/deconnexion/",
        data={"csrfmiddlewaretoken": agent.csrf_token()},
        allow_redirects=False,
        timeout=20,
    )

    agent.get(process.LOGOUT_CALLBACK + "?state=autre")

    assert "ProConnect n&#x27;a pas confirmé la fin de votre session" in text_of(agent.get("/"))


def test_signing_out_of_a_local_account_stays_in_pacte(client, proconnect):
    user = UserFactory(ddets=True)
    client.force_login(user)

    answer = client.post("/comptes/deconnexion/")

    assert answer.status_code == 302 and answer["Location"] == "/"


# --- The login page, and ProConnect turned off ------------------------------------------------------------------


def test_the_login_page_offers_proconnect_when_it_is_configured(client, proconnect):
    page = text(client.get("/comptes/connexion/?next=/mon-espace/"))

    assert (
        'class="fr-connect pacte-proconnect" href="/comptes/proconnect/connexion/?next=/mon-espace/"' in page
    )
    assert "S’identifier avec" in page and "Qu’est-ce que ProConnect ?" in page
    assert 'href="https://www.proconnect.gouv.fr/"' in page


def test_local_accounts_keep_signing_in_when_proconnect_is_configured(client, proconnect):
    UserFactory(username="asso", association=True)

    answer = client.post("/comptes/connexion/", {"username": "asso", "password": "motdepasse-de-test"})

    assert answer.status_code == 302


@pytest.mark.parametrize(
    "url", ["/comptes/proconnect/connexion/", process.CALLBACK + "?code=c&state=s", process.LOGOUT_CALLBACK]
)
def test_proconnect_is_off_without_its_settings(client, settings, url):
    settings.PROCONNECT_CLIENT_ID = ""
    assert not oidc.enabled()
    assert client.get(url).status_code == 404
    assert "ProConnect" not in text(client.get("/comptes/connexion/"))


def test_the_demo_shows_the_button_greyed_out_without_a_client(client, settings):
    settings.PROCONNECT_CLIENT_ID = ""
    settings.DEMO_MODE = True

    page = text(client.get("/comptes/connexion/"))

    assert 'class="fr-connect pacte-proconnect" role="link" aria-disabled="true"' in page
    assert "En démonstration, ProConnect n’est pas branché" in page
    assert "/comptes/proconnect/connexion/" not in page


def test_the_way_out_and_the_return_from_proconnect_send_a_visitor_without_sign_out_home(client, proconnect):
    assert client.get("/comptes/proconnect/fin-de-session/")["Location"] == "/"
    answer = client.get(process.LOGOUT_CALLBACK)
    assert answer["Location"] == "/"
    assert "déconnecté" not in text(client.get("/"))


def test_refused_proconnect_sign_ins_do_not_lock_out_the_next_agent(browsers, alice, settings):
    # django-axes counts password failures by username and address; a ProConnect refusal is no password guess.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert browsers().sign_in("agent-faible").status_code == 403

    answer = browsers().sign_in("agent")

    assert answer.status_code == 302 and answer.headers["Location"] == "/mon-espace/"
