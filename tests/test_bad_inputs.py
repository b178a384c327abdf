"""Every bad input a user can give gets one clear line, exit 2, no traceback, and no file written.

The table ``CASES`` is the contract: for each bad config, CSV, NPZ or model file (fixtures in
``tests/bad_inputs/``; model files are made here from a freshly trained model) the command
that reads it and the exact parts of the error it must produce: the file, the field or the
row/column, the bad value and what is allowed. Every case runs through the real CLI
(``CliRunner``; a few also as a subprocess) and checks:

- exit status 2, nothing on stdout (with --json, the refusal's one JSON object);
- stderr is one ``error: ...`` line, plus a ``hint: ...`` line only where the table says so;
- no traceback;
- no file is written or changed, in the working folder, ``--out`` or next to the inputs.

The machine's memory is fixed at 16 GiB here (``experiment.machine_memory``), so the
"too big to fit" messages are the same on every machine.
"""

from __future__ import annotations

import gzip
import pickle
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import JSON_COMMANDS, printed_refusal
from typer.testing import CliRunner

from backprop_cli import experiment
from backprop_cli.cli import app

BAD = Path(__file__).parent / "bad_inputs"
GiB = 2**30
runner = CliRunner()

# Configs written next to the CSV fixtures: data.path names the CSV, relative to the config.
CSV_NETWORK = "network: {layers: [2, 3, 2], output_activation: softmax}\ncost: cross_entropy\n"
CSV_DATA_EXTRA = {"text_target": ", task: regression"}


