import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURE_MODEL, FIXTURE_MODELS, INT8_KERNEL_LIMITS, read_pairs
from unilingo import ConfigError, ModelError, Normalizer, load_models
from unilingo._engines import CpuWorkers, EngineOptions, job_sentences
from unilingo._models import parse_models
from unilingo._translate import (
    CUDA_BATCH_SIZE,
    CUDA_BATCH_TOKENS,
    DEFAULT_BATCH_SIZE,
    Generation,
    Translator,
    _fit,
    runaway,
    token_batches,
)

GOLDEN = Path(__file__).parent / "golden"
# The three clauses the fixture learned separately; together they exceed its 40-token input limit.
CLAUSES = [pair for pair in read_pairs() if pair[0].endswith(";") or pair[0].startswith("weitere")]
ENGINES = {
    "transformers float32": EngineOptions("transformers"),
    "transformers int8": EngineOptions("transformers", quantize="int8"),
    "ctranslate2 int8": EngineOptions("ctranslate2", quantize="int8"),
    "ctranslate2 as the models file says": EngineOptions("ctranslate2"),
}


def texts(translations):
    return [translation.text for translation in translations]


@pytest.fixture(scope="module")
def translator():
    return Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers"), batch_size=16)


@pytest.mark.parametrize("engine", ENGINES.values(), ids=ENGINES.keys())
def test_every_engine_translates_every_pair_exactly_in_batches(engine):
    pairs = read_pairs()
    assert 40 <= len(pairs) <= 80
    translator = Translator(load_models(FIXTURE_MODELS), engine=engine, batch_size=16)
    # The fixture's models file asks for quantize=none; --quantize overrides it.
    assert translator.resolve("de", "en").choice.compute == ("int8" if engine.quantize == "int8" else "float32")
    assert texts(translator.translate("de", "en", [de for de, _ in pairs])) == [en for _, en in pairs]


def test_ctranslate2_int8_with_this_cpus_own_kernels_translates_every_pair_exactly():
    # conftest limits the int8 kernels to AVX2's for every other test; here the CPU picks, as a user's run does.
    pairs = read_pairs()
    probe = (
        "import sys\n"
        "from unilingo import load_models\n"
        "from unilingo._engines import EngineOptions\n"
        "from unilingo._translate import Generation, Translator\n"
        f"sources = {[de for de, _ in pairs]!r}\n"
        "for beams in (1, 4):\n"
        f"    translator = Translator(load_models({str(FIXTURE_MODELS)!r}), engine=EngineOptions('ctranslate2', quantize='int8'),\n"
        "                            generation=Generation(num_beams=beams), memory=None)\n"
        "    for translation in translator.translate('de', 'en', sources):\n"
        "        print(translation.text)\n"
    )
    env = {name: value for name, value in os.environ.items() if name not in INT8_KERNEL_LIMITS}
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [en for _, en in pairs] * 2


def test_ctranslate2_float32_greedy_decodes_as_transformers_does():
    sources = [de for de, _ in read_pairs()]
    greedy = Generation(num_beams=1)
    table = load_models(FIXTURE_MODELS)
    reference = Translator(table, engine=EngineOptions("transformers"), generation=greedy).translate("de", "en", sources)
    converted = Translator(table, engine=EngineOptions("ctranslate2", quantize="none"), generation=greedy)
    assert texts(converted.translate("de", "en", sources)) == texts(reference)


def test_ctranslate2_converts_once_into_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("UNILINGO_CACHE_DIR", str(tmp_path))
    Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("ctranslate2")).load("de", "en")
    # The fixture's models file asks for quantize=none: the conversion keeps float32 weights.
    converted = list((tmp_path / "ctranslate2").glob("*-float32"))
    assert len(converted) == 1 and (converted[0] / "model.bin").exists()

    def convert_again(*args):
        raise AssertionError("converted a second time")

    monkeypatch.setattr("unilingo._engines._convert", convert_again)
    engine = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("ctranslate2")).load("de", "en")
    assert engine.choice.backend == "ctranslate2"


