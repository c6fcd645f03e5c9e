"""The web console for program staff and growers: server-rendered pages over the same services,
under the same access rules, as the API. Everything it adds to the application lives under
/console, so that API clients see no session, no cookie and no CSRF check."""