@pytest.fixture(autouse=True)
def sixteen_gib(monkeypatch):
    monkeypatch.setattr(experiment, "machine_memory", lambda: (16 * GiB, "this machine's 16.0 GiB"))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """tests/bad_inputs copied to a temporary folder, with the model files and helper configs."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(BAD, root, dirs_exist_ok=True)
    for csv in BAD.glob("*.csv"):
        extra = CSV_DATA_EXTRA.get(csv.stem, "")
        (root / f"csv_{csv.stem}.yaml").write_text(f"data: {{path: {csv.name}{extra}}}\n{CSV_NETWORK}")
    (root / "target_missing.yaml").write_text(f"data: {{path: semicolon.csv, target: label}}\n{CSV_NETWORK}")
    (root / "target_case.yaml").write_text(f"data: {{path: semicolon.csv, target: Y}}\n{CSV_NETWORK}")
    (root / "target_twice.yaml").write_text(f"data: {{path: semicolon.csv, target: [y, ' y']}}\n{CSV_NETWORK}")
    (root / "target_npz.yaml").write_text("data: {path: data.npz, target: y}\nnetwork: {layers: [2, 3, 1]}\n")
    (root / "ids.csv").write_text("id,a,b,y\nr1,0,0,0\nr2,1,1,1\nr3,0,1,1\nr4,1,0,0\n")
    for name, data in {"text_id": "", "missing": ", features: [a, bb]", "default_target": ", features: [a, y]",
                       "target_too": ", target: y, features: [a, y]", "twice": ", features: [a, ' a']",
                       "empty": ", features: [a, '']"}.items():
        (root / f"features_{name}.yaml").write_text(f"data: {{path: ids.csv{data}}}\n{CSV_NETWORK}")
    (root / "features_npz.yaml").write_text("data: {path: data.npz, features: [a, b]}\nnetwork: {layers: [2, 3, 1]}\n")
    for name, content in {
        "wrong_arrays": dict(A=np.zeros((3, 2)), y=np.zeros(3)),
        "x_3d": dict(X=np.zeros((3, 2, 1)), y=np.zeros(3)),
        "rows_differ": dict(X=np.zeros((3, 2)), y=np.zeros(4)),
        "object_x": dict(X=np.array([[1, 2], [3, 4]], dtype=object), y=np.array([0, 1])),
        "comma_labels": dict(X=np.zeros((3, 2)), y=np.array(["2", "1,5", "0,5"])),
        "huge_int_labels": dict(X=np.zeros((3, 2)), y=np.array([5, 2**53 + 1, 2**53], dtype=np.int64)),
    }.items():
        np.savez(root / f"{name}.npz", **content)
        (root / f"npz_{name}.yaml").write_text(f"data: {{path: {name}.npz}}\nnetwork: {{layers: [2, 3, 1]}}\n")
    (root / "garbage.npz").write_text("X,y\n1,0\n")
    (root / "npz_garbage.yaml").write_text("data: {path: garbage.npz}\nnetwork: {layers: [2, 3, 1]}\n")
    (root / "xor_inputs.csv").write_text("x0,x1\n0,0\n0,1\n1,0\n1,1\n")
    (root / "predict_ragged.csv").write_text("x0,x1\n0,0\n0\n")
    (root / "predict_nan.csv").write_text("id,x1,x0\n7,1,nan\n")
    (root / "predict_no_x1.csv").write_text("x0,y\n0,1\n")
    (root / "predict_two_headers.csv").write_text("x0,x1\n0,0\nx0,x1\n1,1\n")  # cat a.csv b.csv
    (root / "predict_case.csv").write_text("X0,x1\n0,0\n")
    (root / "xor_config.yaml").write_text("# XOR\ndata: {dataset: xor}\nnetwork: {layers: [2, 3, 1]}\n")
    (root / "predict_typo.csv").write_text("x0,x_1,labl,id\n0,0,0,7\n")
    (root / "predict_ids.csv").write_text("id,x0,x1,name\nr1,0,0,a\nr2,1,1,b\n")
    with zipfile.ZipFile(root / "workbook.xlsx", "w") as book:  # a spreadsheet's own file, not its CSV export
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    shutil.copy(root / "workbook.xlsx", root / "renamed_workbook.csv")  # renamed, not saved as CSV
    (root / "rows.csv.gz").write_bytes(gzip.compress(b"x0,x1\n0,0\n"))
    (root / "program").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00>\x00\xd0a@"  # /usr/bin/ls's start
                                   + bytes(range(256)) * 4)
    (root / "nuls.csv").write_bytes(bytes(1024))  # as a crash or a full disk leaves a file
    # UTF-16 without a byte-order mark whose header line is a few bytes ('y\0\n'): too short to tell alone
    (root / "utf16_one_column.csv").write_bytes("y\n1\n2\n".encode("utf-16-le"))
    (root / "utf16_crlf.csv").write_bytes("x\r\n1\r\n".encode("utf-16-le"))
    # UTF-16 with no byte-order mark and an accent: the decoder fails before the header's NULs are looked at
    (root / "utf16be_accent.csv").write_bytes("x0,x1,note\n0.1,0.2,café\n".encode("utf-16-be"))
    (root / "utf16be_one_column.csv").write_bytes("y\n1\n2\n".encode("utf-16-be"))
    # UTF-16 text with a stray control character in its header ('spe\x1acies'), rows of it beyond
    (root / "utf16_control.csv").write_bytes(("x0,x\x1a1\n" + "0,1\n" * 60).encode("utf-16-le"))
    # Windows-1252 text with one NUL in a quoted cell: iconv -f WINDOWS-1252 converts it
    (root / "latin1_nul.csv").write_bytes(b"x0,x1,note\n0,0,caf\xe9\n" + b"1,1,ok\n" * 40 + b'0,1,"a\x00b"\n')
    # UTF-8 text with one NUL in a column name
    (root / "nul_in_header.csv").write_bytes(b"x0,x1,no\x00te\n" + b"0,1,a\n" * 40)
    (root / "utf16le.csv").write_bytes("x0,x1,y\n0,0,0\n1,1,1\n".encode("utf-16-le"))
    (root / "utf16le.yaml").write_text(f"data: {{path: utf16le.csv, target: y}}\n{CSV_NETWORK}")
    (root / "utf16_config.yaml").write_bytes("network: {layers: [2, 3, 1]}\n".encode("utf-16"))  # with its BOM
    (root / "utf16le_config.yaml").write_bytes("network: {layers: [2, 3, 1]}\n".encode("utf-16-le"))  # no BOM
    (root / "bom_latin1.yaml").write_bytes(b"\xef\xbb\xbfseed: 1\n\xe9: 2\n")
    (root / "nuls.yaml").write_bytes(bytes(1024))  # as a crash or a full disk leaves a file
    (root / "mixed_utf8.yaml").write_bytes("# 配置 Łódź\n# caf".encode() + b"\xe9\nnetwork: {layers: [2, 3, 1]}\n")
    _make_models(root)
    return root


def _make_models(root: Path) -> None:
    run = root / "run"
    r = runner.invoke(app, ["train", "--epochs", "5", "--out", str(run), "--quiet"])
    assert r.exit_code == 0, r.output
    good = run / "model.npz"
    raw = good.read_bytes()
    interrupted = root / "interrupted_run"  # a run stopped before its end: a checkpoint, no model yet
    interrupted.mkdir()
    shutil.copy(run / "checkpoint.npz", interrupted / "checkpoint.npz")
    arrays = dict(np.load(good, allow_pickle=False))
    config = str(arrays["config_yaml"])

    def variant(name: str, **changes: object) -> None:
        a = {**arrays, **{k: v for k, v in changes.items() if v is not None}}
        for k in [k for k, v in changes.items() if v is None]:
            del a[k]
        np.savez(root / name, **a)

    (root / "truncated.npz").write_bytes(raw[: len(raw) // 2])
    flipped = bytearray(raw)
    middle = len(raw) // 2
    flipped[middle : middle + 64] = bytes(b ^ 0xFF for b in flipped[middle : middle + 64])
    (root / "flipped.npz").write_bytes(bytes(flipped))
    (root / "empty_model.npz").write_bytes(b"")
    (root / "pickle_file.npz").write_bytes(pickle.dumps({"w1": [[1.0, 2.0]]}))
    with (root / "single_array.npz").open("wb") as f:
        np.save(f, np.zeros((3, 2)))
    variant("newer.npz", format_version=np.array(2))
    variant("version_zero.npz", format_version=np.array(0))
    variant("version_text.npz", format_version=np.array("one"))
    variant("no_version.npz", format_version=None)
    variant("pickled_array.npz", w1=np.array([[{"a": 1}] * 2] * 3, dtype=object))
    variant("wrong_shape.npz", w1=np.zeros((4, 2)))
    variant("transposed_w1.npz", w1=np.zeros((2, 3)))
    variant("no_w2.npz", w2=None)
    variant("extra_layer.npz", w3=np.zeros((1, 1)), b3=np.zeros(1))
    variant("nan_weight.npz", w1=np.full((3, 2), np.nan))
    variant("text_weight.npz", b1=np.array(["a", "b", "c"]))
    variant("huge_config.npz", config_yaml=np.array(config.replace("- 3\n", "- 100000\n  - 100000\n")))
    variant("broken_config.npz", config_yaml=np.array(config.replace("layers:", "layers: [")))
    variant("bad_config_value.npz", config_yaml=np.array(config.replace("learning_rate: 2.0", "learning_rate: fast")))
    variant("class_names.npz", class_names=np.array(["a", "b", "c"]))
    variant("twice_class_names.npz", class_names=np.array(["a", "a"]))
    variant("twice_feature_names.npz", feature_names=np.array(["x0", "x0"]))
    variant("empty_feature_name.npz", feature_names=np.array(["x0", " "]))
    variant("empty_class_name.npz", class_names=np.array(["0", ""]))
    variant("blank_class_name.npz", class_names=np.array([" ", "1"]))
    variant("empty_target_name.npz", target_names=np.array([""]))
    (root / "empty_folder").mkdir()


def e(*needles: str, hint: str | None = None) -> tuple[tuple[str, ...], str | None]:
    """The parts of the error line (and of the hint line; None: there is no hint line)."""
    return needles, hint


R_CFG = "the top level must be a mapping of sections (seed, data, network, cost, training)"
BOOLEAN = "YAML reads unquoted yes/no/on/off/true/false as booleans"
MEMORY = "more than the limit of 8.0 GiB (half of this machine's 16.0 GiB)"
MEMORY_HINT = "use fewer or smaller layers, or training.dtype: float32"
LAYERS_HINT = "use fewer or smaller layers"  # gradcheck and explain work in float64: float32 would not help
TRUNCATED = "not a readable model file (truncated or corrupt: File is not a zip file)"
FOLDER = "is a folder, expected a model .npz file (or a run folder holding model.npz)"
INTERRUPTED = ("is an interrupted run's folder: it has a checkpoint but no model yet; finish the run with: backprop "
               "train CONFIG --out ")  # its path follows (a tmp folder), then --resume

# (id, command line: IN/ = the inputs folder, OUT = a fresh --out folder; expected error)
CASES: list[tuple[str, list[str], tuple[tuple[str, ...], str | None]]] = [
    # --- YAML syntax: line and column
    ("yaml-tab-indent", ["train", "IN/tab_indent.yaml", "--out", "OUT"],
     e("tab_indent.yaml: YAML error (line 2, column 1): found character '\\t' that cannot start any token",
       hint="YAML indentation must use spaces, not tabs")),
    ("yaml-unclosed-list", ["train", "IN/unclosed_list.yaml", "--out", "OUT"],
     # named where the '[' opens (PyYAML blames the end of the file, a line below it)
     e("unclosed_list.yaml: YAML error (line 2, column 11): the '[' opened here is never closed (the file ends "
       "inside it)")),
    ("yaml-bad-indent", ["config", "validate", "IN/bad_indent.yaml"],
     e("bad_indent.yaml: YAML error (line 3, column 4): expected <block end>, but found '<block mapping start>'",
       # PyYAML's words alone left a newcomer to guess
       hint="line 3 is indented differently from the lines above it: the keys of one mapping line up")),
    # 'epochs = 5' (INI, TOML) made the section a string; the message did not say why
    ("yaml-key-equals-value", ["train", "IN/equals_sign.yaml", "--out", "OUT"],
     e("equals_sign.yaml: training: must be a mapping of keys, not a string (epochs = 5); "
       "YAML writes a key and its value as epochs: 5, not with =")),
    ("yaml-duplicate-section", ["train", "IN/duplicate_section.yaml", "--out", "OUT"],
     e("duplicate_section.yaml: YAML error (line 3, column 1): duplicate key network (first at line 1)")),
    ("yaml-duplicate-key", ["train", "IN/duplicate_key.yaml", "--out", "OUT"],
     e("duplicate_key.yaml: YAML error (line 3, column 3): duplicate key layers (first at line 2)")),
    ("yaml-python-tag", ["train", "IN/python_tag.yaml", "--out", "OUT"],
     e("python_tag.yaml: YAML error (line 2, column 7): '!!python/object/apply:os.system': tags such as "
       "!!python/object are not allowed (the file is loaded safely")),
    ("yaml-python-object", ["config", "validate", "IN/python_object.yaml"],
     e("python_object.yaml: YAML error (line 1, column 10): '!!python/object:backprop_cli.config.NetworkConfig': "
       "tags such as !!python/object are not allowed (the file is loaded safely: plain numbers, text, lists "
       "and mappings only)")),
    ("yaml-custom-tag", ["config", "validate", "IN/custom_tag.yaml"],
     e("custom_tag.yaml: YAML error (line 1, column 10): '!layers': tags such as !!python/object are not allowed")),
    ("yaml-control-character", ["train", "IN/control_character.yaml", "--out", "OUT"],
     e("control_character.yaml: YAML error (line 2, column 8): character \"\\x01\" is not allowed in YAML text")),
    ("yaml-list-as-key", ["config", "validate", "IN/list_as_key.yaml"],
     e("list_as_key.yaml: YAML error (line 1, column 3): a list cannot be a key")),
    ("yaml-two-documents", ["config", "validate", "IN/two_documents.yaml"],
     e("two_documents.yaml: YAML error (line 2, column 1): expected a single document in the stream, "
       "but found another document")),
    ("yaml-undefined-alias", ["config", "validate", "IN/undefined_alias.yaml"],
     e("undefined_alias.yaml: YAML error (line 1, column 19): found undefined alias 'sizes'")),
    ("yaml-not-utf8", ["train", "IN/latin1.yaml", "--out", "OUT"],
     # it said "(byte 32)", an offset read as a byte's value (13: CR), with no way to convert the file
     e("latin1.yaml: line 2, column 4: byte 0xe9 is not UTF-8 text; save the config as UTF-8",
       hint="an editor's plain text is most often Windows-1252 (Latin-1): convert it: iconv -f WINDOWS-1252 -t "
            "UTF-8 ")),
    # a UTF-8 byte-order mark, then Latin-1: the position was counted from after the mark ('line 1, column 7:
    # byte 0x20', a space), and the iconv command kept the mark as 'ï»¿'
    ("yaml-bom-then-latin1", ["config", "validate", "IN/bom_latin1.yaml"],
     e("bom_latin1.yaml: line 2, column 1: byte 0xe9 is not UTF-8 text",
       hint="convert it: iconv -f WINDOWS-1252 -t UTF-8 <(tail -c +4 ")),
    # UTF-8 text with one Windows-1252 byte: Ł's c5 81 counted as the undefined 0x81, and the iconv -c offered
    # turned 配置 Łódź into mojibake that validated
    ("yaml-utf8-mixed-with-latin1", ["config", "validate", "IN/mixed_utf8.yaml"],
     e("mixed_utf8.yaml: line 2, column 6: byte 0xe9 is not UTF-8 text, in a file whose other non-ASCII text is UTF-8",
       hint="retype that character in an editor saving UTF-8")),
    # a file of NULs was called UTF-32 text, with an iconv command that wrote more NULs
    ("yaml-only-nuls", ["config", "validate", "IN/nuls.yaml"],
     e("nuls.yaml: holds only NUL bytes (as a crash or a full disk can leave a file), not a YAML config")),
    # UTF-16 without its byte-order mark: its NULs are valid UTF-8, and YAML refused the first one
    ("yaml-utf16-without-bom", ["config", "validate", "IN/utf16le_config.yaml"],
     e("utf16le_config.yaml: is UTF-16 text (its bytes read as UTF-16LE text, which has no byte-order mark), not UTF-8",
       hint="convert it: iconv -f UTF-16LE -t UTF-8 ")),
    ("yaml-utf16", ["train", "IN/utf16_config.yaml"],  # it said "(byte 0)"
     e("utf16_config.yaml: is UTF-16 text (it starts with UTF-16's byte-order mark), not UTF-8; save the config "
       "as UTF-8", hint="convert it: iconv -f UTF-16 -t UTF-8 ")),
    # --- the document's shape
    ("config-empty", ["train", "IN/empty.yaml", "--out", "OUT"],
     e("empty.yaml: the config is empty; it needs at least network.layers")),
    ("config-comments-only", ["config", "validate", "IN/comments_only.yaml"],
     e("comments_only.yaml: the config is empty; it needs at least network.layers")),
    ("config-is-a-list", ["train", "IN/top_level_list.yaml", "--out", "OUT"],
     e(f"top_level_list.yaml: {R_CFG}, not a list")),
    ("config-is-text", ["config", "validate", "IN/top_level_text.yaml"],
     e(f"top_level_text.yaml: {R_CFG}, not a string")),
    ("section-is-a-list", ["train", "IN/section_is_list.yaml", "--out", "OUT"],
     e("section_is_list.yaml: network: must be a mapping of keys, not a list ([2, 3, 1]); "
       "did you mean network: {layers: [2, 3, 1]}?")),
    ("unknown-section", ["train", "IN/unknown_section.yaml", "--out", "OUT"],
     e("unknown_section.yaml: netwrok: unknown key netwrok: did you mean network? "
       "Allowed: seed, data, network, cost, training")),
    ("unknown-key", ["train", "IN/unknown_key.yaml", "--out", "OUT"],
     e("unknown_key.yaml: training.learnig_rate: unknown key learnig_rate: did you mean learning_rate?")),
    ("yes-as-a-key", ["config", "validate", "IN/boolean_key.yaml"],
     e("boolean_key.yaml: training.true: unknown key true", f"({BOOLEAN}; quote the key)")),
    # a key YAML read as a null or a number: Python's None, and 'None' quoted as if typed as text
    ("null-as-a-key", ["config", "validate", "IN/null_key.yaml"],
     e("null_key.yaml: training.null: unknown key null (YAML reads an unquoted null or ~ as no value; quote "
       "the key); allowed: learning_rate, ")),
    ("number-as-a-key", ["config", "validate", "IN/number_key.yaml"],
     e("number_key.yaml: training.2: unknown key 2 (an integer; keys are names); allowed: learning_rate, ")),
    # yes and on are one key (true): it said "duplicate key True"
    ("yes-and-on-as-keys", ["config", "validate", "IN/booleans_same_key.yaml"],
     e("booleans_same_key.yaml: YAML error (line 4, column 3): duplicate key on (the same key as yes, line 3)")),
    # a field in the wrong section: it was said as the field missing where it belongs
    ("field-in-the-wrong-section", ["train", "IN/layers_under_training.yaml", "--out", "OUT"],
     e("layers_under_training.yaml: training.layers: unknown key layers: it belongs under network: → "
       "network.layers")),
    # two keys naming one field, one with a space before it: "as network. layers"
    ("key-with-a-leading-space", ["config", "show", "IN/key_with_space.yaml"],
     e("key_with_space.yaml: network.layers: given twice, as network.layers and as network.' layers'; give it once")),
    # no value, or a mapping, where a name belongs: Python's None and "{...} is not one of"
    ("activation-left-empty", ["config", "validate", "IN/empty_activation.yaml"],
     e("empty_activation.yaml: network.activation: null is not one of: elu, leaky_relu, linear, relu, sigmoid, "
       "silu, softplus, tanh (YAML reads an empty value, null and ~ as no value; leave the field out for its default)")),
    ("optimizer-as-a-mapping", ["train", "IN/optimizer_mapping.yaml", "--out", "OUT"],
     e("optimizer_mapping.yaml: training.optimizer: {name: adam, lr: 0.01} is a mapping, not a name; "
       "give one of: sgd, momentum, adam")),
    ("set-empty-value", ["config", "show", "--set", "lr="],
     e("error: --set lr=: training.learning_rate: null is not a number greater than 0 (YAML reads an empty value, null "
       "and ~ as no value)",
       # the value left out, or typed after a space (bash's completion of KEY= leaves one)
       hint="--set lr= gives no VALUE (YAML's null); write it right after the '=', no space between: --set lr=VALUE")),
    # --- wrong types and values
    ("layers-as-text", ["train", "IN/layers_string.yaml", "--out", "OUT"],
     e("layers_string.yaml: network.layers: '2,3,1' must be a list of sizes like [2, 3, 1], not a string")),
    ("layer-in-quotes", ["train", "IN/layer_quoted.yaml", "--out", "OUT"],
     e("layer_quoted.yaml: network.layers[1]: '3' is not a whole number of at least 1 (string)")),
    ("layer-zero", ["config", "validate", "IN/layer_zero.yaml"],
     e("layer_zero.yaml: network.layers[1]: 0 must be at least 1")),
    ("layer-fraction", ["config", "validate", "IN/layer_fraction.yaml"],
     e("layer_fraction.yaml: network.layers[1]: 3.5 is not a whole number")),
    ("layer-yes", ["train", "IN/layer_yes.yaml", "--out", "OUT"],
     e("layer_yes.yaml: network.layers[1]: true is not a whole number of at least 1 (boolean): "
       f"{BOOLEAN}; write a number instead")),
    ("one-layer", ["config", "validate", "IN/one_layer.yaml"],
     e("one_layer.yaml: network.layers: [2] needs at least 2 sizes (input and output)")),
    ("no-layers", ["config", "validate", "IN/no_layers.yaml"],
     e("no_layers.yaml: network.layers: missing; give the layer sizes, input first, e.g. [2, 3, 1]")),
    ("learning-rate-text", ["train", "IN/learning_rate_fast.yaml", "--out", "OUT"],
     e("learning_rate_fast.yaml: training.learning_rate: fast is not a number greater than 0 (string)")),
    ("learning-rate-boolean", ["train", "IN/learning_rate_bool.yaml", "--out", "OUT"],
     e("learning_rate_bool.yaml: training.learning_rate: true is not a number greater than 0 (boolean): "
       f"{BOOLEAN}; write a number instead")),
    ("learning-rate-nan", ["config", "validate", "IN/learning_rate_nan.yaml"],
     e("learning_rate_nan.yaml: training.learning_rate: .nan must be a finite number")),
    ("learning-rate-zero", ["config", "validate", "IN/learning_rate_zero.yaml"],
     e("learning_rate_zero.yaml: training.learning_rate: 0 must be greater than 0")),
    ("epochs-no", ["train", "IN/epochs_no.yaml", "--out", "OUT"],
     e("epochs_no.yaml: training.epochs: false is not a whole number from 1 to 1,000,000 (boolean): "
       f"{BOOLEAN}; write a number instead")),
    ("batch-size-all", ["config", "validate", "IN/batch_size_all.yaml"],
     e("batch_size_all.yaml: training.batch_size: all must be a positive whole number or \"full\"")),
    ("shuffle-maybe", ["config", "validate", "IN/shuffle_maybe.yaml"],
     e("shuffle_maybe.yaml: training.shuffle: maybe must be true or false")),
    ("activation-unknown", ["train", "IN/activation_relu6.yaml", "--out", "OUT"],
     e("activation_relu6.yaml: network.activation: relu6 is not one of: elu, leaky_relu, linear, relu, sigmoid, silu, softplus, tanh")),
    ("dataset-no", ["config", "validate", "IN/dataset_no.yaml"],
     e("dataset_no.yaml: data.dataset: false is not one of: circles, moons, sine, spirals, xor",
       f"({BOOLEAN}; quote it if you meant a name)")),
    ("seed-sexagesimal", ["config", "validate", "IN/seed_sexagesimal.yaml"],
     e("seed_sexagesimal.yaml: seed: '1:30' is not a whole number of at least 0 (string)")),
    ("softmax-squared-error", ["config", "validate", "IN/softmax_squared_error.yaml"],
     e("softmax_squared_error.yaml: ", "softmax", "needs cost cross_entropy")),
    ("test-fraction-one", ["config", "validate", "IN/test_fraction_one.yaml"],
     e("test_fraction_one.yaml: data.test_fraction: 1.0 must be in [0, 1)")),
    ("dataset-iris", ["train", "--set", "data.dataset=iris", "--out", "OUT"],
     e("error: --set data.dataset=iris: iris is not one of: circles, moons, sine, spirals, xor (iris ships as a CSV "
       "file: give data.path, the checkout's data/iris.csv (relative to the config's folder), and data.target: "
       "species, as configs/iris.yaml does)")),
    ("dataset-mnist", ["train", "--set", "data.dataset=mnist", "--out", "OUT"],
     e("error: --set data.dataset=mnist: mnist is not one of: circles, moons, sine, spirals, xor (mnist is not shipped "
       "and nothing is "
       "downloaded: give data.path, a CSV or .npz file of it)")),
    ("activation-list-too-long", ["train", "--set", "network.activation=[relu, tanh, sigmoid]", "--out", "OUT"],
     # the built-in default config's layers [2, 3, 1] are the other side: it is named
     e("error: --set network.activation=[relu, tanh, sigmoid] with the built-in default config: 3 names for 1 hidden "
       "layer; give one name, one per hidden layer (1), or one per layer, the output's last (2)")),
    ("activation-list-and-output-activation", ["train", "--set", "network.activation=[relu, tanh]", "--set",
                                               "network.output_activation=sigmoid", "--out", "OUT"],
     e("error: --set network.activation=[relu, tanh] --set network.output_activation=sigmoid with the built-in default "
       "config: network.activation: 2 names for 1 hidden layer and network.output_activation is set; give one per hidden "
       "layer with it, or one per layer (the output's last) without it")),
    ("activation-list-of-one", ["train", "--set", "network.layers=[2, 3, 3, 1]", "--set", "network.activation=[relu]",
                                "--out", "OUT"],
     e("error: --set network.layers=[2, 3, 3, 1] --set network.activation=[relu]: network.activation: 1 name for 2 hidden "
       "layers; give one name without brackets (relu, for every hidden layer), one per hidden layer (2), or one per "
       "layer, the output's last (3)")),
    ("activation-list-softmax-output-squared-error", ["train", "--set", "network.layers=[2, 3, 2]", "--set",
                                                      "network.activation=[relu, softmax]", "--out", "OUT"],
     e("error: --set network.activation=[relu, softmax] with the built-in default config: network.activation[1] (the "
       "output layer's): softmax needs cost cross_entropy, not the default squared_error")),
    ("activation-list-bad-output", ["train", "--set", "network.activation=[relu, softmx]", "--out", "OUT"],
     e("network.activation[1] (the output layer's): softmx is not one of: elu, leaky_relu, linear, relu, sigmoid, "
       "silu, softmax, softplus, tanh (did you mean softmax?)")),
    ("dataset-and-path", ["config", "validate", "IN/dataset_and_path.yaml"],
     e("dataset_and_path.yaml: data: give either data.dataset (a built-in) or data.path (a file), not both")),
    ("early-stopping-no-holdout", ["config", "validate", "IN/early_stopping_no_holdout.yaml"],
     e("early_stopping_no_holdout.yaml: training.early_stopping: needs a held-out cost to watch; "
       "set data.validation_fraction or data.test_fraction above 0")),
    # --- the config against the data and the machine
    ("layers-do-not-fit-data", ["train", "IN/layers_do_not_fit.yaml", "--out", "OUT"],
     e("layers_do_not_fit.yaml: network.layers[0]: 3 does not match the data: circles (built-in) "
       "has 2 inputs and 1 output; use layers: [2, …, 1]")),
    # (a network that fits xor's 2 inputs and 1 output: [100000, 100000, 10] is now refused as not
    # fitting the data, below)
    ("layers-too-big-for-memory", ["train", "IN/layers_too_big.yaml", "--out", "OUT"],
     e("layers_too_big.yaml: network.layers [2, 100000, 100000, 1]: training would need about 149.1 GiB of "
       "memory (parameters 74.5 GiB, gradients 74.5 GiB)", MEMORY, hint=MEMORY_HINT)),
    # too big for memory and not fitting the data: the memory refusal came first and hid the
    # layer size that does not fit (and blamed training.batch_size for [10**9, 1])
    ("layers-too-big-and-not-fitting-the-data", ["train", "IN/layers_too_big.yaml", "--out", "OUT", "--set",
                                                 "network.layers=[100000, 100000, 10]"],
     e("error: --set network.layers=[100000, 100000, 10]: network.layers[0]: 100000 does not match the data: xor "
       "(built-in) has 2 inputs and 1 output; use layers: [2, …, 1]")),
    ("first-layer-too-big-and-not-fitting-the-data", ["train", "IN/layers_too_big.yaml", "--json", "--set",
                                                      "network.layers=[1000000000, 1]"],
     e("error: --set network.layers=[1000000000, 1]: network.layers[0]: 1000000000 does not match the data: xor "
       "(built-in) has 2 inputs and 1 output; use layers: [2, …, 1]")),
    ("last-layer-not-fitting-a-files-data", ["config", "validate", "IN/csv_semicolon.yaml", "--set",
                                             "network.layers=[2, 1000000000, 7]"],
     e("error: --set network.layers=[2, 1000000000, 7]: network.layers[-1]: 7 does not match the data: ",
       "semicolon.csv has 2 inputs "
       "and 2 outputs; use layers: [2, …, 1] for one 0/1 output, or [2, …, 2]")),
    ("gradcheck-layer-not-fitting-the-data", ["gradcheck", "IN/layers_too_big.yaml", "--set",
                                              "network.layers=[3, 1000000000, 1]"],
     e("error: --set network.layers=[3, 1000000000, 1]: network.layers[0]: 3 does not match the data: xor (built-in)")),
    ("n-samples-too-big-for-memory", ["config", "validate", "IN/n_samples_too_big.yaml"],
     e("n_samples_too_big.yaml: data.n_samples: training would need about", "the generated data "
       "(1000000000000 rows) 65.5 TiB", MEMORY, hint="use a smaller data.n_samples")),
    ("n-samples-too-big-for-a-small-network", ["config", "validate", "IN/n_samples_too_big.yaml", "--set",
                                               "network.layers=[2, 8, 1]"],
     # the training split's 800000000000 rows (data.test_fraction 0.2 holds out the rest), not all 10**12
     e("n_samples_too_big.yaml with --set network.layers=[2, 8, 1]: data.n_samples: training would need about",
       "the order, targets and classes of "
       "800000000000 rows", MEMORY, hint="use a smaller data.n_samples")),
    ("batch-too-big-for-memory", ["config", "validate", "IN/layers_too_big.yaml", "--set",
                                  "network.layers=[2, 4096, 1]", "--set", "data={dataset: circles, "
                                  "n_samples: 1000000}", "--set", "training.batch_size=full"],
     # the batch is the training split, 800000 of the 1000000 rows (it said "a batch of 1000000 rows"), and
     # the hint names the largest batch_size that fits
     e("error: --set training.batch_size=full: training would need about", "activations of a batch of "
       "800000 rows (training.batch_size: full, the whole training split) 97.7 GiB", MEMORY,
       # float32 alone does not fit at 800000 rows: it is offered with its own largest batch_size
       hint="use training.batch_size: 63493 or less (the largest that fits), or 127038 or less with training.dtype: "
            "float32")),
    ("evaluate-data-too-big-for-memory", ["evaluate", "IN/run/model.npz", "--data", "IN/n_samples_too_big.yaml"],
     e("n_samples_too_big.yaml: data.n_samples: making the data would need about 65.5 TiB", MEMORY,
       hint="use a smaller data.n_samples")),
    # a size beyond floats' range once multiplied out (1e308 read as a whole number): an
    # OverflowError traceback, and the message wrote its 309 digits
    ("layer-of-1e308-too-big-for-memory", ["config", "validate", "IN/layers_too_big.yaml", "--set",
                                           "network.layers=[2, 1.0e+308, 1]"],
     e("error: --set network.layers=[2, 1.0e+308, 1]: training would need about 2.3e+298 TiB",
       "(parameters 2.9e+297 TiB,", MEMORY, hint=MEMORY_HINT)),
    ("gradcheck-too-big-for-memory",
     ["gradcheck", "IN/layers_too_big.yaml", "--set", "network.layers=[2, 40000, 40000, 1]"],
     e("error: --set network.layers=[2, 40000, 40000, 1]: the gradient check would need about",
       "results of every entry 149.0 GiB", MEMORY, hint=LAYERS_HINT)),
    # a wide layer with a small batch: the batch's activations (rows × units) are the largest
    # part, but no smaller training.batch_size would fit; it was blamed with that hint
    ("layer-too-wide-for-memory-with-a-batch-of-4", ["train", "--set", "network.layers=[2, 1000000000, 1]",
                                                    "--out", "OUT"],
     e("error: --set network.layers=[2, 1000000000, 1]: training would need about",
       "activations of a batch of 4 rows", MEMORY, hint=MEMORY_HINT)),
    # already float32: the hint suggested training.dtype: float32
    ("too-big-for-memory-in-float32", ["train", "--set", "network.layers=[2, 1000000000, 1]", "--set",
                                       "training.dtype=float32", "--out", "OUT"],
     e("error: --set network.layers=[2, 1000000000, 1]: training would need about", "parameters 14.9 GiB",
       MEMORY, hint=LAYERS_HINT)),
    ("layer-too-wide-for-a-sampled-gradcheck", ["gradcheck", "--mode", "sample", "--set",
                                                "network.layers=[2, 1000000000, 1]"],
     e("error: --set network.layers=[2, 1000000000, 1]: the gradient check would need about",
       "forward caches of 4 examples", MEMORY, hint=LAYERS_HINT)),
    # explain neither trains nor holds a batch: it was refused as "training.batch_size: training
    # would need ..." with the hint to use a smaller batch
    ("explain-too-big-for-memory", ["explain", "--layer", "L", "--set", "network.layers=[2, 100000000, 1]"],
     e("error: --set network.layers=[2, 100000000, 1]: explaining this network would need about 14.9 GiB",
       "parameters 3.0 GiB, their float64 copy, gradients and the copies the checks perturb 11.9 GiB", MEMORY,
       hint=LAYERS_HINT)),
    ("classes-for-a-fixed-data-set", ["train", "IN/layers_too_big.yaml", "--out", "OUT", "--set",
                                      "network.layers=[2, 4, 1]", "--set", "data={dataset: circles, classes: 3}"],
     e("error: --set data={dataset: circles, classes: 3}: data.classes: the circles data set has a fixed number of "
       "classes and takes no data.classes (given 3); only spirals does")),
    # --- files named by a config: resolved relative to the config, reported resolved
    ("data-path-missing", ["train", "IN/path_missing.yaml", "--out", "OUT"],
     e("path_missing.yaml: data.path: ", "/no_such_file.csv: no such file",
       hint="a relative data.path is read from the config file's folder")),
    ("data-path-is-a-folder", ["config", "validate", "IN/path_folder.yaml"],
     e("path_folder.yaml: data.path: ", ": is a folder, not a data file",
       hint="a relative data.path is read from the config file's folder")),
    ("data-path-nul", ["config", "validate", "IN/path_nul.yaml"],
     e("path_nul.yaml: data.path: \"a\\x00b.csv\" must be a file path (a string)")),
    ("data-path-unknown-home", ["config", "validate", "IN/path_unknown_home.yaml"],
     e("path_unknown_home.yaml: data.path: ~no_such_user_here/data.csv: cannot find the home folder of "
       "~no_such_user_here")),
    ("data-path-too-long", ["config", "validate", "IN/path_too_long.yaml"],
     e("path_too_long.yaml: data.path: ", "aaa.csv: cannot be read (File name too long)",
       hint="a relative data.path is read from the config file's folder")),
    ("out-name-too-long", ["train", "--out", "IN/" + "a" * 300],
     e("aaaa: File name too long")),
    ("data-path-json", ["config", "validate", "IN/path_json.yaml"],
     e("notes.json: files ending in '.json' are not supported; use one of: .csv, .npz, .tsv, .txt")),
    # a folder of configs: the hint lists them (12 of 56 here, then how many more)
    ("config-missing", ["train", "IN/no_such_config.yaml", "--out", "OUT"],
     e("no_such_config.yaml: config file not found", hint="has: activation_relu6.yaml, ")),
    # a typo in the name beside the right file (`configs/relu.yaml` for configs/xor_relu.yaml):
    # the hint said to run from the checkout, where the user already was
    ("config-missing-typo", ["train", "IN/bad_indnt.yaml"],
     e("bad_indnt.yaml: config file not found", hint="/bad_indent.yaml? ")),
    # typed relative, outside the checkout (`backprop train configs/iris.yaml` from a fresh folder):
    # the one line said nothing of where it looked or where the shipped configs are
    ("config-missing-relative", ["train", "configs/no_such.yaml"],
     e("configs/no_such.yaml: config file not found",
       hint="a relative path is read from the current folder, ")),
    # a model where a config belongs (`gradcheck runs/x/model.npz`, without --model): it was
    # "not UTF-8 text (byte 14); save the config as UTF-8"
    ("config-is-a-model", ["gradcheck", "IN/run/model.npz"],
     e("run/model.npz: is a numpy file (.npz/.npy), not a YAML config",
       hint="a trained model is given as --model FILE to gradcheck and explain")),
    # a CSV data file where a config belongs (`train data/iris.csv`): it said 'the top level must be a
    # mapping of sections (seed, data, network, cost, training), not a string'
    ("config-is-a-csv", ["train", "IN/semicolon.csv", "--out", "OUT"],
     e("semicolon.csv: is a CSV data file, not a YAML config",
       hint="set it as data.path in a config: `backprop init mine.yaml` writes one, or copy configs/iris.yaml")),
    ("config-is-a-csv-gradcheck", ["gradcheck", "IN/tab.csv"],
     e("tab.csv: is a CSV data file, not a YAML config", hint="set it as data.path in a config")),
    ("config-is-a-csv-explain", ["explain", "IN/empty.csv", "--layer", "L"],
     e("empty.csv: is a CSV data file, not a YAML config", hint="set it as data.path in a config")),
    ("config-is-a-csv-validate", ["config", "validate", "IN/notes.txt"],  # CSV by its content, not its name
     e("notes.txt: is a CSV data file, not a YAML config", hint="set it as data.path in a config")),
    ("config-is-a-folder", ["train", "IN/empty_folder", "--out", "OUT"],
     e("empty_folder: is a folder, expected a YAML config file")),
    # a run folder or a folder of configs for CONFIG: what in it to give instead
    ("config-is-a-run-folder", ["explain", "IN/run", "--layer", "L"],
     e("run: is a folder, expected a YAML config file",
       hint="run is a training run: give its config, ")),
    ("config-is-a-folder-of-configs", ["config", "validate", "IN/."],
     e(": is a folder, expected a YAML config file", hint="give one of its configs, e.g. ")),
    # --- CSV files
    ("csv-ragged-short-row", ["train", "IN/csv_ragged_short.yaml", "--out", "OUT"],
     e("ragged_short.csv row 3 has 2 cells, the header has 3")),
    ("csv-ragged-long-row", ["config", "validate", "IN/csv_ragged_long.yaml"],
     e("ragged_long.csv row 3 has 4 cells, the header has 3")),
    ("csv-not-a-number", ["train", "IN/csv_non_numeric.yaml", "--out", "OUT"],
     e("non_numeric.csv row 3, column b: x is not a number",
       hint="every column but the target (y, the last column) is an input; to leave column b out (ids, names, notes), "
            "list the inputs with data.features: [a]")),
    ("csv-nan", ["train", "IN/csv_nan_cell.yaml", "--out", "OUT"],
     e("nan_cell.csv row 3, column b: NaN is not allowed; NaN and infinite values are not supported, "
       "use a finite number")),
    ("csv-minus-inf", ["config", "validate", "IN/csv_inf_cell.yaml"],
     e("inf_cell.csv row 3, column a: -inf is not allowed; NaN and infinite values are not supported")),
    ("csv-overflow", ["config", "validate", "IN/csv_huge_number.yaml"],
     e("huge_number.csv row 2, column b: '1e400' is not allowed; NaN and infinite values are not supported")),
    ("csv-underscore", ["config", "validate", "IN/csv_underscore_number.yaml"],
     e("underscore_number.csv row 2, column b: '1_000' is not a number")),
    ("csv-empty-cell", ["config", "validate", "IN/csv_empty_cell.yaml"],
     e("empty_cell.csv row 2, column b: the cell is empty; a number is required",
       hint="every column but the target (y, the last column) is an input; to leave column b out (ids, names, notes), "
            "list the inputs with data.features: [a]")),
    ("csv-empty-target", ["config", "validate", "IN/csv_empty_target.yaml"],
     e("empty_target.csv row 3, column y: the target cell is empty; every row needs a target value")),
    # NA, N/A, ?, null in a label column were classes of their own (and made a column of numbers text)
    ("csv-missing-marker-target", ["train", "IN/csv_missing_marker_target.yaml", "--out", "OUT"],
     e("missing_marker_target.csv row 4, column y: N/A reads as a missing value, refused as an empty cell is; every "
       "row needs a target value: fill it in or remove the row")),
    ("csv-one-class", ["train", "IN/csv_one_class.yaml", "--out", "OUT"],
     e("one_class.csv, column y: the target has only one class (cat); classification needs at least 2")),
    ("csv-decimal-comma", ["train", "IN/csv_decimal_comma.yaml", "--out", "OUT"],
     e("decimal_comma.csv row 2, column a: '1,5' is not a number (this file uses ';' as separator; "
       "write decimals with '.')")),
    # a target of numbers with decimal commas was read, under task auto, as the classes '0,5', '1,5', '2'
    ("csv-decimal-comma-target", ["train", "IN/csv_decimal_comma_target.yaml", "--out", "OUT"],
     e("decimal_comma_target.csv row 2, column y: '1,5' is a number written with a comma; data.task auto "
       "would read the column as class labels, not numbers. Write decimals with '.' (1.5), or set "
       "data.task: classification if these are labels")),
    ("csv-quoted-decimal-comma-target", ["config", "validate", "IN/csv_quoted_comma_target.yaml"],
     e("quoted_comma_target.csv row 2, column y: '1,5' is a number written with a comma; data.task auto")),
    # whole numbers beyond 2^53 read by value: 2^53 + 1 and 2^53 were silently one class
    ("csv-labels-float64-merges", ["train", "IN/csv_huge_id_labels.yaml", "--out", "OUT"],
     e("huge_id_labels.csv, column y: the labels 9007199254740992 (row 2) and 9007199254740993 (row 4) differ "
       "but are one float64, 9007199254740992 (beyond 2^53 not every whole number is one), so they would be "
       "one class; write such labels as text, e.g. id9007199254740993")),
    ("csv-empty", ["train", "IN/csv_empty.yaml", "--out", "OUT"],
     e("empty.csv: the file is empty; a header row with column names is required")),
    ("csv-header-only", ["config", "validate", "IN/csv_header_only.yaml"],
     e("header_only.csv: has a header but no data rows")),
    ("csv-duplicate-column", ["config", "validate", "IN/csv_duplicate_column.yaml"],
     e("duplicate_column.csv: the header names column a more than once; column names must be unique")),
    ("csv-unnamed-column", ["config", "validate", "IN/csv_unnamed_column.yaml"],
     e("unnamed_column.csv row 1: column 2 has an empty name; every column needs a name in the header row")),
    ("csv-latin1", ["train", "IN/csv_latin1.yaml", "--out", "OUT"],
     e("latin1.csv row 2, column y: \"caf\\xe9\" is not UTF-8 text (byte 0xe9 cannot be decoded); "
       "save it as UTF-8 CSV",
       hint="a spreadsheet's plain 'CSV' is most often Windows-1252 (Latin-1) text: save it as CSV UTF-8 (Excel: "
            "'CSV UTF-8 (Comma delimited)'), or convert it: iconv -f WINDOWS-1252 -t UTF-8 latin1.csv > latin1-utf8.csv")),
    # Excel's "Unicode Text" (UTF-16): it said 'row 1, column 1: "\xff\xfex0" is not UTF-8 text (byte 0xff …)'
    ("csv-utf16", ["config", "validate", "IN/csv_utf16.yaml"],
     e("utf16.csv: is UTF-16 text (it starts with UTF-16's byte-order mark), not UTF-8",
       hint="save it as CSV UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'), or convert it: iconv -f UTF-16 -t UTF-8 "
            "utf16.csv > utf16-utf8.csv")),
    # without its byte-order mark, every other byte 0: 'target column y not found; columns are: "x\x00", …'
    ("csv-utf16-without-bom", ["config", "validate", "IN/utf16le.yaml"],
     e("utf16le.csv: is not UTF-8 text (its header row holds NUL bytes, 0x00, as UTF-16 text does)",
       hint="save it as CSV UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'), or convert it: iconv -f UTF-16LE -t "
            "UTF-8 utf16le.csv > utf16le-utf8.csv")),
    ("csv-text-target-for-regression", ["config", "validate", "IN/csv_text_target.yaml"],
     e("text_target.csv row 2, column y: cat is not a number (task regression needs numeric targets)")),
    ("csv-target-not-found", ["config", "validate", "IN/target_missing.yaml"],
     e("semicolon.csv: target column label (data.target) not found; columns are: a, b, y")),
    # train's data.target gets the letter-case hint that predict and evaluate give
    ("csv-target-in-another-case", ["train", "IN/target_case.yaml", "--out", "OUT"],
     e("semicolon.csv: target column Y (data.target) not found; columns are: a, b, y",
       hint="names must match exactly, letter case too: the file has y for Y")),
    # these two named no file ("error: data.target: ['y', 'y'] names a column more than once")
    ("csv-target-twice", ["train", "IN/target_twice.yaml", "--out", "OUT"],
     e("target_twice.yaml: data.target: [y, ' y'] names column y more than once; give each target column once")),
    ("npz-target", ["config", "validate", "IN/target_npz.yaml"],
     e("target_npz.yaml: data.target: [y] cannot be used with an .npz file (", "data.npz); it has no named "
       "columns, its targets are the array 'y'")),
    # data.features: the input columns by name; without it an id column was refused with no way out
    ("csv-text-id-column", ["train", "IN/features_text_id.yaml", "--out", "OUT"],
     e("ids.csv row 2, column id: r1 is not a number",
       hint="every column but the target (y, the last column) is an input; to leave column id out (ids, names, "
            "notes), list the inputs with data.features: [a, b]")),
    ("csv-features-not-found", ["config", "validate", "IN/features_missing.yaml"],
     e("ids.csv: input column bb (data.features) not found; columns are: id, a, b, y",
       hint="names must match exactly: the file has b for bb")),
    ("csv-features-holds-the-default-target", ["train", "IN/features_default_target.yaml", "--out", "OUT"],
     e("ids.csv: column y is in data.features and is the target (the last column, as data.target is not given); "
       "a column is an input or a target, not both", hint="name the target column with data.target")),
    ("features-holds-the-target", ["config", "validate", "IN/features_target_too.yaml"],
     e("features_target_too.yaml: data.features: [a, y] names column y, which data.target names too; a column is "
       "an input or a target, not both")),
    ("features-twice", ["train", "IN/features_twice.yaml", "--out", "OUT"],
     e("features_twice.yaml: data.features: [a, ' a'] names column a more than once; give each input column once")),
    ("features-empty-name", ["config", "validate", "IN/features_empty.yaml"],
     e("features_empty.yaml: data.features[1]: '' is an empty name; give the names of the CSV header's input "
       "columns")),
    ("npz-features", ["config", "validate", "IN/features_npz.yaml"],
     e("features_npz.yaml: data.features: [a, b] cannot be used with an .npz file (", "data.npz); it has no named "
       "columns, its inputs are the array 'X', every column of it")),
    ("set-features-for-a-built-in-set", ["train", "IN/xor_config.yaml", "--set", "inputs=[x0, x1]", "--out", "OUT"],
     e("error: --set inputs=[x0, x1] with ", "xor_config.yaml: data.features: only used with data.path (a CSV file); the "
       "built-in data set xor has its own inputs")),
    # --- NPZ data files
    ("npz-wrong-arrays", ["train", "IN/npz_wrong_arrays.yaml", "--out", "OUT"],
     e("wrong_arrays.npz: array 'X' is missing; the archive has: A, y")),
    ("npz-3d-x", ["config", "validate", "IN/npz_x_3d.yaml"],
     e("x_3d.npz: array 'X' has shape (3, 2, 1); a 2-D array (n_samples, n_inputs)")),
    ("npz-rows-differ", ["config", "validate", "IN/npz_rows_differ.yaml"],
     e("rows_differ.npz: array 'y' has 4 rows but 'X' has 3; they must match")),
    ("npz-pickled-objects", ["train", "IN/npz_object_x.yaml", "--out", "OUT"],
     e("object_x.npz: array 'X' holds Python objects; only numeric (or, for 'y', text) arrays are allowed")),
    # read as the text classes '0,5', '1,5', '2', where a CSV target column of them was refused
    ("npz-numbers-written-with-commas", ["train", "IN/npz_comma_labels.yaml", "--out", "OUT"],
     e("comma_labels.npz: array 'y' row 1: '1,5' is a number written with a comma; data.task auto would read "
       "the array as class labels, not numbers. Write decimals with '.' (1.5) and save 'y' as numbers")),
    ("npz-int-labels-float64-merges", ["config", "validate", "IN/npz_huge_int_labels.yaml"],
     e("huge_int_labels.npz: array 'y': the labels 9007199254740993 (row 1) and 9007199254740992 (row 2) "
       "differ but are one float64")),
    ("npz-not-an-archive", ["config", "validate", "IN/npz_garbage.yaml"],
     e("garbage.npz: is not an .npz archive (it does not start like one); expected an .npz archive "
       "with arrays 'X' and 'y'")),
    # --- model files, for each command that reads one
    ("model-truncated-predict", ["predict", "IN/truncated.npz", "IN/xor_inputs.csv", "--out", "OUT/p.csv"],
     e(f"truncated.npz: {TRUNCATED}")),
    ("model-truncated-evaluate", ["evaluate", "IN/truncated.npz"], e(f"truncated.npz: {TRUNCATED}")),
    ("model-truncated-gradcheck", ["gradcheck", "--model", "IN/truncated.npz"], e(f"truncated.npz: {TRUNCATED}")),
    ("model-truncated-explain", ["explain", "--layer", "L", "--model", "IN/truncated.npz"],
     e(f"truncated.npz: {TRUNCATED}")),
    ("model-folder-predict", ["predict", "IN/empty_folder", "IN/xor_inputs.csv"], e(f"empty_folder: {FOLDER}")),
    ("model-folder-evaluate", ["evaluate", "IN/interrupted_run"], e(f"interrupted_run: {FOLDER}", hint=INTERRUPTED)),
    ("model-folder-gradcheck", ["gradcheck", "--model", "IN/interrupted_run"],
     e(f"interrupted_run: {FOLDER}", hint=INTERRUPTED)),
    ("model-folder-explain", ["explain", "--layer", "L", "--model", "IN/empty_folder"],
     e(f"empty_folder: {FOLDER}")),
    ("model-missing", ["predict", "IN/no_such_model.npz", "IN/xor_inputs.csv"],
     e("no_such_model.npz: model file not found")),
    ("model-newer-version", ["predict", "IN/newer.npz", "IN/xor_inputs.csv"],
     e("newer.npz: model format version 2 is newer than this backprop-cli reads (1)",
       hint="upgrade backprop-cli to load it")),
    ("model-version-zero", ["evaluate", "IN/version_zero.npz"],
     e("version_zero.npz: model format version 0 does not exist; this backprop-cli reads versions 1 to 1")),
    ("model-version-text", ["evaluate", "IN/version_text.npz"],
     e("version_text.npz: format_version is one; a whole number is expected")),
    ("model-no-version", ["explain", "--layer", "L", "--model", "IN/no_version.npz"],
     e("no_version.npz: not a backprop-cli model (no format_version/config_yaml)")),
    ("model-pickled-array", ["predict", "IN/pickled_array.npz", "IN/xor_inputs.csv"],
     e("pickled_array.npz: array 'w1' holds pickled Python objects, which are never loaded")),
    ("model-is-a-pickle", ["evaluate", "IN/pickle_file.npz"],
     e("pickle_file.npz: is a Python pickle, which is never loaded; expected a model file written by "
       "backprop train --out")),
    ("model-single-array", ["gradcheck", "--model", "IN/single_array.npz"],
     e("single_array.npz: holds a single array (numpy.save), not an .npz archive")),
    # was "row 3, column 'x0': 'x0' is not a number", and the README suggested <(cat a.csv b.csv)
    ("predict-files-joined-with-their-headers", ["predict", "IN/run/model.npz", "IN/predict_two_headers.csv"],
     e("predict_two_headers.csv row 3: repeats the header row; a CSV file has one header row, then data rows",
       hint="to join CSV files, leave out the header rows of all but the first: (cat a.csv; tail -n +2 b.csv)")),
    # the same name but for letter case: the hint says why 'X0' is not 'x0'
    ("predict-column-in-another-case", ["evaluate", "IN/run/model.npz", "--data", "IN/predict_case.csv"],
     e("predict_case.csv: columns x0, label not found (needed: x0, x1, label); the file has: X0, x1",
       hint="names must match exactly, letter case too: the file has X0 for x0")),
    # a header typo, or a separator put in, was only "not found": the hint names the near column
    ("evaluate-column-misspelled", ["evaluate", "IN/run/model.npz", "--data", "IN/predict_typo.csv"],
     e("predict_typo.csv: columns x1, label not found (needed: x0, x1, label); the file has: x0, x_1, labl, id",
       hint="names must match exactly: the file has x_1 for x1, labl for label")),
    # a newcomer's two mix-ups: the arguments swapped, a config given for the rows; neither said what to do
    ("predict-arguments-swapped", ["predict", "IN/xor_inputs.csv", "IN/run/model.npz"],
     e("xor_inputs.csv: is not an .npz archive", "expected a model file",
       hint="the model comes first: backprop predict ")),
    ("predict-given-a-config", ["predict", "IN/run/model.npz", "IN/xor_config.yaml"],
     e("xor_config.yaml: looks like a YAML config (keys data, network), not a CSV file of rows",
       hint="predict reads the rows of a CSV file; to measure the model on a config's test split: "
            "backprop evaluate ")),
    # a missing .yaml was told to try 'backprop evaluate MODEL --data missing.yaml', which fails the same way
    ("predict-given-a-missing-config", ["predict", "IN/run/model.npz", "IN/no_such_config.yaml"],
     e("no_such_config.yaml: no such file",
       hint="predict reads the rows of a CSV file; a .yaml file is a config, not rows of inputs")),
    # a binary file for the CSV said 'row 1, column 1: "PK\x03\x04\x14…" is not UTF-8 text': what it is, and what to do
    ("predict-given-a-workbook", ["predict", "IN/run/model.npz", "IN/workbook.xlsx"],
     e("workbook.xlsx: is an Excel workbook (.xlsx), not CSV text; save the sheet as CSV (UTF-8)")),
    ("evaluate-given-a-renamed-workbook", ["evaluate", "IN/run/model.npz", "--data", "IN/renamed_workbook.csv"],
     e("renamed_workbook.csv: is a zip archive, not CSV text", "a CSV file is plain text with a header row")),
    ("predict-given-a-gzipped-csv", ["predict", "IN/run/model.npz", "IN/rows.csv.gz", "--out", "OUT/p.csv"],
     e("rows.csv.gz: is gzip-compressed, not CSV text; decompress it first (gunzip -k rows.csv.gz)")),
    # a program for the CSV was told to convert it from Windows-1252 (iconv …), a file of NULs from UTF-16BE
    ("predict-given-a-binary-file", ["predict", "IN/run/model.npz", "IN/program", "--out", "OUT/p.csv"],
     e("program: is a binary file (it holds NUL bytes), not CSV text; a CSV file is plain text with a header row")),
    ("evaluate-given-a-file-of-nuls", ["evaluate", "IN/run/model.npz", "--data", "IN/nuls.csv"],
     e("nuls.csv: holds only NUL bytes (as a crash or a full disk can leave a file), not CSV text")),
    # a one-column UTF-16 file's header line, 'y\0\n', was all that was looked at: called a binary file
    ("predict-given-a-short-utf16-file", ["predict", "IN/run/model.npz", "IN/utf16_one_column.csv"],
     e("utf16_one_column.csv: is not UTF-8 text (its header row holds NUL bytes, 0x00, as UTF-16 text does)",
       hint="save it as CSV UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'), or convert it: iconv -f UTF-16LE -t "
            "UTF-8 utf16_one_column.csv > utf16_one_column-utf8.csv")),
    ("predict-given-a-short-utf16-crlf-file", ["predict", "IN/run/model.npz", "IN/utf16_crlf.csv"],
     e("utf16_crlf.csv: is not UTF-8 text (its header row holds NUL bytes, 0x00, as UTF-16 text does)",
       hint="iconv -f UTF-16LE -t UTF-8 utf16_crlf.csv > utf16_crlf-utf8.csv")),
    ("predict-given-a-short-utf16be-file", ["predict", "IN/run/model.npz", "IN/utf16be_one_column.csv"],
     e("utf16be_one_column.csv: is not UTF-8 text (its header row holds NUL bytes, 0x00, as UTF-16 text does)",
       hint="iconv -f UTF-16BE -t UTF-8 utf16be_one_column.csv > utf16be_one_column-utf8.csv")),
    ("predict-given-utf16-with-a-control-character", ["predict", "IN/run/model.npz", "IN/utf16_control.csv"],
     e("utf16_control.csv: is not UTF-8 text (its header row holds NUL bytes, 0x00, as UTF-16 text does)",
       hint="iconv -f UTF-16LE -t UTF-8 utf16_control.csv > utf16_control-utf8.csv")),
    # told 'is not UTF-8 text (byte 0x00 …)' and sent to iconv -f WINDOWS-1252, which kept every NUL
    ("predict-given-utf16-with-an-accent-and-no-byte-order-mark", ["predict", "IN/run/model.npz",
                                                                   "IN/utf16be_accent.csv"],
     e("utf16be_accent.csv: is not UTF-8 text (it reads as UTF-16BE text, with no byte-order mark)",
       hint="iconv -f UTF-16BE -t UTF-8 utf16be_accent.csv > utf16be_accent-utf8.csv")),
    # one NUL in a quoted cell of a Windows-1252 file made it 'a binary file': the iconv hint that converts it
    ("predict-given-latin1-with-a-nul", ["predict", "IN/run/model.npz", "IN/latin1_nul.csv"],
     e("latin1_nul.csv row 2, column note: \"caf\\xe9\" is not UTF-8 text (byte 0xe9 cannot be decoded)",
       hint="a spreadsheet's plain 'CSV' is most often Windows-1252 (Latin-1) text: save it as CSV UTF-8 (Excel: "
            "'CSV UTF-8 (Comma delimited)'), or convert it: iconv -f WINDOWS-1252 -t UTF-8 latin1_nul.csv > "
            "latin1_nul-utf8.csv")),
    # one NUL in a UTF-8 file's header: 'a binary file'; the column that holds it
    ("predict-given-a-nul-in-a-column-name", ["predict", "IN/run/model.npz", "IN/nul_in_header.csv"],
     e("nul_in_header.csv row 1, column 3: \"no\\x00te\" holds a NUL byte (0x00), which no column name may; "
       "remove it from the header row")),
    ("model-empty-file", ["predict", "IN/empty_model.npz", "IN/xor_inputs.csv"],
     e("empty_model.npz: is empty; expected a model file")),
    ("model-corrupt-bytes", ["evaluate", "IN/flipped.npz"],
     e("flipped.npz: array ", "cannot be read (truncated or corrupt: ")),
    ("model-architecture-mismatch", ["predict", "IN/wrong_shape.npz", "IN/xor_inputs.csv"],
     e("wrong_shape.npz: array 'w1' has shape (4, 2), expected (3, 2) for the stored config's "
       "network.layers [2, 3, 1]")),
    # a hand-made file with seed 001's W (Z = XW, inputs × outputs) for w^(1): only the shapes were said
    ("model-transposed-weights", ["explain", "--layer", "1", "--model", "IN/transposed_w1.npz"],
     e("transposed_w1.npz: array 'w1' has shape (2, 3), expected (3, 2) for the stored config's network.layers "
       "[2, 3, 1]; this 2×3 matrix looks transposed (inputs × outputs): w^(1)'s rows are the neurons j of layer 1, "
       "its columns the inputs k, from layer 0 (w_jk); seed 001's W (Z = XW) stores the transpose: save its "
       "transpose (w.T)")),
    ("model-config-edited-huge", ["gradcheck", "--model", "IN/huge_config.npz"],
     e("huge_config.npz: array 'w1' has shape (3, 2), expected (100000, 2) for the stored config's "
       "network.layers [2, 100000, 100000, 1]")),
    ("model-missing-layer", ["explain", "--layer", "L", "--model", "IN/no_w2.npz"],
     e("no_w2.npz: array 'w2' is missing (the stored config's network.layers [2, 3, 1] needs w1…w2 and b1…b2)")),
    ("model-extra-layer", ["evaluate", "IN/extra_layer.npz"],
     e("extra_layer.npz: has array 'b3', but the stored config's network.layers [2, 3, 1] has only 2 weight layers")),
    ("model-nan-weights", ["predict", "IN/nan_weight.npz", "IN/xor_inputs.csv"],
     e("nan_weight.npz: array 'w1' at [0, 0] is nan; a model's numbers must be finite")),
    ("model-text-weights", ["predict", "IN/text_weight.npz", "IN/xor_inputs.csv"],
     e("text_weight.npz: array 'b1' has dtype <U1; real numbers are required")),
    ("model-stored-config-broken", ["evaluate", "IN/broken_config.npz"],
     e("broken_config.npz (stored config): YAML error (line ")),
    ("model-stored-config-invalid", ["evaluate", "IN/bad_config_value.npz"],
     e("bad_config_value.npz (stored config): training.learning_rate: fast is not a number greater than 0 (string)")),
    ("model-class-names", ["predict", "IN/class_names.npz", "IN/xor_inputs.csv"],
     e("class_names.npz: class_names has 3 names for 1 output (expected 2)")),
    # a file edited by hand: a repeated class would write two p_a columns (one JSON key), a
    # repeated or empty input name was blamed on the CSV file ("columns 'x0', 'x0' not found")
    ("model-class-names-twice", ["predict", "IN/twice_class_names.npz", "IN/xor_inputs.csv", "--json"],
     e("twice_class_names.npz: class_names has 'a' twice; the names must be unique")),
    ("model-feature-names-twice", ["predict", "IN/twice_feature_names.npz", "IN/xor_inputs.csv"],
     e("twice_feature_names.npz: feature_names has 'x0' twice; the names must be unique")),
    ("model-feature-name-empty", ["evaluate", "IN/empty_feature_name.npz", "--data", "IN/xor_inputs.csv"],
     e("empty_feature_name.npz: feature_names[1] is empty; every input column needs a name")),
    # an empty class was printed as an empty label (a p_ column, a blank row of evaluate's tables), an empty
    # target name as a column with no name; a data file's labels and header names are stripped, never empty
    ("model-class-name-empty", ["predict", "IN/empty_class_name.npz", "IN/xor_inputs.csv"],
     e("empty_class_name.npz: class_names[1] is empty; every class needs a name")),
    ("model-class-name-blank", ["evaluate", "IN/blank_class_name.npz", "--data", "IN/xor_inputs.csv"],
     e("blank_class_name.npz: class_names[0] is empty; every class needs a name")),
    ("model-target-name-empty", ["predict", "IN/empty_target_name.npz", "IN/xor_inputs.csv"],
     e("empty_target_name.npz: target_names[0] is empty; every target column needs a name")),
    ("model-cost-changed-by-set", ["gradcheck", "--model", "IN/run/model.npz", "--set", "cost=bogus"],
     e("error: --set cost=bogus: bogus is not one of: cross_entropy, half_squared_error, squared_error")),
    ("model-layers-changed-by-set", ["gradcheck", "--model", "IN/run/model.npz", "--set", "network.layers=[2, 4, 1]"],
     e("error: --set network.layers=[2, 4, 1]: network.layers cannot change for a trained model (", "model.npz)")),
    # the model's stored network is used as it is: these were ignored without a word (explain
    # showed the sigmoid net's chain for --set network.activation=tanh)
    ("model-activation-changed-by-set", ["explain", "--layer", "L", "--model", "IN/run/model.npz",
                                         "--set", "network.activation=tanh"],
     e("error: --set network.activation=tanh: activations (network.activation, network.output_activation) cannot "
       "change for a trained model (", "model.npz): its network is the stored one, [sigmoid, sigmoid]")),
    ("model-cost-switched-by-set", ["gradcheck", "--model", "IN/run/model.npz", "--set", "cost=half_squared_error"],
     e("error: --set cost=half_squared_error: cost cannot change for a trained model (", "the stored one, squared_error")),
    ("model-l2-changed-by-set", ["gradcheck", "--model", "IN/run/model.npz", "--set", "training.l2=0.1"],
     e("error: --set training.l2=0.1: training.l2 cannot change for a trained model (", "the stored one, 0.0")),
    # --- CSVs given to predict/evaluate, and other options
    ("predict-ragged-row", ["predict", "IN/run/model.npz", "IN/predict_ragged.csv", "--out", "OUT/p.csv"],
     e("predict_ragged.csv row 3 has 1 cell, the header has 2")),
    ("predict-nan-cell", ["predict", "IN/run/model.npz", "IN/predict_nan.csv"],
     e("predict_nan.csv row 2, column x0: nan is not allowed; NaN and infinite values are not supported")),
    ("predict-missing-column", ["predict", "IN/run/model.npz", "IN/predict_no_x1.csv"],
     e("predict_no_x1.csv: column x1 not found (needed: x0, x1); the file has: x0, y")),
    # --keep: a column the file lacks is named with the file's columns and a near name, before anything is written
    ("predict-keep-missing-column", ["predict", "IN/run/model.npz", "IN/predict_ids.csv", "--keep", "Id",
                                     "--out", "OUT/p.csv"],
     e("predict_ids.csv: column Id (--keep) not found; the file has: id, x0, x1, name",
       hint="names must match exactly, letter case too: the file has id for Id")),
    # one --keep per column, as --layer takes several; 'id,name' could be a column's own name
    ("predict-keep-columns-joined-by-a-comma", ["predict", "IN/run/model.npz", "IN/predict_ids.csv",
                                                "--keep", "id,name"],
     e("predict_ids.csv: column 'id,name' (--keep) not found; the file has: id, x0, x1, name",
       hint="repeat --keep for several columns: --keep id --keep name")),
    ("predict-keep-twice", ["predict", "IN/run/model.npz", "IN/predict_ids.csv", "-k", "id", "--keep", " id"],
     e("--keep id: is given twice; a column is kept once")),
    ("predict-out-is-a-folder", ["predict", "IN/run/model.npz", "IN/xor_inputs.csv", "--out", "IN/empty_folder"],
     e("--out ", "empty_folder: is a folder; give a file name such as ")),
    # a trailing "/" names a folder (as for init); Path() dropped it and a file p.csv was written
    # a file where a folder of the path should be: mkdir said only "File exists" or "Not a directory"
    ("train-out-under-a-file", ["train", "--epochs", "1", "--out", "IN/notes.txt/run"],
     e("--out ", "notes.txt/run: cannot create the folder: ", "notes.txt is a file, not a folder")),
    ("predict-out-under-a-file", ["predict", "IN/run/model.npz", "IN/xor_inputs.csv", "--out", "IN/notes.txt/p.csv"],
     e("--out ", "notes.txt/p.csv: cannot write: ", "notes.txt is a file, not a folder")),
    ("init-under-a-file", ["init", "IN/notes.txt/x"],
     e("notes.txt/x.yaml: cannot create the folder ", "notes.txt is a file, not a folder")),
    ("predict-out-trailing-slash", ["predict", "IN/run/model.npz", "IN/xor_inputs.csv", "--out", "OUT/p.csv/"],
     e("--out ", "p.csv/: names a folder; give a file name such as ")),
    ("predict-out-empty", ["predict", "IN/run/model.npz", "IN/xor_inputs.csv", "--out", ""],
     e("--out: is empty; give a file name such as predictions.csv, or - for standard output")),
    ("evaluate-data-folder", ["evaluate", "IN/run/model.npz", "--data", "IN/empty_folder"],
     e("--data ", "empty_folder: is a folder; give a YAML config (.yaml, .yml) or a CSV file (.csv) in it")),
    ("evaluate-data-json", ["evaluate", "IN/run/model.npz", "--data", "IN/notes.json"],
     e("--data ", "notes.json: expected a YAML config (.yaml, .yml) or a CSV file (.csv, .tsv, .txt)")),
    # alone, --overwrite was accepted and did nothing: no run is saved without --out (nor a file written)
    ("train-overwrite-without-out", ["train", "--overwrite", "--epochs", "1"],
     e("--overwrite: needs --out DIR, the folder whose run the new one replaces")),
    ("predict-overwrite-without-out", ["predict", "IN/run/model.npz", "IN/xor_inputs.csv", "--overwrite"],
     e("--overwrite: needs --out FILE, a file it lets predict replace (without one the predictions go to "
       "standard output)")),
    # both: --overwrite was ignored without a word and the old run continued
    ("resume-and-overwrite", ["train", "--out", "IN/run", "--resume", "--overwrite"],
     e("--resume and --overwrite: give one; --resume continues the run in --out, --overwrite replaces it")),
    # the default config names the xor data set: a --set data.path alone cannot work, say how
    ("set-data-path-beside-the-configs-dataset", ["train", "--set", "data.path=IN/semicolon.csv", "--out", "OUT"],
     e("error: --set data.path=", "semicolon.csv with the built-in default config: data: give either data.dataset "
       "(a built-in) or data.path (a file), not both",
       hint="add --set data.dataset=null to replace the config's data.dataset with the --set data.path")),
    # the other way round, from a config with data.target: following the hint alone was refused next
    # ("data.target: only used with data.path"), so the hint names it too
    ("set-dataset-beside-the-configs-csv", ["train", "IN/csv_with_target.yaml", "--set", "data.dataset=xor",
                                            "--out", "OUT"],
     e("csv_with_target.yaml: data: give either data.dataset (a built-in) or data.path (a file), not both",
       hint="add --set data.path=null --set data.target=null to replace the config's data.path with the "
            "--set data.dataset")),
    # and from a built-in config with n_samples/noise/classes: data.dataset=null alone was refused
    # next ("data.n_samples: only used with a built-in data.dataset"), then noise, then classes
    ("set-path-beside-the-configs-generator-settings", ["train", "IN/builtin_with_generator_settings.yaml", "--set",
                                                        "data.path=IN/semicolon.csv", "--out", "OUT"],
     e("builtin_with_generator_settings.yaml: data: give either data.dataset (a built-in) or data.path (a file), not both",
       hint="add --set data.dataset=null --set data.n_samples=null --set data.noise=null --set data.classes=null "
            "to replace the config's data.dataset with the --set data.path")),
    ("set-epochs-no", ["train", "--set", "training.epochs=no", "--out", "OUT"],
     e("error: --set training.epochs=no: false is not a whole number from 1 to 1,000,000 (boolean): "
       f"{BOOLEAN}; write a number instead")),
    # --lr -5 is refused by the option itself (test_cli's test_every_number_option_says_what_it_allows)
    ("lr-set-negative", ["train", "--set", "lr=-5", "--out", "OUT"],
     e("error: --set lr=-5: training.learning_rate: -5 must be greater than 0")),
    ("set-without-value", ["train", "--set", "nonsense", "--out", "OUT"],
     e("--set nonsense: expected KEY.PATH=VALUE, e.g. --set training.epochs=50")),
    # a key under a value: it blamed the config ("<built-in default>: network.layers: must be a mapping")
    ("set-key-under-a-value", ["train", "--set", "network.layers.x=1", "--out", "OUT"],
     e("--set network.layers.x: network.layers is a single value, not a section with keys; give "
       "network.layers=VALUE")),
    # a field's other name with a key under it: said as unknown ("--set lr: unknown key 'lr'"), and
    # 'layers.0' as "did you mean 'network.layers'?", the field it names
    ("set-synonym-key-under-a-value", ["config", "show", "--set", "lr.x=1"],
     e("--set training.learning_rate.x: training.learning_rate is a single value, not a section with keys; "
       "give training.learning_rate=VALUE")),
    ("set-flat-key-under-a-value", ["train", "--set", "layers.0=3", "--out", "OUT"],
     e("--set network.layers.0: network.layers is a single value, not a section with keys; give "
       "network.layers=VALUE")),
    # an empty name between dots: "--set : unknown key ''"
    ("set-empty-name-in-key", ["config", "show", "--set", "training..epochs=5"],
     e("--set training..epochs: a key with an empty name; give a field's path, e.g. training.epochs (or epochs)")),
    # a control character or a newline in a key: printed raw into the message (a second line)
    ("set-newline-in-key", ["config", "show", "--set", "x\ny=1"],
     e("--set \"x\\ny\": unknown key \"x\\ny\"; allowed: seed, data, network, cost, training")),
    ("set-control-character-in-key", ["train", "--set", "le\x01arning_rate=1", "--out", "OUT"],
     e("--set \"le\\x01arning_rate\": unknown key \"le\\x01arning_rate\": did you mean training.learning_rate?")),
    # a whole section's keys are read as in a file: 'training={lr: 0.5}' was "unknown key 'lr'"
    ("set-section-with-a-field-twice", ["config", "show", "--set", "training={lr: 0.5, eta: 0.1}"],
     e("--set training.learning_rate: given twice, as training.lr and as training.eta; give it once")),
    ("set-section-with-a-field-of-another", ["train", "--set", "training={layers: [2, 3, 1]}", "--out", "OUT"],
     e("error: --set training={layers: [2, 3, 1]}: training.layers: unknown key layers: it belongs under network: → "
       "network.layers")),
    # a value with a line break (a shell variable's trailing newline) was printed raw: a second line
    ("set-twice-with-a-line-break", ["config", "show", "--set", "epochs=1", "--set", "n_epochs=2\n"],
     e("--set training.epochs: given twice (epochs=1, then \"n_epochs=2\\n\"); give each field once")),
    # a lone '=' is YAML 1.1's value key: "'!!value': tags such as !!python/object are not allowed"
    ("set-value-equals-sign", ["config", "show", "--set", "lr=="],
     e("error: --set lr==: training.learning_rate: '=' is not a number greater than 0 (string)")),
    # the same field twice: the last one was used silently (a duplicate YAML key is an error too)
    ("set-twice", ["train", "--set", "training.epochs=5", "--set", "training.epochs=7", "--out", "OUT"],
     e("--set training.epochs: given twice (5, then 7); give each field once")),
    ("set-section-and-its-key", ["train", "--set", "training.epochs=7", "--set", "training={epochs: 5}", "--out", "OUT"],
     e("--set training={epochs: 5}: overlaps --set training.epochs=7; give each field once")),  # as typed, value too
    # a whole number of more than 4300 digits: Python's int() refused to read it (a traceback), or
    # in hexadecimal to print it (config show, config.yaml); now at most 1000 digits
    ("whole-number-5000-digits", ["config", "show", "--set", "seed=" + "9" * 5000],
     e("--set seed: YAML error (line 1, column 1): a whole number of 5,000 digits is too long (at most 1,000)")),
    ("whole-number-4000-hex-digits", ["train", "--set", "seed=0x" + "f" * 4000, "--out", "OUT"],
     e("--set seed: YAML error (line 1, column 1): a whole number of 4,000 digits is too long (at most 1,000)")),
    # below the minimum: the value as given, not the 309 digits of int(-1e308)
    ("seed-minus-1e308", ["config", "show", "--set", "seed=-1e308"],
     e("error: --set seed=-1e308: -1e308 must be at least 0")),
    # (config validate lists the file's own [2, 0, 1] too: test_validate_lists_a_long_sets_error_shortened)
    ("layer-minus-900-digits", ["config", "show", "IN/layer_zero.yaml", "--set", "network.layers=[2, -" + "9" * 900 + ", 1]"],
     e("error: --set network.layers=…: network.layers[1]: -999999999999999999...999999999999999999 must be at "
       "least 1")),
    # a blank kept in the name: ' - ' wrote the file ' - .yaml' (not stdout), 'mine.yaml ' 'mine.yaml .yaml'
    ("init-name-with-blank-ends", ["init", " - "],
     e("NAME ' - ': begins or ends with a blank, which the file's name would keep; give '-'")),
    ("init-name-with-trailing-blank", ["init", "mine.yaml "],
     e("NAME 'mine.yaml ': begins or ends with a blank, which the file's name would keep; give mine.yaml")),
    ("init-unknown-dataset", ["init", "mine.yaml", "--dataset", "banana"],
     e("--dataset: banana is not one of: xor, circles, moons, spirals, sine")),
    ("init-shipped-csv-dataset", ["init", "mine.yaml", "--dataset", "iris"],
     e("--dataset: iris is not one of: xor, circles, moons, spirals, sine (iris ships as a CSV file, data/iris.csv, "
       "with its own config, configs/iris.yaml)",
       hint="start from a copy of it (its data.path is relative to its folder): cp configs/iris.yaml mine.yaml")),
    ("init-mnist-dataset", ["init", "mine.yaml", "--dataset", "MNIST"],
     e("--dataset: MNIST is not one of: xor, circles, moons, spirals, sine (mnist is not shipped and nothing is "
       "downloaded)", hint="start from a built-in set and set data.path to a CSV or .npz file of it")),
    ("plot-missing-run", ["plot", "IN/no_such_run"],
     e("no_such_run: run folder not found (make one with: backprop train CONFIG --out ")),
]


def listing(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folders`` (hidden ones too) with its size and mtime."""
    out = {}
    for folder in folders:
        for p in folder.rglob("*"):  # unsorted: listings are compared as dicts, whatever their order
            st = p.stat()
            out[str(p)] = (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else (0, 0)  # p.is_file()
    return out


def substitute(args: list[str], inputs: Path, out: Path) -> list[str]:
    return [a.replace("IN/", f"{inputs}/").replace("OUT", str(out)) for a in args]


def assert_one_clear_error(result, needles: tuple[str, ...], hint: str | None, code: int = 2,
                           json_out: bool = False) -> None:
    """``json_out``: the command was given --json, and prints its refusal as an object on stdout too."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert printed_refusal(result.stdout, result.stderr) if json_out else result.stdout == "", result.output
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    if hint is None:
        assert len(lines) == 1, result.stderr
    else:
        assert len(lines) == 2 and lines[1].startswith("hint: ") and hint in lines[1], result.stderr
        if hint == LAYERS_HINT:  # and not the float32 suffix, which would not help
            assert lines[1] == f"hint: {hint}", result.stderr


def test_the_table_is_big_and_its_ids_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 40


@pytest.mark.parametrize("args, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_line_and_writes_nothing(inputs, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    before = listing(tmp_path, inputs)
    result = runner.invoke(app, substitute(args, inputs, tmp_path / "out"))
    assert_one_clear_error(result, *expected, json_out=args[0] in JSON_COMMANDS and "--json" in args)
    assert listing(tmp_path, inputs) == before  # nothing written, nothing changed


#: A --set that would change a trained model's network names that --set as typed, as every other --set
#: error does (it said '--set:'): an alias, a whole section; not a --set that is no cause of the change
#: named (seed's; the cost's, which comes after the activations')
MODEL_SET_CASES = [
    ("model-layers-changed-by-an-alias", ["explain", "--model", "IN/run/model.npz", "--set", "seed=4",
                                          "--set", "layers=[2,4,1]"],
     e("error: --set layers=[2,4,1]: network.layers cannot change for a trained model (",
       "model.npz): its network is the stored one, [2, 3, 1]")),
    ("model-layers-changed-by-a-section", ["gradcheck", "--model", "IN/run/model.npz",
                                           "--set", "network={layers: [2, 4, 1]}"],
     e("error: --set network={layers: [2, 4, 1]}: network.layers cannot change for a trained model (")),
    ("model-activations-and-cost-changed-by-set", ["gradcheck", "--model", "IN/run/model.npz", "--set",
                                                   "cost=half_squared_error", "--set", "network.activation=tanh"],
     e("error: --set network.activation=tanh: activations (network.activation, network.output_activation) cannot "
       "change for a trained model (", "the stored one, [sigmoid, sigmoid]")),
    # two --sets that each change the activations alone, so that neither is needed: both named (it said
    # '--set:'), not the seed's beside them; one that changes no activation is not named
    ("model-activations-changed-by-two-sets", ["gradcheck", "--model", "IN/run/model.npz", "--set",
                                               "network.activation=tanh", "--set", "seed=4", "--set",
                                               "network.output_activation=tanh"],
     e("error: --set network.activation=tanh --set network.output_activation=tanh: activations (network.activation, "
       "network.output_activation) cannot change for a trained model (", "the stored one, [sigmoid, sigmoid]")),
    ("model-activations-changed-by-two-sets-explain", ["explain", "--model", "IN/run/model.npz", "--set",
                                                       "network.output_activation=tanh", "--set",
                                                       "network.activation=relu"],
     e("error: --set network.output_activation=tanh --set network.activation=relu: activations (network.activation, "
       "network.output_activation) cannot change for a trained model (", "the stored one, [sigmoid, sigmoid]")),
    ("model-activation-changed-beside-one-that-is-not", ["gradcheck", "--model", "IN/run/model.npz", "--set",
                                                         "network.activation=tanh", "--set",
                                                         "network.output_activation=sigmoid"],
     e("error: --set network.activation=tanh: activations (network.activation, ",
       "the stored one, [sigmoid, sigmoid]")),
    # network.hidden_activation, the other spelling of network.activation: the later of the two replaces the
    # earlier, so it is the one named (it said '--set:' where the hidden layers' one came last)
    ("model-hidden-activation-after-activation", ["gradcheck", "--model", "IN/run/model.npz", "--set",
                                                  "network.activation=tanh", "--set", "network.hidden_activation=relu"],
     e("error: --set network.hidden_activation=relu: activations (network.activation, network.output_activation) "
       "cannot change for a trained model (", "the stored one, [sigmoid, sigmoid]")),
    ("model-activation-after-hidden-activation", ["explain", "--model", "IN/run/model.npz", "--set",
                                                  "network.hidden_activation=relu", "--set", "network.activation=tanh"],
     e("error: --set network.activation=tanh: activations (network.activation, network.output_activation) "
       "cannot change for a trained model (", "the stored one, [sigmoid, sigmoid]")),
    ("model-weights-changed-by-set", ["gradcheck", "--model", "IN/run/model.npz",
                                      "--set", "network.biases=[[0, 0, 0], [0]]"],
     e("error: --set network.biases=[[0, 0, 0], [0]]: network.biases cannot change for a trained model (",
       "model.npz): its biases are the stored, trained ones")),
]


@pytest.mark.parametrize("args, expected", [c[1:] for c in MODEL_SET_CASES], ids=[c[0] for c in MODEL_SET_CASES])
def test_a_set_refused_for_a_trained_model_is_named_as_typed(inputs, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    assert_one_clear_error(runner.invoke(app, substitute(args, inputs, tmp_path / "out")), *expected)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["config", "validate", "IN/tab_indent.yaml"], "tab_indent.yaml: YAML error (line 2, column 1)"),
        (["predict", "IN/truncated.npz", "IN/xor_inputs.csv"], f"truncated.npz: {TRUNCATED}"),
        (["train", "IN/csv_decimal_comma.yaml", "--out", "OUT"], "decimal_comma.csv row 2, column a: '1,5'"),
    ],
    ids=["yaml", "model", "csv"],
)
def test_end_to_end_in_a_real_process(inputs, tmp_path, args, needle):
    """The installed entry point: the same single line, exit 2 (the memory limit is real here)."""
    before = listing(tmp_path, inputs)
    r = subprocess.run([sys.executable, "-m", "backprop_cli", *substitute(args, inputs, tmp_path / "out")],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and needle in lines[0]
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("hint: "))
    assert listing(tmp_path, inputs) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_config_source_is_refused_not_read_until_memory_runs_out(tmp_path):
    """`backprop config show /dev/zero` read the device until memory ran out (8.9 GB in 20 s);
    the config is read up to a cap and refused past it. A real process with its address space
    capped, so that without the cap it fails fast ("ran out of memory") instead of eating the machine."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * GiB, 2 * GiB))

    r = subprocess.run([sys.executable, "-m", "backprop_cli", "config", "show", "/dev/zero"], capture_output=True,
                       text=True, cwd=tmp_path, preexec_fn=cap, timeout=60)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr.splitlines() == ["error: /dev/zero: holds more than 10 MiB, too much for a config file (a "
                                     "YAML config is a few hundred bytes); is it the right file?"]


@pytest.mark.parametrize("command", ["predict", "evaluate", "train"])
def test_a_csv_line_too_long_to_hold_is_refused_before_it_is_read_whole(inputs, tmp_path, monkeypatch, command):
    """Python reads a whole line before csv's limit on one cell applies, so a file without line
    breaks (`backprop predict model.npz /dev/zero`, a binary file) was read until memory ran out:
    a line longer than data.MAX_CSV_LINE characters is refused, naming its row (here the limit is
    lowered to 1000 so that the test is fast; the line holds short cells, which csv's own limit lets through)."""
    from backprop_cli import data

    monkeypatch.setattr(data, "MAX_CSV_LINE", 1000, raising=False)
    monkeypatch.chdir(tmp_path)
    csv_file = tmp_path / "long.csv"
    csv_file.write_text("x0,x1,label\n0,1,1\n" + "1," * 600 + "1\n")
    (tmp_path / "long.yaml").write_text("data: {path: long.csv}\nnetwork: {layers: [2, 3, 1]}\n")
    args = {"predict": ["predict", str(inputs / "run" / "model.npz"), str(csv_file)],
            "evaluate": ["evaluate", str(inputs / "run" / "model.npz"), "--data", str(csv_file)],
            "train": ["train", str(tmp_path / "long.yaml"), "--out", str(tmp_path / "out")]}[command]
    before = listing(tmp_path)
    result = runner.invoke(app, args)
    assert_one_clear_error(result, ("long.csv row 3: is not valid CSV (a line longer than 1,000 characters, the "
                                    "most allowed); is it a CSV file?",), None)
    assert listing(tmp_path) == before


def test_deeply_nested_yaml_is_a_clear_error(inputs, tmp_path):
    p = tmp_path / "deep.yaml"
    # 600 lists deep: PyYAML composes each in two calls, 1,200 frames, past Python's limit of 1,000 wherever
    # it starts (its scanner's time grows with the square of the depth: 1,200 deep took 0.7 s)
    p.write_text("network: {layers: " + "[" * 600 + "]" * 600 + "}\n")
    result = runner.invoke(app, ["config", "validate", str(p)])
    assert_one_clear_error(result, ("deep.yaml: YAML error: nested too deeply to read",), None)


def test_yaml_aliases_cannot_blow_up_memory_or_messages(tmp_path):
    """A "billion laughs" document is never expanded, and a huge or self-referencing value is
    shown shortened."""
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9))
    p = tmp_path / "laughs.yaml"
    p.write_text("l0: &l0 [1, 2]\n" + laughs)
    r = runner.invoke(app, ["config", "validate", str(p)])  # each unknown key, its value never expanded
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output
    lines = r.stderr.splitlines()
    assert [line for i, line in enumerate(lines) if i != 2] == [
        f"error: {p}: l{i}: unknown key l{i}; allowed: seed, data, network, cost, training" for i in range(9) if i != 2]
    # l2 is training.l2 (λ), given at the top level: its value, shortened, is no number
    assert lines[2].startswith(f"error: {p}: training.l2: [[[1, 2], [1, 2], ") and len(lines[2]) - len(str(p)) < 400
    assert lines[2].endswith("...] is not a number of at least 0 (list)"), lines[2]
    r = runner.invoke(app, ["config", "show", str(p)])
    assert_one_clear_error(r, ("laughs.yaml: l0: unknown key l0;",), None)
    p.write_text("network: {layers: &l [2, *l, 1]}\n")  # a list that contains itself
    r = runner.invoke(app, ["config", "validate", str(p)])
    assert_one_clear_error(r, ("network.layers[1]: [2, [2, [2, [...], 1], 1], 1] is not a whole number",), None)
    p.write_text("network: {layers: [2, 3, 1]}\ncost: " + "x" * 10_000 + "\n")
    r = runner.invoke(app, ["config", "validate", str(p)])
    assert_one_clear_error(r, ("cost: " + "x" * 28 + "..." + "x" * 29 + " is not one of",), None)
    assert len(r.stderr) < 300


