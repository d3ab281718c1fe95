"""A small OpenID provider shaped like ProConnect (django-oidc-provider 0.9.0), started by the ProConnect tests in a
process of its own (tests/accounts/test_proconnect.py): the same paths under /api/v2 as ProConnect, the `acr` and
`amr` claims in the ID token, the userinfo answer as a signed JWT. It is a test tool, never part of Pacte."""
