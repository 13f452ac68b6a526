"""The pipeline config and parameter files: what is accepted, and the message for what is not."""

import shutil

import pytest

from analysis.pipeline import config
from tests.conftest import FIXTURES


@pytest.fixture
def fixture_pipeline(tmp_path):
    shutil.copytree(FIXTURES / "pipeline", tmp_path / "p")
    return tmp_path / "p"


def test_the_project_config_loads_and_lists_every_notebook():
    pipeline = config.load_pipeline()
    listed = {spec.notebook.name for spec in pipeline.notebooks} | {pipeline.profiles.notebook.name}
    on_disk = {p.name for p in (config.CONFIG_PATH.parent).glob("*.ipynb")}
    assert listed == on_disk
    profiles = pipeline.profiles
    config.check_parameters(profiles, config.load_params(profiles.test_params), profiles.test_params)
    for spec in pipeline.notebooks:
        assert "output_dir" in config.notebook_parameters(spec.notebook), spec.name
        for params in (spec.params, spec.test_params):
            config.check_parameters(spec, config.load_params(params), params)


def test_notebook_parameters_are_read_from_the_tagged_cell(fixture_pipeline):
    assert config.notebook_parameters(fixture_pipeline / "first.ipynb") == ("n", "fail", "output_dir")


def test_select_adds_what_a_notebook_needs_in_config_order(fixture_pipeline):
    pipeline = config.load_pipeline(fixture_pipeline / "pipeline.yaml")
    assert [s.name for s in pipeline.select(["second"])] == ["first", "second"]
    assert [s.name for s in pipeline.select(["first.ipynb"])] == ["first"]
    with pytest.raises(config.ConfigError, match="no notebook called 'third' .known: first, second"):
        pipeline.select(["third"])


@pytest.mark.parametrize("text,message", [
    ('la_code: 940\n', "parameter 'la_code' is 940 .int.; codes and periods must be quoted"),
    ('time_period: 201718\n', "parameter 'time_period' is 201718"),
    ('comparator_codes: ["372", 384]\n', "parameter 'comparator_codes'"),
    ('output_dir: x\n', "parameter 'output_dir' is set by the pipeline"),
    ('- a\n- b\n', "expected a mapping"),
    ('la_code: "94\n', "not valid YAML"),
])
def test_bad_parameter_files_name_the_file_and_parameter(tmp_path, text, message):
    path = tmp_path / "params.yaml"
    path.write_text(text)
    with pytest.raises(config.ConfigError, match=message) as error:
        config.load_params(path)
    assert str(path) in str(error.value)


def test_quoted_codes_and_empty_files_are_accepted(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text('la_code: "940"\ncomparator_codes: ["372", "384"]\nstart_year: 2014\n')
    assert config.load_params(path) == {"la_code": "940", "comparator_codes": ["372", "384"],
                                        "start_year": 2014}
    path.write_text("# nothing\n")
    assert config.load_params(path) == {}


@pytest.mark.parametrize("old,new,message", [
    ("needs: [first]", "needs: [zeroth]", "second needs 'zeroth', which is not listed before it"),
    ("name: second", "name: first", "notebook names repeated: .'first'."),
    ("notebook: second.ipynb", "notebook: missing.ipynb", "notebook .*missing.ipynb not found"),
    ("    outputs: [\"tables/second_*\"]\n", "", "'outputs' is required"),
    ("execution_timeout: 60", "execution_timeout: soon", "execution_timeout must be a positive"),
    ("needs: [first]", "needs: [first]\n    colour: blue", "unknown keys .'colour'."),
])
def test_bad_configs_name_the_problem(fixture_pipeline, old, new, message):
    path = fixture_pipeline / "pipeline.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(config.ConfigError, match=message):
        config.load_pipeline(path)


def test_unknown_parameters_list_the_notebooks_own(fixture_pipeline):
    spec = config.load_pipeline(fixture_pipeline / "pipeline.yaml").get("first")
    with pytest.raises(config.ConfigError, match=r"first has no parameter 'm' \(its parameters: n, fail"):
        config.check_parameters(spec, {"m": 1}, "override.yaml")


def test_a_profiles_entry_with_unknown_keys_is_refused(tmp_path):
    (tmp_path / "p.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "pipeline.yaml").write_text(
        "notebooks: []\nprofiles: {title: T, notebook: p.ipynb, outputs: [x]}\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="profiles: expected a mapping of title"):
        config.load_pipeline(tmp_path / "pipeline.yaml")