def test_validate_lists_a_long_sets_error_shortened(inputs):
    """A --set of 900 digits that replaces a file's bad value: both errors, the --set's value shortened."""
    r = runner.invoke(app, ["config", "validate", str(inputs / "layer_zero.yaml"), "--set",
                            "network.layers=[2, -" + "9" * 900 + ", 1]"])
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 3 and all(len(line) < 300 for line in lines), lines
    assert lines[0] == f"error: {inputs / 'layer_zero.yaml'}: network.layers[1]: 0 must be at least 1"
    assert lines[1].startswith("hint: --set network.layers=[2, -999999999999999999...999999999999999999, 1] replaces it")
    assert lines[2] == ("error: --set network.layers=…: network.layers[1]: -999999999999999999...999999999999999999 "
                        "must be at least 1")


# --- odd but valid: these must work ----------------------------------------------------------


@pytest.mark.parametrize("csv", ["bom_crlf", "semicolon", "tab"])
def test_bom_crlf_semicolon_and_tab_files_load(inputs, csv):
    r = runner.invoke(app, ["config", "validate", str(inputs / f"csv_{csv}.yaml")])
    assert r.exit_code == 0, r.output
    assert "valid (" in r.stdout and "6 examples" in r.stdout and "2 inputs, 2 outputs" in r.stdout