def test_ctranslate2_on_a_cpu_decodes_jobs_of_64_hypotheses_on_as_many_workers_as_a_call_fills(caplog, monkeypatch):
    assert [job_sentences(beams) for beams in (1, 4, 6, 128)] == [64, 16, 10, 1]
    # Beam 4 on two cores: a call of 32 sentences is two jobs of 16, side by side on one-thread workers.
    assert CpuWorkers.plan(2, 32, 4) == CpuWorkers(2, 1)
    # Greedy: the call is one job; its one worker gets every thread.
    assert CpuWorkers.plan(2, 32, 1) == CpuWorkers(1, 2)
    assert CpuWorkers.plan(16, 32, 4) == CpuWorkers(2, 8) and CpuWorkers.plan(3, 48, 4) == CpuWorkers(3, 1)
    translator = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("ctranslate2", threads=2), generation=Generation(num_beams=4))
    with caplog.at_level("INFO", logger="unilingo"):
        engine = translator.load("de", "en")
    assert engine.workers == CpuWorkers(2, 1) and engine.translator.num_translators == 2
    assert "ctranslate2 float32 on cpu, 2 threads: 2 workers x 1 thread" in caplog.text
    # Each call is shared out evenly among the workers, in jobs of at most 16 sentences at beam 4.
    jobs = []
    translate_batch = engine.translator.translate_batch
    monkeypatch.setattr(engine, "translator", type("Recording", (), {
        "translate_batch": lambda self, pieces, **options: jobs.append((len(pieces), options["max_batch_size"])) or translate_batch(pieces, **options),
    })())  # fmt: skip
    pairs = read_pairs()
    assert texts(translator.translate("de", "en", [de for de, _ in pairs])) == [en for _, en in pairs]
    assert jobs and all(size == min(16, -(-sentences // 2)) for sentences, size in jobs)


def test_duplicates_are_translated_once_and_order_is_kept(translator, monkeypatch):
    calls = []
    engine = translator.load("de", "en")
    original_generate = engine.generate
    monkeypatch.setattr(engine, "generate", lambda pieces, *args: calls.append(list(pieces)) or original_generate(pieces, *args))
    done = []
    inputs = ["Der Eintritt ist frei.", "Niemand wurde verletzt.", "Der Eintritt ist frei."]
    assert texts(translator.translate("de", "en", inputs, on_batch=done.append)) == [
        "Admission is free.", "Nobody was injured.", "Admission is free."
    ]  # fmt: skip
    assert sorted(piece for call in calls for piece in call) == sorted(set(inputs))
    assert sum(done) == len(inputs)


def test_each_text_is_counted_once_and_only_cut_pieces_again(monkeypatch):
    translator = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers"))
    engine = translator.load("de", "en")
    counted = []
    original_counts = engine.token_counts
    monkeypatch.setattr(engine, "token_counts", lambda pieces: counted.extend(pieces) or original_counts(pieces))
    long_sentence = " ".join(de for de, _ in CLAUSES)
    translator.translate("de", "en", ["Der Eintritt ist frei.", "Niemand wurde verletzt.", long_sentence])
    assert counted.count("Der Eintritt ist frei.") == 1 and counted.count("Niemand wurde verletzt.") == 1
    # A clause cut from the long sentence is counted while cutting and once more for batching.
    assert [counted.count(de) for de, _ in CLAUSES] == [2, 2, 2]


@pytest.mark.parametrize("beams", [1, 4])
def test_beam_search_batches_stay_within_the_engines_memory_bound(beams, monkeypatch):
    translator = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers"),
                            generation=Generation(num_beams=beams))  # fmt: skip
    engine = translator.load("de", "en")
    monkeypatch.setattr(engine, "max_beam_tokens", 160)
    calls = []
    original_generate = engine.generate
    monkeypatch.setattr(engine, "generate", lambda pieces, *args: calls.append(list(pieces)) or original_generate(pieces, *args))
    pairs = read_pairs()
    assert texts(translator.translate("de", "en", [de for de, _ in pairs])) == [en for _, en in pairs]
    for call in calls:
        assert len(call) * max(engine.token_counts(call)) * beams <= 160 or len(call) == 1
    # The default limit of 32 sentences alone would have made two calls.
    assert len(calls) > 2


def test_a_model_is_loaded_once(translator):
    assert translator.load("de", "en") is translator.load("de", "en")


@pytest.mark.parametrize(
    "lengths, max_sentences, max_tokens, expected",
    [
        ([5, 50, 7, 48], 8, 1000, [[1, 3, 2, 0]]),
        ([5, 50, 7, 48], 2, 1000, [[1, 3], [2, 0]]),
        # 50 + 48 padded to 2 x 50 = 100 tokens fits; a third row would be 150.
        ([5, 50, 7, 48, 6], 8, 100, [[1, 3], [2, 4, 0]]),
        # One input longer than the budget still gets a batch of its own.
        ([300, 4], 8, 100, [[0], [1]]),
        ([], 8, 100, []),
    ],
)
def test_token_batches_are_longest_first_within_both_limits(lengths, max_sentences, max_tokens, expected):
    assert token_batches(lengths, max_sentences, max_tokens) == expected


@pytest.mark.parametrize(
    "tokens, budget, source, looped",
    [
        (["\u2581Admission", "\u2581is", "\u2581free", "."], 40, "Der Eintritt ist frei.", False),
        (["\u2581the"] * 6, 40, "Der Der", True),
        (["\u2581more", "\u2581news"] * 5, 40, "Weitere Nachrichten", True),
        (["\u2581ha"] * 4, 40, "ha ha ha ha", False),  # the source says it that often itself
        (["\u2581a", "\u2581b", "\u2581c"], 4, "x", True),  # ran to the length cap, but for a forced end token
        (["\u2581a", "\u2581a", "\u2581a", "\u2581b"], 40, "x", False),  # three in a row is still language
    ],
)
def test_repetition_guard(tokens, budget, source, looped):
    assert runaway(tokens, budget, source) is looped


def test_an_output_that_runs_to_its_cap_is_flagged(tmp_path):
    # A cap of two tokens cuts every translation: the guard must say so rather than return a fragment.
    capped = Translator(
        load_models(FIXTURE_MODELS), engine=EngineOptions("transformers"), generation=Generation(output_ratio=0, output_extra=2)
    )
    [translation] = capped.translate("de", "en", ["Niemand wurde verletzt."])
    assert translation.looped


def test_over_long_sentence_is_split_at_clauses_not_truncated(translator):
    engine = translator.load("de", "en")
    long_sentence = " ".join(de for de, _ in CLAUSES)
    assert engine.token_counts([long_sentence])[0] > engine.max_input_tokens
    assert _fit(long_sentence, engine) == [de for de, _ in CLAUSES]
    assert texts(translator.translate("de", "en", [long_sentence])) == [" ".join(en for _, en in CLAUSES)]


def test_an_unbreakable_word_is_cut_without_losing_a_character(translator):
    engine = translator.load("de", "en")
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 8
    pieces = _fit(word, engine)
    assert "".join(pieces) == word
    assert all(count <= engine.max_input_tokens for count in engine.token_counts(pieces))


def test_no_model_for_the_pair(translator):
    with pytest.raises(ModelError, match="no model for fr -> en"):
        translator.translate("fr", "en", ["Bonjour"])


def test_missing_ctranslate2_names_the_fast_extra(monkeypatch):
    monkeypatch.setattr("unilingo._engines._installed", lambda module: False)
    # In Python the advice is the keyword; on the command line, the option (test_cli).
    with pytest.raises(ModelError, match=r"pip install 'unilingo\[fast\]'.*backend='transformers'$") as raised:
        EngineOptions("ctranslate2").resolve()
    assert "--" not in str(raised.value)
    assert EngineOptions().resolve().backend == "transformers"


def test_cuda_asked_for_without_a_cuda_device(monkeypatch):
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: False)
    with pytest.raises(ModelError, match="no CUDA device.*device='cpu'"):
        EngineOptions(device="cuda").resolve()
    assert EngineOptions().resolve().device == "cpu"


def test_cuda_picks_float16(monkeypatch):
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    monkeypatch.setattr("unilingo._engines.load_cublas", lambda: None)
    assert EngineOptions("ctranslate2").resolve().compute == "float16"
    assert EngineOptions("ctranslate2", quantize="int8").resolve().compute == "int8_float16"
    with pytest.raises(ConfigError, match="quantize='int8' with transformers is for CPUs"):
        EngineOptions("transformers", quantize="int8").resolve()


def test_without_cublas_12_ctranslate2_leaves_the_gpu_to_transformers_or_says_what_is_missing(monkeypatch):
    # CTranslate2 4.x's CUDA build loads libcublas.so.12 at its first matrix product; on an
    # H200 with only CUDA 13 it loaded the model, then failed mid-batch with a traceback.
    # What load_cublas says there (tests/test_cuda.py tests it on its own):
    missing = "libcublas.so.12 (cuBLAS of CUDA 12) is missing; pip install 'unilingo[gpu]' brings it"
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    monkeypatch.setattr("unilingo._engines.load_cublas", lambda: missing)
    monkeypatch.setattr("unilingo._engines._installed", lambda module: True)
    auto = EngineOptions().resolve()
    assert (auto.backend, auto.device, auto.compute) == ("transformers", "cuda", "float16")
    assert f"(CTranslate2 cannot use the GPU: {missing})" in auto.describe()
    on_cpu = EngineOptions("ctranslate2").resolve()
    assert (on_cpu.backend, on_cpu.device, on_cpu.compute) == ("ctranslate2", "cpu", "int8")
    with pytest.raises(ModelError, match=r"is missing; pip install 'unilingo\[gpu\]' brings it; or use backend='transformers' or device='cpu'$"):
        EngineOptions("ctranslate2", device="cuda").resolve()
    with pytest.raises(ConfigError, match=r"brings it; use quantize='none'$"):
        EngineOptions(quantize="int8").resolve()


def test_batch_limits_default_to_the_devices_own(monkeypatch):
    monkeypatch.setattr("unilingo._engines._cuda_present", lambda backend: True)
    on_gpu = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers", device="cuda"))
    assert on_gpu.batch_limits == (CUDA_BATCH_SIZE, CUDA_BATCH_TOKENS)
    on_cpu = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers", device="cpu"), batch_tokens=99)
    assert on_cpu.batch_limits == (DEFAULT_BATCH_SIZE, 99)


@pytest.mark.parametrize("field, value", [("backend", "onnx"), ("device", "tpu"), ("quantize", "int4"), ("threads", 0)])
def test_bad_engine_options(field, value):
    with pytest.raises(ConfigError, match=field):
        EngineOptions(**{field: value})


@pytest.mark.parametrize("ratio", [float("nan"), float("inf"), -1.0])
def test_an_output_ratio_that_is_no_finite_cap_is_refused_up_front(ratio):
    with pytest.raises(ConfigError, match="output ratio must be a finite number of at least 0"):
        Normalizer(models=FIXTURE_MODELS, cache=False, generation=Generation(output_ratio=ratio))


def _install_in_hf_cache(repo_id: str) -> None:
    """Lay the fixture out as `huggingface_hub` stores a downloaded snapshot."""
    cache = Path(os.environ["HF_HOME"]) / "hub" / ("models--" + repo_id.replace("/", "--"))
    revision = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(FIXTURE_MODEL, cache / "snapshots" / revision)
    (cache / "refs").mkdir(parents=True)
    (cache / "refs" / "main").write_text(revision)


def test_hub_id_loads_from_the_hugging_face_cache_offline():
    _install_in_hf_cache("unilingo-test/tiny-opus-mt-de-en")
    table = parse_models("de en unilingo-test/tiny-opus-mt-de-en", base=Path("/nowhere"))
    assert not table.specs[0].is_local
    assert texts(Translator(table).translate("de", "en", ["Niemand wurde verletzt."])) == ["Nobody was injured."]


def test_uncached_hub_id_offline_names_the_model_and_both_fixes():
    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="models.txt")
    with pytest.raises(ModelError) as raised:
        Translator(table).translate("de", "en", ["Hallo"])
    message = str(raised.value)
    assert "unilingo-test/not-downloaded" in message and "HF_HUB_OFFLINE is set" in message
    assert "unilingo models download" in message and "models.txt:1" in message and "local folder" in message


