"""The pipeline config and parameter files: what is accepted, and the message for what is not."""

import shutil

import pytest

from analysis.publish import config
from tests.conftest import FIXTURES


@pytest.fixture
def fixture_pipeline(tmp_path):
    shutil.copytree(FIXTURES / "pipeline", tmp_path / "p")
    return tmp_path / "p"


def test_the_project_config_loads_and_lists_every_notebook():
    pipeline = config.load_pipeline()
    listed = {pub.notebook.name for pub in pipeline.publications}
    on_disk = {p.name for p in (config.CONFIG_PATH.parent).glob("*.ipynb")}
    assert listed == on_disk
    for pub in pipeline.publications:
        for params in (pub.params, pub.test_params):
            if params:
                config.check_parameters(pub, config.load_params(params), params)
        if pub.collection:
            for name in (pub.each, pub.prepare, pub.index):
                assert callable(config.hook(name)), name
        else:
            assert "output_dir" in config.notebook_parameters(pub.notebook), pub.name


def test_output_names_derive_from_the_publication_and_its_parameters(fixture_pipeline):
    pipeline = config.load_pipeline(fixture_pipeline / "pipeline.yaml")
    assert pipeline.get("first").page(None) == "html/first.html"
    pages = pipeline.get("pages")
    assert pages.collection and pages.executor == "warm" and pages.page("b") == "html/pages/b.html"
    assert pipeline.get("first").executor == "papermill"


def test_notebook_parameters_are_read_from_the_tagged_cell(fixture_pipeline):
    assert config.notebook_parameters(fixture_pipeline / "first.ipynb") == ("n", "fail", "output_dir")


def test_select_adds_what_a_notebook_needs_in_config_order(fixture_pipeline):
    pipeline = config.load_pipeline(fixture_pipeline / "pipeline.yaml")
    assert [s.name for s in pipeline.select(["second"])] == ["first", "second"]
    assert [s.name for s in pipeline.select(["first.ipynb"])] == ["first"]
    with pytest.raises(config.ConfigError, match="no publication called 'third' .known: first, second"):
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
    ("name: second", "name: first", "publication names repeated: .'first'."),
    ("notebook: second.ipynb", "notebook: missing.ipynb", "notebook .*missing.ipynb not found"),
    ("    title: Second fixture report\n", "", "'title' is required"),
    ("execution_timeout: 60", "execution_timeout: soon", "execution_timeout must be a positive"),
    ("needs: [first]", "needs: [first]\n    colour: blue", "unknown keys .'colour'."),
    ("each: tests.fixtures.pipeline.hooks:parameter_sets", "each: parameter_sets",
     "'each' must name a function as module:function"),
    ("    each: tests.fixtures.pipeline.hooks:parameter_sets\n", "",
     "'prepare' and 'index' are for collections"),
    ("index_link: All fixture pages", "index_link: All\n    executor: fast",
     "executor 'fast' is not one of"),
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


def test_a_hook_that_cannot_be_imported_is_named():
    with pytest.raises(config.ConfigError, match="hook 'analysis.nowhere:f' cannot be imported"):
        config.hook("analysis.nowhere:f")


def test_a_config_from_before_publications_is_refused_with_the_key_named(tmp_path):
    (tmp_path / "pipeline.yaml").write_text("notebooks: []\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="expected a mapping with a 'publications' list"):
        config.load_pipeline(tmp_path / "pipeline.yaml")


def test_find_your_area_lists_a_page_by_name_and_code_whatever_the_labels_order():
    from analysis.report.collection import PageSet
    assert PageSet("886", {}, {"code": "886", "name": "Kent"}).label() == "Kent (886)"
    assert PageSet("886", {}, {"name": "Kent", "code": "886"}).label() == "Kent (886)"
    assert PageSet("a", {}, {"key": "A"}).label() == "a"