def test_yaml_oddities_that_are_read_the_friendly_way(inputs):
    show = runner.invoke(app, ["config", "show", str(inputs / "bom_crlf.yaml")])
    assert show.exit_code == 0, show.output
    assert "learning_rate: 0.001" in show.stdout  # 1e-3: a number, not the string YAML 1.1 makes
    show = runner.invoke(app, ["config", "show", str(inputs / "yaml12_numbers.yaml")])
    assert show.exit_code == 0, show.output
    assert "seed: 10\n" in show.stdout  # 010 is ten, not octal eight
    assert "epochs: 10\n" in show.stdout and "learning_rate: 0.001" in show.stdout
    show = runner.invoke(app, ["config", "show", str(inputs / "merge_key.yaml")])
    assert show.exit_code == 0, show.output
    assert "activation: tanh" in show.stdout  # a YAML merge key (<<) is not a duplicate



def test_leading_zeros_do_not_count_toward_the_digit_limit():
    """010 is ten, and 0…01 with 5000 zeros is one: the 1000-digit limit counts the digits
    after the leading zeros, and int() was then handed the whole text, zeros and all, which is
    past its 4300 (a traceback)."""
    for value, shown in (("0" * 5000 + "7", "seed: 7\n"), ("+" + "0" * 5000 + "7", "seed: 7\n")):
        show = runner.invoke(app, ["config", "show", "--set", f"seed={value}"])
        assert show.exit_code == 0 and "Traceback" not in show.output, show.output[-300:]
        assert shown in show.stdout
    r = runner.invoke(app, ["config", "show", "--set", "seed=-" + "0" * 5000 + "1"])
    assert r.exit_code == 2 and r.stderr == "error: --set seed=…: -1 must be at least 0\n", r.output[-300:]


