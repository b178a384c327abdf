"""From a validated config to everything a command needs: data, splits, network.

Randomness: one ``np.random.SeedSequence(config.seed)`` is split into independent
streams for data generation, the train/test split, weight initialisation and
shuffling, so changing one of them (say, the data set size) leaves the others alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .config import Config
from .data import Dataset, Standardizer, generate, load_file, train_test_split
from .errors import ConfigError
from .network import Network


@dataclass(frozen=True)
class Streams:
    data: np.random.Generator
    split: np.random.Generator
    init: np.random.Generator
    shuffle: np.random.Generator

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        return cls(*(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)))


@dataclass(frozen=True)
class Experiment:
    """A config made concrete: the (standardized) splits and a fresh network."""

    config: Config
    train: Dataset
    test: Dataset | None
    standardizer: Standardizer | None
    net: Network
    streams: Streams
    val: Dataset | None = None  # held out of the training split for early stopping


def load_dataset(config: Config, rng: np.random.Generator) -> Dataset:
    """The whole data set the config names (built-in generator or file)."""
    d = config.data
    if d.path is not None:
        return load_file(Path(d.path), target=list(d.target) if d.target else None, task=d.task)
    assert d.dataset is not None  # validated: one of dataset/path is set
    return generate(d.dataset, rng, n_samples=d.n_samples, noise=d.noise, classes=d.classes)


def check_shapes(config: Config, ds: Dataset) -> None:
    """network.layers must start with the data's inputs and end with its outputs."""
    layers = config.network.layers
    what = f"the data ({ds.source}) has {ds.n_inputs} input(s) and {ds.n_outputs} output(s)"
    if layers[0] != ds.n_inputs:
        raise ConfigError(
            f"network.layers[0]: {layers[0]} does not match the data: {what}; "
            f"use layers: [{ds.n_inputs}, …, {ds.n_outputs}]"
        )
    if layers[-1] != ds.n_outputs:
        raise ConfigError(
            f"network.layers[-1]: {layers[-1]} does not match the data: {what}; "
            f"use layers: [{ds.n_inputs}, …, {ds.n_outputs}]"
        )


def prepare(
    config: Config, net: Network | None = None, standardizer: Standardizer | None = None
) -> Experiment:
    """Load the data, split, standardize, build the net (or use ``net``).

    Standardization statistics come from the training split only, or are
    ``standardizer`` when given (a trained model's own scaling).
    """
    streams = Streams.from_seed(config.seed)
    ds = load_dataset(config, streams.data)
    try:
        check_shapes(config, ds)
    except ConfigError as e:
        raise ConfigError(f"{config.source}: {e.message}", e.hint) from None
    train, test = train_test_split(ds, config.data.effective_test_fraction, streams.split)
    val = None
    if config.data.validation_fraction > 0:
        train, val = train_test_split(train, config.data.validation_fraction, streams.split)
    scaler = None
    if config.data.standardize:
        scaler = standardizer if standardizer is not None else Standardizer.fit(train.X)
        train, test, val = (_scaled(d, scaler) for d in (train, test, val))
    if net is None:
        net = Network.from_config(config, rng=streams.init)
    return Experiment(config, train, test, scaler, net, streams, val)


def _scaled(ds: Dataset | None, scaler: Standardizer) -> Dataset | None:
    return None if ds is None else replace(ds, X=scaler.transform(ds.X))
