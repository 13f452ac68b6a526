"""The shared themes file: six themes, complete links, every indicator built and documented,
keywords for the survey's free text."""

import pytest

from analysis.publish import config
from analysis.studies import themes
from analysis.studies.profiles import indicators

MINIMAL = """
source: A guide.
themes:
  - id: t
    title: T
    key_messages:
      - {message: a, prompt: b}
      - {message: c, prompt: d}
      - {message: e, prompt: f}
    indicators:
      - {id: x, reasoning: why, limits: what not}
    not_reached: Nothing.
    keywords: [word, phrase here]
indicators:
  x: {title: X, unit: "%", polarity: higher, polarity_reason: r, source: s, years: y,
      period: census, decimals: 1}
"""


def test_package_themes_are_the_six_of_the_research_with_three_messages_each():
    catalogue = themes.load()
    assert [t.id for t in catalogue.themes] == [
        "parents_carers", "joint_working", "identifying_needs", "inclusive_mainstream",
        "specialist_provision", "adulthood"]
    for theme in catalogue.themes:
        assert len(theme.key_messages) == 3
        assert theme.links and theme.not_reached
        for link in theme.links:
            assert len(link.reasoning) > 40 and len(link.limits) > 30, link.indicator
    assert "Isos Partnership" in catalogue.source and "own words" in catalogue.source


def test_every_indicator_has_a_builder_and_every_builder_an_indicator():
    assert set(themes.load().indicators) == set(indicators.BUILDERS)


def test_every_indicator_states_polarity_with_a_reason():
    for meta in themes.load().indicators.values():
        assert meta.polarity in ("higher", "lower", "neither")
        assert len(meta.polarity_reason) > 20, meta.id


def test_the_profiles_publication_takes_the_la_and_its_own_figures():
    pub = config.load_pipeline().get("profiles")
    assert pub.collection and config.notebook_parameters(pub.notebook) == ("la_code", "local_figures")


def test_one_themes_file_serves_the_profiles_and_the_survey_coding():
    from analysis.studies.survey import themes as survey_themes

    coded = {t["name"]: t["keywords"] for t in survey_themes.load_themes()}
    assert list(coded) == [t.title for t in themes.load().themes]
    assert "co-produc*" in coded["Strategic partnership with parents, carers and young people"]


def test_minimal_file_parses():
    catalogue = themes.parse(MINIMAL)
    assert catalogue.theme_of("x").id == "t"
    assert catalogue.indicators["x"].decimals == 1


@pytest.mark.parametrize("change, message", [
    ("limits: what not", "reasoning and limits are required"),
    ("polarity: higher", "polarity 'up' is not one of"),
    ("{message: e, prompt: f}", "three key messages"),
    ("- {id: x, reasoning: why, limits: what not}", "undefined indicator"),
    ("period: census", "period 'week' is not one of"),
    ("keywords: [word, phrase here]", "needs a list of keywords"),
])
def test_incomplete_files_are_refused_with_the_entry_named(change, message):
    broken = {"limits: what not": "limits: ''",
              "polarity: higher": "polarity: up",
              "{message: e, prompt: f}": "{message: e}",
              "- {id: x, reasoning: why, limits: what not}": "- {id: y, reasoning: a, limits: b}",
              "period: census": "period: week",
              "keywords: [word, phrase here]": "keywords: []"}[change]
    with pytest.raises(themes.ThemesError, match=message):
        themes.parse(MINIMAL.replace(change, broken))


def test_an_indicator_linked_to_no_theme_is_refused():
    text = MINIMAL + """  z: {title: Z, unit: "%", polarity: lower, polarity_reason: r, source: s,
      years: y, period: census, decimals: 0}
"""
    with pytest.raises(themes.ThemesError, match=r"not linked: \['z'\]"):
        themes.parse(text)
