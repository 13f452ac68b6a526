"""The themes file: six themes, complete links, every indicator built and documented."""

import pytest

from analysis import profiles
from analysis.pipeline import config
from analysis.profiles import indicators, themes

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


def test_profile_tables_in_the_pipeline_config_match_the_package():
    spec = config.load_pipeline().profiles
    assert set(spec.tables) == set(profiles.TABLES_USED)
    assert config.notebook_parameters(spec.notebook) == ("la_code",)


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
])
def test_incomplete_files_are_refused_with_the_entry_named(change, message):
    broken = {"limits: what not": "limits: ''",
              "polarity: higher": "polarity: up",
              "{message: e, prompt: f}": "{message: e}",
              "- {id: x, reasoning: why, limits: what not}": "- {id: y, reasoning: a, limits: b}",
              "period: census": "period: week"}[change]
    with pytest.raises(themes.ThemesError, match=message):
        themes.parse(MINIMAL.replace(change, broken))


def test_an_indicator_linked_to_no_theme_is_refused():
    text = MINIMAL + """  z: {title: Z, unit: "%", polarity: lower, polarity_reason: r, source: s,
      years: y, period: census, decimals: 0}
"""
    with pytest.raises(themes.ThemesError, match=r"not linked: \['z'\]"):
        themes.parse(text)