@pytest.mark.filterwarnings("error::RuntimeWarning")  # divergence is reported, never warned about
def test_a_learning_rate_of_50_that_diverges_exits_1_and_keeps_no_model(tmp_path):
    """Divergence is a failed run, not bad input: exit 1, one line and a hint, no model.npz."""
    p = tmp_path / "lr50.yaml"
    p.write_text("data: {dataset: sine, n_samples: 50}\nnetwork: {layers: [1, 8, 1], activation: tanh, "
                 "output_activation: linear}\ncost: half_squared_error\n"
                 "training: {learning_rate: 50, epochs: 40, batch_size: 10}\n")
    out = tmp_path / "out"
    r = runner.invoke(app, ["train", str(p), "--out", str(out), "--quiet"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    errors = [line for line in r.stderr.splitlines() if line.startswith(("error: ", "hint: "))]
    assert len(errors) == len(r.stderr.splitlines()) == 2
    assert errors[0].startswith("error: training diverged at epoch ")
    assert errors[1].startswith("hint: try a smaller learning rate than 50")
    assert not (out / "model.npz").exists()
    # with a checkpoint written before it diverged: the hint says how to rerun into the same folder
    out2 = tmp_path / "out2"
    r = runner.invoke(app, ["train", str(p), "--out", str(out2), "--quiet", "--checkpoint-every", "1"])
    assert r.exit_code == 1 and (out2 / "checkpoint.npz").exists()
    hint = r.stderr.splitlines()[-1]
    assert "--overwrite" in hint and str(out2 / "checkpoint.npz") in hint, hint


# --- the memory limit itself -------------------------------------------------------------------


def test_machine_memory_reads_sysconf_and_falls_back(monkeypatch):
    monkeypatch.undo()  # the real function, not the 16 GiB stand-in
    total, described = experiment.machine_memory()
    assert total > 0 and "GiB" in described
    monkeypatch.setattr(experiment.os, "sysconf", lambda name: (_ for _ in ()).throw(ValueError(name)))
    monkeypatch.setattr(experiment, "_cgroup_limit", lambda: None)
    assert experiment.machine_memory() == (
        experiment.FALLBACK_MEMORY, "an assumed 8.0 GiB (this machine's memory could not be read)")
    monkeypatch.setattr(experiment, "_cgroup_limit", lambda: 2 * GiB)
    assert experiment.machine_memory() == (2 * GiB, "this container's limit of 2.0 GiB")


def test_a_wide_input_layer_is_blamed_not_the_batch_size():
    """[10**9, 1] with a batch of 4: the batch's activations (4 rows of 10**9 inputs) are the
    largest part; it was blamed on training.batch_size, whose hint no smaller batch would fit."""
    from backprop_cli.config import config_from_dict

    cfg = config_from_dict({"network": {"layers": [10**9, 1]}, "data": {"path": "x.csv"},
                            "training": {"batch_size": 4}}, "c.yaml", Path("."))
    with pytest.raises(experiment.ConfigError) as info:
        experiment.check_memory(cfg, experiment.training_footprint(cfg, n_train=100, n_eval=100))
    assert info.value.message.startswith("c.yaml: network.layers [1000000000, 1]: training would need about")
    assert info.value.hint == MEMORY_HINT


def test_training_estimate_counts_parameters_gradients_state_and_batches():
    from backprop_cli.config import config_from_dict

    cfg = config_from_dict({"network": {"layers": [10, 100, 5]}, "data": {"path": "x.csv"},
                            "training": {"optimizer": "adam", "batch_size": 50, "dtype": "float32"}},
                           "c.yaml", Path("."))
    est = experiment.training_footprint(cfg, n_train=1000, n_eval=1000)
    P = 100 * 11 + 5 * 101
    parts = {what: b for what, _, b in est.parts}
    assert parts["parameters"] == parts["gradients"] == P * 4
    assert parts["optimizer state (adam)"] == 3 * P * 4  # m, v and a scratch array
    # z, a, δ, σ' of the 105 units, and the input [x 1], of each of the 50 rows
    assert parts["activations of a batch of 50 rows"] == 50 * (4 * 105 + 11) * 4
    # the targets (float32) in the epoch's order; the order, its copy, the classes, the classes in
    # the order and the predictions (intp)
    assert parts["the order, targets and classes of 1000 rows in each epoch's order"] == 1000 * (5 * 4 + 5 * 8)
    # a small first layer (11 x 100 parameters with the bias) fed mini-batches: [X 1] in float32
    ones = "the inputs of 1000 rows beside a ones column, [X 1], that batches are gathered from"
    assert parts[ones] == 1000 * 11 * 4
    # training in float32 casts each (float64) split, inputs and targets, once; the largest
    # split's copy coexists with its float64 original
    assert parts["the float32 copy of a split of 1000 rows"] == 1000 * (10 + 5) * 4
    assert est.total == sum(parts.values())
    for training in ({"batch_size": 50, "dtype": "float64"}, {"batch_size": "full", "dtype": "float64"}):
        cfg = config_from_dict({"network": {"layers": [10, 100, 5]}, "data": {"path": "x.csv"},
                                "training": training}, "c.yaml", Path("."))
        parts = {what: b for what, _, b in experiment.training_footprint(cfg, 1000, 1000).parts}
        assert not any("float32" in what for what in parts)  # no cast
        # [X 1] for mini-batches only (a full batch is copied into the engine once)
        assert parts.get(ones, 0) == (1000 * 11 * 8 if training["batch_size"] == 50 else 0)


@pytest.mark.parametrize(("layers", "n_train", "expected"), [
    ([10, 100, 5], 1000, 1000 * 11 * 8),
    ([784, 32, 10], 1000, 0),  # 785 x 32 >= engine.PLAIN_INPUT_MIN_ELEMENTS: a plain x, no ones column
    ([10, 100, 5], 400_000, 0),  # 35 MB > training.ONES_COPY_MAX_BYTES: not copied
])
def test_the_ones_copy_is_counted_exactly_when_the_trainer_makes_it(layers, n_train, expected, monkeypatch):
    """The estimate's [X 1] part is the trainer's own copy: same size, made in the same cases."""
    from backprop_cli import training
    from backprop_cli.config import config_from_dict
    from backprop_cli.data import Dataset
    from backprop_cli.network import Network

    made = []
    real_prefaulted = training.prefaulted
    monkeypatch.setattr(training, "prefaulted", lambda shape, dtype: made.append(shape) or real_prefaulted(shape, dtype))
    cfg = config_from_dict({"network": {"layers": layers}, "data": {"path": "x.csv"},
                            "training": {"batch_size": 50, "epochs": 1}}, "c.yaml", Path("."))
    parts = {what: b for what, _, b in experiment.training_footprint(cfg, n_train, n_train).parts}
    ones = f"the inputs of {n_train} rows beside a ones column, [X 1], that batches are gathered from"
    assert parts.get(ones, 0) == expected
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_train, layers[0]))
    Y = np.eye(layers[-1])[rng.integers(0, layers[-1], n_train)]
    ds = Dataset(X, Y, "classification", tuple(map(str, range(layers[-1]))), tuple(map(str, range(layers[0]))), ("t",), "t")
    trainer = training.Trainer(Network(layers, seed=0), ds, None, cfg.training, np.random.default_rng(0))
    trainer._prepare_data(50)
    assert sum(int(np.prod(shape)) * 8 for shape in made) == expected


