"""Pages of the appels à projets. Published calls, selected projects, conventions' summaries, the
consolidation and the open data are public; the rest follows `perms`. A page a user may not see does not
exist for them (404; an anonymous visitor is asked to sign in first); an action they may not take is a 403.
State changes go through `services`, list reads through `queries`; `common` finds the rows."""