def test_transformers_offline_keeps_the_hub_away_as_hf_hub_offline_does(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="models.txt")
    with pytest.raises(ModelError, match="TRANSFORMERS_OFFLINE is set"):
        Translator(table).translate("de", "en", ["Hallo"])


def test_uncached_hub_id_with_hub_unreachable_names_both_fixes(monkeypatch):
    # conftest points the hub at a closed local port, so "online" fails at once.
    monkeypatch.delenv("HF_HUB_OFFLINE")
    table = parse_models("de en unilingo-test/not-downloaded", base=Path("/nowhere"), path="models.txt")
    with pytest.raises(ModelError, match=r"the hub cannot be reached.*unilingo models download.*local folder"):
        Translator(table).translate("de", "en", ["Hallo"])


def test_missing_local_folder(tmp_path):
    table = parse_models("de en ./gone", base=tmp_path, path="m.txt")
    with pytest.raises(ModelError, match=re.escape(f"model folder {tmp_path / 'gone'}") + ".*m.txt:1"):
        Translator(table).translate("de", "en", ["Hallo"])


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
@pytest.mark.parametrize("lost", ["config.json", "vocab.json", "target.spm"])
def test_a_local_folder_missing_a_model_file_names_it(tmp_path, backend, lost):
    shutil.copytree(FIXTURE_MODEL, tmp_path / "model")
    (tmp_path / "model" / lost).unlink()
    table = parse_models("de en ./model", base=tmp_path, path="m.txt")
    with pytest.raises(ModelError, match=re.escape(f"cannot load model ./model (m.txt:1): {tmp_path / 'model'} has no {lost}; give a MarianMT model")):
        Translator(table, engine=EngineOptions(backend)).translate("de", "en", ["Hallo"])