def test_the_memory_estimate_counts_the_costs_forward_pass_as_evaluate_runs_it_in_chunks():
    """evaluate() runs the final cost's forward pass EVAL_ROWS rows at a time, but the estimate
    counted it whole: 60M circles rows were refused at 14.8 GiB (8.0 GiB of it this pass), while
    30M trained in 2 GB."""
    from backprop_cli import experiment
    from backprop_cli.config import config_from_dict
    from backprop_cli.training import EVAL_ROWS

    cfg = config_from_dict({"data": {"dataset": "circles", "n_samples": 60_000_000},
                            "network": {"layers": [2, 8, 1]}, "training": {"batch_size": 1024}}, "c.yaml", Path("."))
    parts = {what: b for what, _, b in experiment.training_footprint(cfg, 45_000_000, 45_000_000).parts}
    forward = f"the forward pass measuring the cost of 45000000 rows, {EVAL_ROWS} at a time"
    assert parts[forward] == 2 * EVAL_ROWS * (8 + 1) * 8


def test_the_optimizer_state_estimate_counts_every_array_the_optimizer_keeps_per_parameter():
    """adam keeps m, v and a scratch array per parameter, momentum v and one: the estimate counted two
    and one, and [2, 10000, 10000, 1] under adam peaked at 4.0 GB against an estimate of 3.2."""
    from backprop_cli.config import config_from_dict
    from backprop_cli.network import Network
    from backprop_cli.optimizers import OPTIMIZERS

    for name in ("sgd", "momentum", "adam"):
        cfg = config_from_dict({"network": {"layers": [3, 7, 2]}, "training": {"optimizer": name}}, "c.yaml", Path("."))
        net = Network.from_config(cfg)
        params = [p for pair in zip(net.weights, net.biases) for p in pair]
        opt = OPTIMIZERS[name](params)
        kept = sum(a.nbytes for attr in opt.per_param for a in getattr(opt, attr))
        parts = {what: b for what, _, b in experiment.training_footprint(cfg).parts}
        assert parts.get(f"optimizer state ({name})", 0) == kept == len(opt.per_param) * sum(p.nbytes for p in params)


