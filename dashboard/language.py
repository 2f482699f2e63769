"""The visitor's language in the Streamlit app: chosen once per run by app.py, read by the pages.

The link's `lang` (en, ru, zh) wins when it is new; then what the visitor chose in the sidebar
before, kept in the session; then the browser's language (`st.context.locale`) if it is one of
the three; else English. The choice goes into every link the app writes, so a copied link opens
in the same language. Each session has its own: the value lives in its session state, and the
translator is a plain value made from it (dashboard/i18n.py).
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import DEFAULT, LANGUAGES, Translator, browser_language
from dashboard.urlstate import show_in_url

LANG_KEY = "_lang"  # the session's language
CHOICE_KEY = "lang"  # the sidebar's select box
LINK_LANG_KEY = "_url_lang"  # the language the URL said, as last applied: another one is a new link
SELECTOR_LABEL = "Language · Язык · 语言"  # readable whatever the page's language


def choose_run_language() -> Translator:
    """This run's language (app.py calls it once, before anything is drawn), put in the URL."""
    asked = st.query_params.get("lang")
    if asked in LANGUAGES and st.session_state.get(LINK_LANG_KEY) != asked:
        st.session_state[LANG_KEY] = asked
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        st.session_state[LANG_KEY] = browser_language(st.context.locale) or DEFAULT
    lang = st.session_state[LANG_KEY]
    st.session_state[LINK_LANG_KEY] = lang
    show_in_url(lang=lang)
    return Translator(lang)


def translator() -> Translator:
    """The translator of this run's language (chosen by app.py)."""
    lang = st.session_state.get(LANG_KEY)
    return Translator(lang if lang in LANGUAGES else DEFAULT)


def language_selector() -> None:
    """The sidebar's choice of language; a change reruns the page in it."""
    # the select box's own state is dropped on a run that does not draw it; the session's
    # language is kept apart from it
    st.session_state[CHOICE_KEY] = st.session_state.get(LANG_KEY, DEFAULT)
    st.selectbox(SELECTOR_LABEL, options=list(LANGUAGES), format_func=LANGUAGES.get, key=CHOICE_KEY,
                 on_change=_chosen)


def _chosen() -> None:
    st.session_state[LANG_KEY] = st.session_state[CHOICE_KEY]