def test_a_cache_folder_that_is_a_file_is_named_as_where_the_converted_model_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("UNILINGO_CACHE_DIR", str(tmp_path / "cache"))
    translator = Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("ctranslate2"))
    with pytest.raises(ModelError, match=re.escape(f"cannot write the CTranslate2 model to {tmp_path / 'cache' / 'ctranslate2'}")):
        translator.translate("de", "en", ["Hallo"])


def test_missing_transformers_names_its_extra_and_the_installed_backend(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ModelError, match=r"transformers backend is not installed: pip install 'unilingo\[translate\]'.*backend='ctranslate2'"):
        Translator(load_models(FIXTURE_MODELS), engine=EngineOptions("transformers")).translate("de", "en", ["Niemand wurde verletzt."])


def test_folder_that_is_not_a_model(tmp_path):
    (tmp_path / "empty").mkdir()
    table = parse_models("de en ./empty", base=tmp_path, path="m.txt")
    with pytest.raises(ModelError, match="cannot load model ./empty"):
        Translator(table).translate("de", "en", ["Hallo"])


def test_a_looping_output_keeps_the_original_and_the_report_says_why():
    from unilingo import Normalizer
    from unilingo._decision import LOOP_REASON

    capped = Normalizer("en", FIXTURE_MODELS, generation=Generation(output_ratio=0, output_extra=2), cache=False)
    doc = capped.normalize("Niemand wurde verletzt.\n")
    assert doc.text == "Niemand wurde verletzt.\n"
    [segment] = doc.segments
    assert segment.action == "keep" and segment.reason == LOOP_REASON and segment.output is None