def test_a_memory_refusal_suggests_what_shrinks_its_largest_part():
    """adam's state the largest part: the hint said 'use fewer or smaller layers', never sgd;
    gradcheck's full mode refused for its per-entry results said nothing of --mode sample or fast,
    with which the same network passes."""
    r = CliRunner().invoke(app, ["train", "--set", "network.layers=[2,20000,20000,1]", "--set",
                                 "training.optimizer=adam"])
    assert r.exit_code == 2 and "optimizer state (adam)" in r.stderr, r.output
    assert r.stderr.splitlines()[1] == ("hint: use training.optimizer: sgd (adam keeps three arrays the size of the "
                                        "weights, momentum two), or fewer or smaller layers, or training.dtype: "
                                        "float32")
    circles = str(Path(__file__).resolve().parents[1] / "configs" / "circles.yaml")
    r = CliRunner().invoke(app, ["train", circles, "--set", "network.layers=[2,20000,20000,1]", "--set",
                                 "training.optimizer=momentum", "--set", "training.early_stopping=true", "--set",
                                 "data.validation_fraction=0.2"])
    assert r.exit_code == 2 and "optimizer state (momentum, early stopping)" in r.stderr, r.output
    assert "early stopping keeps one more, the best epoch's" in r.stderr.splitlines()[1]  # sgd keeps that copy too
    r = CliRunner().invoke(app, ["gradcheck", "--set", "network.layers=[2,12000,12000,1]"])
    assert r.exit_code == 2 and "results of every entry" in r.stderr, r.output
    assert r.stderr.splitlines()[1] == ("hint: --mode sample or --mode fast checks fewer entries (or --layer L one "
                                        "layer); or use fewer or smaller layers")


ROOT = Path(__file__).resolve().parents[1]


def test_gradcheck_examples_beyond_a_files_training_split_are_not_refused_for_memory():
    """A file's rows are unknown until it is read: the estimate from the config alone counted forward caches
    of all --examples 100000000 (22 GiB for iris) and refused the run, which checks the 120 rows the training
    split has; the estimate is made again with the rows read."""
    r = CliRunner().invoke(app, ["gradcheck", str(ROOT / "configs" / "iris.yaml"), "--examples", "100000000",
                                 "--mode", "fast"])
    assert r.exit_code == 0, r.output
    assert "120 examples (rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … 119: the whole training split, which has fewer " \
           "than --examples 100000000)" in " ".join(r.stdout.split()), r.stdout


def test_gradcheck_refused_for_its_examples_names_the_option_and_how_many_fit(monkeypatch):
    """Forward caches of --examples the largest part: the hint said 'use fewer or smaller layers', and the line
    began 'configs/circles.yaml with --set …: --examples:'. It names --examples as gradcheck's other option
    errors do, the examples the training split can give (75000 of 100000 rows), and the most --examples that
    fit, exactly: one more would not."""
    from backprop_cli.commands.common import load

    monkeypatch.setattr(experiment, "machine_memory", lambda: (512 * 2**20, "this machine's 512.0 MiB"))
    circles = ROOT / "configs" / "circles.yaml"
    sets = ["data.n_samples=100000", "network.layers=[2, 512, 1]"]
    r = CliRunner().invoke(app, ["gradcheck", str(circles), *(a for s in sets for a in ("--set", s)),
                                 "--examples", "100000"])
    assert r.exit_code == 2 and r.stdout == "", r.output
    error, hint = r.stderr.splitlines()
    assert error.startswith("error: --examples 100000: the gradient check would need about "), error
    assert "(forward caches of 75000 examples (the whole training split; --examples is 100000) " in error, error
    assert hint.startswith("hint: use --examples ") and hint.endswith(" or fewer (the most that fit)"), hint
    most = int(hint.split()[3])
    cfg = load(circles, sets=sets)
    total = [experiment.gradcheck_footprint(cfg, 75000, 75000, examples=k).total for k in (most, most + 1)]
    assert total[0] <= 256 * 2**20 < total[1]


def test_a_batch_larger_than_the_training_split_is_counted_as_the_split(monkeypatch):
    """training.batch_size 1000000 over sine's 1000000 rows, 800000 of them in the training split: the estimate
    counted a batch of 1000000 rows (244.2 GiB, for 195.3), and the hint 'use a smaller training.batch_size' was
    true of no batch_size down to 800000. The batch is the split's, said so, and the hint names the largest
    batch_size that fits, exactly."""
    from backprop_cli.commands.common import load

    sets = ["data.n_samples=1000000", "network.layers=[1,4096,4096,1]", "training.batch_size=1000000"]
    r = CliRunner().invoke(app, ["config", "validate", str(ROOT / "configs" / "sine.yaml"),
                                 *(a for s in sets for a in ("--set", s))])
    assert r.exit_code == 2, r.output
    error, hint = r.stderr.splitlines()
    assert error.startswith("error: --set training.batch_size=1000000: training would need about 195.9 GiB of "
                            "memory (activations of a batch of 800000 rows (the whole training split; "
                            "training.batch_size is 1000000) 195.3 GiB), "), error
    # float32 at 800000 rows needs ~98 GiB too: "or training.dtype: float32" alone would read as a fix that is not
    assert re.fullmatch(r"hint: use training.batch_size: (\d+) or less \(the largest that fits\), or (\d+) or less "
                        r"with training.dtype: float32", hint), hint
    most, most32 = (int(k) for k in re.findall(r"\d+", hint.removeprefix("hint: use training.batch_size: "))[:2])
    cfg = load(ROOT / "configs" / "sine.yaml", sets=sets)
    cfg32 = load(ROOT / "configs" / "sine.yaml", sets=[*sets, "training.dtype=float32"])
    for config, k in ((cfg, most), (cfg32, most32)):
        total = [experiment.training_footprint(config, 800000, 800000, batch_size=j).total for j in (k, k + 1)]
        assert total[0] <= 8 * GiB < total[1]


def test_a_batch_refusal_offers_float32_alone_where_it_fits_at_the_batch_asked(monkeypatch):
    """Where float32 fits the batch_size asked, it is offered alone, beside the largest float64 batch_size."""
    sets = ["data.n_samples=100000", "network.layers=[1,4096,4096,1]", "training.batch_size=60000"]
    r = CliRunner().invoke(app, ["config", "validate", str(ROOT / "configs" / "sine.yaml"),
                                 *(a for s in sets for a in ("--set", s))])
    assert r.exit_code == 2, r.output
    error, hint = r.stderr.splitlines()
    assert "activations of a batch of 60000 rows" in error, error
    assert re.fullmatch(r"hint: use training.batch_size: \d+ or less \(the largest that fits\), or "
                        r"training.dtype: float32", hint), hint


def test_a_batch_refusal_says_where_no_batch_size_alone_fits():
    """The batch the largest part, but the network's parameters alone over the limit: no batch_size fits, and
    the hint says so and names what does shrink it."""
    from backprop_cli.config import config_from_dict

    cfg = config_from_dict({"network": {"layers": [2, 100000, 100000, 1]}, "data": {"path": "x.csv"},
                            "training": {"batch_size": 1000000}}, "c.yaml", Path("."))
    with pytest.raises(experiment.ConfigError) as info:
        experiment.check_memory(cfg, experiment.training_footprint(cfg, n_train=10**7, n_eval=10**7))
    assert info.value.message.startswith("c.yaml: training.batch_size: training would need about "), info.value.message
    assert info.value.hint == f"even training.batch_size: 1 would not fit; {MEMORY_HINT}"


@pytest.mark.skipif(not Path("/usr/bin/ls").is_file(), reason="needs /usr/bin/ls")
def test_a_real_program_given_for_a_csv_is_called_a_binary_file(inputs):
    """Its NULs are dense (and come with other control bytes): not the stray NUL of a text file."""
    r = runner.invoke(app, ["predict", str(inputs / "run" / "model.npz"), "/usr/bin/ls"])
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        "error: /usr/bin/ls: is a binary file (it holds NUL bytes), not CSV text; a CSV file is plain text with a "
        "header row"], r.output


def test_utf16_with_no_byte_order_mark_on_standard_input_is_named(inputs):
    """`predict RUN - < file.csv` of UTF-16 text with an accent and no byte-order mark was sent to
    iconv -f WINDOWS-1252 (which keeps every NUL), as a file given by name no longer was."""
    data = "x0,x1,note\n0.1,0.2,café\n".encode("utf-16-le")
    r = runner.invoke(app, ["predict", str(inputs / "run" / "model.npz"), "-"], input=data)
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines()[0] == "error: <stdin>: is not UTF-8 text (it reads as UTF-16LE text, with no byte-order mark)"
    assert "iconv -f UTF-16LE -t UTF-8 " in r.stderr.splitlines()[1], r.stderr