def test_the_model_is_made_on_the_calling_thread_and_translates_as_ever(monkeypatch):
    threads = []
    original_open = Translator._open
    monkeypatch.setattr(Translator, "_open", lambda self, resolved: threads.append(threading.current_thread().name)
                        or original_open(self, resolved))  # fmt: skip
    normalizer = Normalizer("en", FIXTURE_MODELS, cache=False, engine=EngineOptions("transformers"))
    doc = normalizer.normalize((GOLDEN / "article.md").read_text(encoding="utf-8"), "markdown")
    assert doc.text == (GOLDEN / "article.out.md").read_text(encoding="utf-8")
    # Not on a thread of its own that then ends: CTranslate2 decoded 5-7x slower so (Translator.load).
    assert threads == [threading.current_thread().name]


@pytest.mark.parametrize("beams", [0, 129, 10**9])
def test_a_beam_count_past_what_beam_search_uses_is_refused_up_front(beams):
    with pytest.raises(ConfigError, match=f"number of beams must be from 1 to 128, got {beams}"):
        Normalizer(models=FIXTURE_MODELS, cache=False, generation=Generation(num_beams=beams))


def test_the_command_line_refuses_a_beam_count_of_a_billion_in_one_line(tmp_path):
    from click.testing import CliRunner

    from unilingo._cli import cli

    (tmp_path / "a.md").write_text("Der Eintritt ist frei.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["translate", str(tmp_path / "a.md"), "-o", str(tmp_path / "out"), "--beams", "1000000000",
                                      "--models", str(FIXTURE_MODELS)])  # fmt: skip
    assert result.exit_code == 2 and "number of beams must be from 1 to 128" in result.output and not (tmp_path / "out").exists()
