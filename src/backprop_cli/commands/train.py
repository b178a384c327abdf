"""``backprop train``."""

import json
import math
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .. import INTERRUPTED_EXIT  # 130: the shell's code for a run ended by Ctrl-C
from ..errors import SignalExit  # a second SIGTERM or SIGHUP, and SIGHUP before training: the tool's own exit
from ..wording import and_list, plural
from .common import (CLOSED_PIPE_EXIT, ConfigArg, JsonOpt, SeedOpt, TrainSetOpt, boundary, echo, load, number_type,
                     stderr, stdout, typed_path, whole_type, writable_folder)

if TYPE_CHECKING:
    from ..config import Config
    from ..runs import MetricsWriter
    from ..training import Trainer

#: config.MAX_EPOCHS, said for --epochs 1e400 (config is not imported before a command runs; a test holds them equal)
MAX_EPOCHS_SAID = 1_000_000


def train(
    config: ConfigArg = None,
    epochs: Annotated[Optional[int], typer.Option("--epochs", help="Override training.epochs.", click_type=whole_type(1, MAX_EPOCHS_SAID))] = None,
    learning_rate: Annotated[
        Optional[float], typer.Option("--learning-rate", "--lr", help="Override training.learning_rate (η).",
                                     click_type=number_type(0, low_open=True))
    ] = None,
    seed: SeedOpt = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Folder for model.npz, checkpoint.npz, metrics.csv/.jsonl and the resolved config.yaml; "
                     "locked while the run writes it (another train into it is refused).",
                     parser=typed_path),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Allow --out to replace a previous run: its files (model, checkpoint, metrics, config, loss/boundary PNGs) are removed as the new run starts.")
    ] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the run in --out from its checkpoint (same config and data, the run's config.yaml in --out being a copy; only --epochs, --checkpoint-every and training.log_every may change).")
    ] = False,
    checkpoint_every: Annotated[
        Optional[int], typer.Option("--checkpoint-every", help="With --out: checkpoint every N epochs (default: about 10 per run) and at the end. Each checkpoint rewrites the run's whole history (checkpoint.npz, metrics.csv/.jsonl), and waits for the disk to confirm each file, so a small N costs time at every checkpoint, more as the history grows (xor: 2,000 epochs take ~17 s at N = 1, 1.5 s at N = 10, 0.6 s at the default).", click_type=whole_type(1))
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar: a plain line every training.log_every epochs (default: about 10 lines).")] = False,
    show_boundary: Annotated[
        bool, typer.Option("--show-boundary", help="After training, draw the decision regions and the data points (2-D classification data; with --json, on stderr).")
    ] = False,
    json_out: JsonOpt = False,
    sets: TrainSetOpt = None,
) -> None:
    """Train a network with mini-batch gradient descent, W ← W − η ∂C/∂W.

    Shows progress (a bar on a terminal, plain lines otherwise) and a summary table with the final train/test cost and accuracy, and its warnings (a cost that grew, or one stuck at chance level from an early epoch, naming the units saturated or dead, or the schedule where it had taken η to about 0; training targets beyond the output activation's range, and a schedule that takes η below 1e-12·η0 by the last epoch, both also said on stderr before training; the schedule's not after early stopping before that epoch, and on --resume only where that epoch comes after the checkpoint's, with a resume's fix: fewer --epochs or a new run, the summary's the new run only). With training.l2 every cost includes the penalty (λ/2)Σ‖w‖², shown on a row of its own, the loss curve's title says so and the last line names λ. Early stopping without data.validation_fraction watches the test split, so its figures are no longer held out: a note on stderr says so. So does a note when data.task: auto read whole-number targets as classes under an output that is not sigmoid or softmax, or several target columns as classes, every row being one-hot (data.task: regression trains on the values). Ctrl-C says at once which batch it waits for, stops at its end, saves a checkpoint and tells how to resume (exit 130; a second Ctrl-C stops at once and names the checkpoint left intact, or says that none was saved; SIGTERM, from kill or a job scheduler, likewise: exit 143; so does SIGHUP, a closed terminal or ssh session: exit 129, unless run under nohup). A run whose cost becomes NaN or infinite stops (exit 1) and draws its loss curve up to then; with --out, after its first epoch, its metrics up to that epoch and config.yaml are saved for backprop plot, but no model.npz.

    Example:
      [bold]backprop train configs/iris.yaml --out runs/iris[/]
    """
    with boundary(json_refusal=json_out), _RunFolder() as folder:  # --json: a refusal as an object too
        from ..errors import ConfigError, DivergedError, OutputError
        from ..experiment import prepare
        from ..model_io import save_run
        from ..render.train import TrainProgress, print_summary, summary_dict
        from ..runs import (CHECKPOINT, MetricsWriter, check_resumable, clear_run, load_checkpoint, restore,
                            save_checkpoint)
        from ..training import Trainer, cost_before_training

        cfg = load(config, {"training.epochs": epochs, "training.learning_rate": learning_rate,
                            "seed": seed, "training.checkpoint_every": checkpoint_every}, sets)
        state = None
        recorded: dict[str, str] | None = None  # a resumed checkpoint's environment and cost before training
        resumed_before: tuple[float, int] | None = None
        if checkpoint_every is not None and out is None:
            raise ConfigError("--checkpoint-every: needs --out DIR, the folder the checkpoints are written to")
        if overwrite and out is None:  # it was accepted and did nothing: no run is saved without --out
            raise ConfigError("--overwrite: needs --out DIR, the folder whose run the new one replaces")
        if resume and out is None:
            raise ConfigError("--resume: needs --out DIR, the folder of the run to continue")
        if resume and overwrite:  # the --overwrite was ignored: a user who meant to start over got the old run continued
            raise ConfigError("--resume and --overwrite: give one; --resume continues the run in --out, "
                              "--overwrite replaces it with a new one")
        if out is not None:  # before the folder is looked at: another train writing it is refused, not raced
            folder.take(out)
        if resume:
            assert out is not None
            saved_cfg, state, saved_digest = load_checkpoint(out / CHECKPOINT)
            from ..runs import checkpoint_record

            recorded, resumed_before = checkpoint_record(out / CHECKPOINT)
            try:
                check_resumable(saved_cfg, cfg, out / CHECKPOINT, by_content=saved_digest is not None)
            except ConfigError as e:
                if config is not None or not _resumes_with(out / "config.yaml", saved_cfg, saved_digest, epochs,
                                                           learning_rate, seed, checkpoint_every, sets):
                    raise
                # no CONFIG: the built-in default was compared, and the run's own config is beside it
                given = {"--epochs": epochs, "--lr": learning_rate, "--seed": seed,
                         "--checkpoint-every": checkpoint_every}
                raise ConfigError(
                    f"--resume: no CONFIG given, and the run in {out} was not started from the built-in "
                    f"default ({e.message.partition(': the ')[2] or 'its config differs'})",
                    f"resume with: {_resume_command(out / 'config.yaml', given, sets)(out)}") from None
            _check_epochs_left(out, state, cfg.training.epochs, "--epochs" if epochs is not None else None,
                               saved_cfg.training.epochs)
        elif out is not None:
            _check_own_config(config, out)
            _check_out_dir(out, overwrite)
        changed = None
        if resume and out is not None:  # its data file changed so that the run's network no longer fits it
            from ..runs import trained_on

            changed = trained_on(saved_digest, cfg.network.layers, "cannot resume", out / CHECKPOINT,
                                 "resume with the data the run started with, or start a new run (--overwrite)")
        exp = prepare(cfg, training_dtype=True, digest=True, trained_on=changed)
        if resume and out is not None:
            from ..runs import check_same_data

            if saved_digest is not None and exp.data_digest != saved_digest:
                exp = _one_hot_as_numbers(cfg, exp, saved_digest, out)

            check_same_data(saved_digest, exp.data_digest, exp.train.source, "cannot resume", out / CHECKPOINT,
                            "resume with the data the run started with, or start a new run (--overwrite)")
        from ..config import early_stopping_note, unused_settings
        from ..render import print_note

        for note in unused_settings(cfg):  # on stderr: stdout stays the progress, or --json's object
            print_note(stderr(), f"note: {note}")
        from ..experiment import auto_classes_note, class_per_row_note, one_hot_note, target_range_warning

        if (recoded := auto_classes_note(cfg, exp.train)) is not None:
            print_note(stderr(), f"note: {recoded}")
        if (one_hot := one_hot_note(cfg, exp.train)) is not None:
            print_note(stderr(), f"note: {one_hot}")
        if (per_row := class_per_row_note(exp)) is not None:
            print_note(stderr(), f"note: {per_row}")
        if (unreachable := target_range_warning(cfg, exp.train)) is not None:  # the summary repeats it
            print_note(stderr(), f"warning: {unreachable}")
        from ..training import schedule_warning

        # η ~0 long before the last epoch (the summary repeats it); a resume's: where it comes after the
        # checkpoint's epoch (a larger --epochs), not where it was said when those epochs were trained
        if state is None and (vanishing := schedule_warning(cfg.training)) is not None:
            print_note(stderr(), f"warning: {vanishing}")
        if show_boundary:
            from ..render.plots import boundary_unavailable

            why = boundary_unavailable(exp)
            if why is not None:
                raise ConfigError(f"--show-boundary: {why}")
        if out is not None:
            _check_run_files(out)
        t = cfg.training
        trainer = Trainer(exp.net, exp.train, exp.test, t, exp.streams.shuffle, val_set=exp.val)
        if state is not None and out is not None:
            restore(trainer, state, out / CHECKPOINT)
        if (watched := early_stopping_note(cfg)) is not None:  # once the checkpoint is read: a damaged one's
            print_note(stderr(), f"note: {watched}")             # error stays the one line said
        resumed_at = trainer.epoch
        # a finished run resumed with the epochs it has: its files stay as they are (model.npz there)
        done = state is not None and out is not None and trainer.batch == 0 and (
            trainer.epoch >= t.epochs or trainer.stopped_early)
        there = _model_there(out / "model.npz", trainer, cfg) if done and out is not None else "none"
        nothing_left = done and there in ("own", "other")  # another config's model.npz: left alone, as ever
        if state is not None and not done and (vanishing := schedule_warning(t, trainer.epoch)) is not None:
            print_note(stderr(), f"warning: {vanishing}")  # before the resume's "resumed after epoch …"
        if state is not None and out is not None:  # plain lines began at the next epoch, with no word of it
            if nothing_left:
                print_note(stderr(), f"note: nothing to train: the run in {out} already "
                           + (f"stopped early, at epoch {trainer.epoch:,}; its files are left as they are"
                              if trainer.stopped_early else f"has its {plural(trainer.epoch, 'epoch')}; its files "
                              "are left as they are (a larger --epochs continues it)"))
            else:
                at = (f"at epoch {trainer.epoch + 1:,} of {t.epochs:,}, {_after_batch(trainer)}" if trainer.batch else
                      f"after epoch {trainer.epoch:,} of {t.epochs:,}")  # as the progress and Ctrl-C's line count
                # a finished run's checkpoint beside no model.npz of it (its files were not all written): them
                left = ("" if not done else "; nothing is left to train: the run's files are written from it ("
                        + {"stale": "the model.npz there is an earlier one of this run)",
                           "unreadable": "the model.npz there cannot be read)"}.get(there, "no model.npz is there)"))
                print_note(stderr(), f"resumed {at}, from {out / CHECKPOINT}{left}")
                from ..runs import checkpoint_update_path, environment_change, run_environment, update_path

                then, now = checkpoint_update_path(out / CHECKPOINT), update_path()
                changed = environment_change(recorded, run_environment())
                if changed is not None:  # numpy, the BLAS kernel or threads, the CPU: the sums' last bits
                    print_note(stderr(), f"note: the checkpoint was written with other arithmetic than this resume "
                                         f"runs with ({changed}): the weights can differ from an uninterrupted "
                                         "run's in their last bits")
                elif then is not None and then != now:  # a checkpoint from before the environment was recorded
                    print_note(stderr(), f"note: the checkpoint was trained on the {then} update path and this resume "
                                         f"runs on the {now} one (BACKPROP_CLI_NO_BLAS): the weights can differ "
                                         "from an uninterrupted run's in their last bits")
        every = t.checkpoint_every or max(1, math.ceil(t.epochs / 10))
        console = stderr() if json_out else stdout()
        from ..render import animated

        bar = animated(console) and not quiet and not json_out  # else plain lines (logs, CI, pipes)

        metrics, cfg_yaml = MetricsWriter(), cfg.to_yaml()  # made once, not at every checkpoint

        # A resumed run's model.npz, of the epochs it had: the checkpoint of the run's last epoch is then written
        # with its files, after its own model.npz, not before (a second Ctrl-C between the two left it beside
        # the old model.npz, and --resume found 'nothing to train' and kept that one)
        earlier_model = resume and out is not None and (out / "model.npz").exists()

        def on_epoch(stats: Any) -> None:
            progress(stats)
            if (out is not None and stats.epoch % every == 0
                    and not (earlier_model and (stats.epoch >= t.epochs or trainer.stopped_early))):
                _checkpoint(out, cfg, trainer, exp.data_digest, metrics, cfg_yaml, before)

        replaced: list[str] = []  # the files of the run --overwrite replaced
        if overwrite and not resume and out is not None:
            replaced = clear_run(out)  # the folder describes one run: the replaced run's files go before this one writes
        if out is not None:  # the folder is this run's (its lock held): temporaries a killed run left go too
            from ..runs import remove_stale_temporaries

            if stale := remove_stale_temporaries(out):
                print_note(stderr(), f"note: removed {and_list(stale)} from {out}: "
                                     f"{'a temporary file' if len(stale) == 1 else 'temporary files'} of a run "
                                     "killed while writing its files")

        def _given() -> dict[str, Any]:  # the options a resume command repeats
            return {"--epochs": epochs, "--lr": learning_rate, "--seed": seed, "--checkpoint-every": checkpoint_every}

        # Where training starts, for the summary's warning (a resumed run's: as its checkpoint recorded it;
        # not known for a checkpoint written before it was, and the warning then compares with epoch 1)
        before = resumed_before if state is not None else cost_before_training(exp.net, exp.train)
        stop = _StopOnSignal()

        def hung_up() -> None:
            """SIGHUP came (a terminal or ssh session closed) and the progress could not be written
            after it: the run is saved and ends as SIGHUP's, not as a failed output's."""
            _save_interrupted(out, config, _resume_command(config, _given(), sets), cfg, trainer,
                              exp.data_digest, metrics, cfg_yaml, why=stop.why(), before=before)
            raise typer.Exit(code=stop.exit_code())

        started = (time.perf_counter(), trainer.elapsed)  # a diverged epoch's seconds in metrics.csv
        stop.announce = lambda: _stopping(trainer)  # a first Ctrl-C says at once what it waits for
        finishing: tuple[Any] | None = None  # once trained: the model.npz there before its files are written
        try:
            with stop:
                with TrainProgress(console, t.epochs, bar=bar, every=t.log_every, start=trainer.epoch) as progress:
                    result = trainer.run(on_epoch, should_stop=stop.requested)
                stop.announce = None  # the run is saved now, or finishing: the lines after it say so
                if result.interrupted:  # still under the stop signals: a second one while saving is told
                    _save_interrupted(out, config, _resume_command(config, _given(), sets), cfg, trainer,
                                      exp.data_digest, metrics, cfg_yaml, why=stop.why(), before=before)
                elif out is not None and not nothing_left:
                    # Still under the stop signals: one that comes now, the training done, lets the run's
                    # files be written (as one in the last batch lets the run finish). Unguarded, SIGTERM
                    # killed the process here (a model.npz without its config.yaml, the checkpoint and
                    # metrics of an earlier epoch, temporary files left) and Ctrl-C left only "interrupted".
                    # The metrics first, then the model: a model.npz of this run has all its metrics beside
                    # it; the checkpoint last: one of the last epoch has the run's model.npz beside it (a
                    # --resume then has nothing to train), an earlier one is resumed from.
                    finishing = (_identity(out / "model.npz"),)
                    metrics.write(out, result.history)
                    save_run(out, exp, result.history)
                    save_checkpoint(out, cfg, trainer.state_dict(), exp.data_digest, cfg_yaml, before)
        except (KeyboardInterrupt, _StopAtOnce) as e:  # a second Ctrl-C (SIGTERM, SIGHUP) in a batch, or
            # as a checkpoint or the run's files were written (atomically: the last good checkpoint stays)
            _stopped_at_once(out, folder, trainer, _resume_command(config, _given(), sets), again=stop.requested(),
                             fresh=not resume, finishing=finishing, replaced=bool(replaced))
            raise typer.Exit(code=INTERRUPTED_EXIT if isinstance(e, KeyboardInterrupt) else e.code) from None
        except SystemExit as e:  # `backprop train … --out DIR | head`: the reader went away
            if e.code == CLOSED_PIPE_EXIT and stop.hung_up():
                hung_up()
            if e.code == CLOSED_PIPE_EXIT and out is not None:
                _save_interrupted(out, config, _resume_command(config, _given(), sets), cfg, trainer,
                                  exp.data_digest, metrics, cfg_yaml, why="standard output was closed", before=before)
            raise
        except OutputError:  # `… > /dev/full`: the progress cannot be written, the run is kept
            if stop.hung_up():
                hung_up()
            if out is not None:
                _save_interrupted(out, config, _resume_command(config, _given(), sets), cfg, trainer,
                                  exp.data_digest, metrics, cfg_yaml, why="standard output cannot be written",
                                  before=before)
            raise
        except OSError as e:  # a full disk or quota while a run file is written: where training stands
            if out is None or not str(e.filename or "").startswith(str(out)):
                raise
            raise _write_failed(out, e, trainer, _resume_command(config, _given(), sets)(out), cfg,
                                folder if not resume else None, bool(replaced)) from None
        except DivergedError as e:
            if e.before_any_step:  # the config's initial weights, inputs or λ: input, not a divergence (exit 2)
                raise _could_not_start(cfg, e) from None
            saved = None if out is None else _save_diverged(out, trainer, e, metrics, cfg_yaml, started)
            if out is not None and (saved is not None or (out / CHECKPOINT).exists()):
                e.hint = f"{e.hint}, with --overwrite to replace this run"
                if (out / CHECKPOINT).exists():
                    e.hint += f"; the last good checkpoint is kept in {out / CHECKPOINT}"
                if saved is not None:
                    e.hint += f"; {saved}"
            # diverged in its first epoch: the folders made for the run go as the lock does (_RunFolder)
            if trainer.history and not json_out:  # the curve of the blow-up, up to the last finished epoch
                from ..render.plots import training_pictures  # (an interrupted run's comes when it ends)

                console.print()
                console.print(training_pictures(trainer.history, exp, False, width=max(20, min(60, console.width - 14)),
                                                columns=console.width)[0])
            raise
        if result.interrupted:
            raise typer.Exit(code=stop.exit_code())
        # Still under the stop signals while the summary is drawn (~20 ms): the run is whole and its files
        # written, so one that comes now is told, not an 'interrupted' exit 130/143 (a scheduler marked such
        # a job failed); a second one ends the process at once
        try:
            with stop:
                if resume and out is not None and trainer.epoch > resumed_at:  # `backprop plot`'s pictures: redrawn by it only
                    from ..runs import RUN_PICTURES

                    if stale := [name for name in RUN_PICTURES if (out / name).is_file()]:
                        import shlex

                        one = len(stale) == 1
                        print_note(stderr(), f"note: {' and '.join(stale)} in {out} {'shows' if one else 'show'} the run as it "
                                             f"was before this resume; redraw {'it' if one else 'them'} with: backprop plot "
                                             f"{shlex.quote(str(out))}")
                if json_out:
                    echo(json.dumps(summary_dict(exp, result, out, before, saved=not nothing_left,
                                                  resumed=resumed_at if state is not None else 0)), data=True)
                    if show_boundary:  # asked for: on stderr with the progress; stdout holds only the object
                        from ..render.plots import training_pictures

                        console.print(training_pictures(result.history, exp, True, width=max(20, min(60, console.width - 14)),
                                                        columns=console.width)[-1])
                else:
                    from ..render.plots import training_pictures

                    for picture in training_pictures(result.history, exp, show_boundary,
                                                     width=max(20, min(60, console.width - 14)),
                                                     columns=console.width, best_epoch=result.best_epoch):
                        console.print()
                        console.print(picture)
                    console.print()
                    print_summary(console, exp, result, out, before, saved=not nothing_left, epoch_lines=not bar,
                                  resumed=resumed_at if state is not None else 0)
        except OutputError:  # the terminal went with the signal (a closed ssh session's SIGHUP): nobody to tell
            if not stop.hung_up():  # a full disk under SIGTERM is still a failed output, said as such
                raise
            # with --out the run is whole and its files written: it ended well; without, its summary is lost with
            # the terminal, and the run ends as the signal's (129 for SIGHUP)
            if out is not None:
                print_note(stderr(), f"note: {_signal_name(stop)} came as the run was finishing, so it finished; its "
                                     f"files are in {out}")
            raise typer.Exit(code=0 if out is not None else stop.exit_code()) from None
        if stop.requested():  # in the last batch, while the files were written or the summary drawn
            saved = f"; its files are in {out}" if out is not None else ""
            print_note(stderr(), f"note: {_signal_name(stop)} came as the run was finishing, so it finished{saved}")


def _signal_name(stop: "_StopOnSignal") -> str:
    """``Ctrl-C``, ``SIGTERM`` or ``SIGHUP``: the stop signal that came, as notes name it."""
    return "Ctrl-C" if stop.signum == signal.SIGINT else signal.Signals(stop.signum).name  # type: ignore[arg-type]


#: The signals that ask a run to stop: Ctrl-C, SIGTERM (`kill`, `timeout`, a job scheduler's
#: end of a time limit, `docker stop`) and SIGHUP (the terminal closed, an ssh session dropped),
#: the last two of which ended the process at once, with no checkpoint.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class _StopAtOnce(SignalExit):
    """A second SIGTERM or SIGHUP, which stops a run at once (exit 143, 129) as a second Ctrl-C's
    KeyboardInterrupt does (130): ``train`` then says what was kept."""


class _StopOnSignal:
    """While active, the first Ctrl-C, SIGTERM or SIGHUP asks the trainer to stop after its current
    batch; a second one interrupts at once (Ctrl-C: KeyboardInterrupt, exit 130; SIGTERM: exit 143;
    SIGHUP: exit 129, as ``_StopAtOnce``). ``announce``, when set, gives the line a first Ctrl-C
    prints at once (what the run waits for before it stops), or None for no line."""

    def __init__(self) -> None:
        self.signum: int | None = None  # the first stop signal received
        self.previous: dict[int, Any] = {}
        self.announce: Callable[[], str | None] | None = None

    def requested(self) -> bool:
        return self.signum is not None

    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: 130 (Ctrl-C) or 143 (SIGTERM)."""
        return INTERRUPTED_EXIT if self.signum in (None, signal.SIGINT) else 128 + int(self.signum)

    def why(self) -> str:
        if self.hung_up():
            return "SIGHUP received (its terminal or ssh session closed)"
        return "" if self.signum in (None, signal.SIGINT) else f"{signal.Signals(self.signum).name} received"

    def hung_up(self) -> bool:
        return self.signum is not None and self.signum == getattr(signal, "SIGHUP", None)

    def _handler(self, signum: int, frame: Any) -> None:
        if self.signum is not None:
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise _StopAtOnce(128 + signum)
        self.signum = signum
        if signum == signal.SIGINT and self.announce is not None:  # a slow batch said nothing for seconds,
            try:                                                 # and a second Ctrl-C lost the run's last epochs
                line = self.announce()
                if line is not None:
                    stderr().print(line, soft_wrap=True, markup=False)
            except Exception:  # noqa: BLE001 - a line that cannot be written (a closed pipe, a write under way
                pass           # on stderr) must not stop the batch: the stop itself is what was asked for

    def __enter__(self) -> "_StopOnSignal":
        for signum in STOP_SIGNALS:
            if _ignored_hangup(signum):  # under nohup: the run goes on when the terminal closes
                continue
            try:
                self.previous[signum] = signal.signal(signum, self._handler)
            except ValueError:  # not the main thread (e.g. inside a test runner thread)
                break
        return self

    def __exit__(self, *exc: Any) -> None:
        for signum, previous in self.previous.items():
            # None: a handler installed from C, which Python cannot put back; the default then
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


def _ignored_hangup(signum: int) -> bool:
    """SIGHUP, ignored by whoever started the process (``nohup backprop train …``), stays ignored."""
    try:
        return signum == getattr(signal, "SIGHUP", None) and signal.getsignal(signum) == signal.SIG_IGN
    except ValueError:
        return False


class _RunFolder:
    """The ``--out`` folder of a run, while ``train`` runs: ``take(out)`` makes it and locks it
    (``runs.lock_run``), before anything in it is looked at, so a second ``train`` into it (at
    the same time, ``make -j``) is refused instead of both passing the "previous run" check and
    one replacing the other's files at the end. On the way out, however the run ends (finished,
    an error, diverged, Ctrl-C, SIGTERM, SIGHUP), the lock file is removed, then the folders made
    for the run if it left them empty (a bad data file, a run diverged in its first epoch).
    Until training installs its stop signals, SIGHUP ends the process through Python (exit 129),
    so that this cleanup runs, as it does for SIGTERM (``backprop_cli._say_terminated``)."""

    def __init__(self) -> None:
        self.lock: Any = None
        self.made: list[Path] = []
        self.hup: Any = None

    def __enter__(self) -> "_RunFolder":
        return self

    def take(self, out: Path) -> None:
        from ..errors import ConfigError
        from ..render import print_note
        from ..runs import RUN_LOCK, lock_run

        if out.exists() and not out.is_dir():
            raise ConfigError(f"--out {out}: exists and is not a folder")
        self.made = [f for f in (out, *out.parents) if not f.exists()]  # deepest first
        self._catch_hangup()
        writable_folder(out)  # now, not at the first checkpoint after minutes of training
        try:
            self.lock = lock_run(out)
        except OSError as e:  # (the lock file is not left: the folders made for the run go on the way out)
            import errno

            room = {errno.EFBIG: "allow larger files (ulimit -f)", errno.ENOSPC: "free some space"}.get(e.errno or 0)
            raise ConfigError(f"--out {out}: cannot write into the folder: {e.strerror or e}",
                              f"{room} and run the same command again" if room else None) from None
        if self.lock.left_by is not None:  # the pid of a run killed (kill -9, a crash) while writing
            print_note(stderr(), f"note: {out / RUN_LOCK} was left by a backprop train (pid {self.lock.left_by}) "
                                 "that ended without removing it (killed?); this run takes the folder over")

    def _catch_hangup(self) -> None:
        hup = getattr(signal, "SIGHUP", None)
        if hup is None or _ignored_hangup(hup):
            return

        def hung_up(signum: int, frame: Any) -> None:
            raise SignalExit(128 + signum)

        try:
            self.hup = (hup, signal.signal(hup, hung_up))
        except ValueError:  # not the main thread
            pass

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def release(self) -> None:
        """Unlock the folder and remove the folders made for the run if they are empty: on the way
        out, or earlier, to say whether a run stopped before its first checkpoint left its folder."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        for made in self.made:
            try:
                made.rmdir()  # only an empty one goes
            except OSError:
                break
        self.made = []
        if self.hup is not None:
            signum, previous = self.hup
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
            self.hup = None


def _checkpoint(out: Path, cfg: "Config", trainer: "Trainer", data_digest: str | None,
                metrics: "MetricsWriter", cfg_yaml: str, before: tuple[float, int] | None = None) -> None:
    """Checkpoint and metrics so far; skipped if the weights are no longer finite."""
    import numpy as np

    from ..runs import save_checkpoint

    if all(np.isfinite(w).all() for w in trainer.net.weights):
        _write_config(out, cfg_yaml)  # before the checkpoint: a folder with one has the config to resume it
        save_checkpoint(out, cfg, trainer.state_dict(), data_digest, cfg_yaml, before)
        metrics.write(out, trainer.history)


def _save_diverged(out: Path, trainer: "Trainer", e: Any, metrics: "MetricsWriter", cfg_yaml: str,
                   started: tuple[float, float]) -> str | None:
    """For a run that diverged after at least one epoch: its metrics (every epoch trained, the
    diverging one's row with its non-finite cost) and config.yaml, written atomically so that
    ``backprop plot`` draws the blow-up (a run diverging before its first checkpoint left nothing,
    and the curve drawn only up to the last checkpoint missed it). No model.npz of the diverged
    network, and the last good checkpoint stays as it is: ``--resume`` goes on from it, its own
    history replacing these metrics' later rows. Returns what the hint says was saved, or None."""
    from ..training import EpochStats

    history = list(trainer.history)
    if not history:  # diverged in its first epoch: no curve to draw
        return None
    if e.epoch == len(history) + 1:  # in an epoch not finished: its cost so far, nothing else measured
        then, elapsed = started
        history.append(EpochStats(epoch=e.epoch, train_cost=e.cost, train_accuracy=None, test_cost=None,
                                  test_accuracy=None, seconds=elapsed + time.perf_counter() - then,
                                  learning_rate=trainer.learning_rate(e.epoch)))
    try:
        _write_config(out, cfg_yaml)
        metrics.write(out, history)
    except OSError as err:  # a full disk: the divergence is still the error said
        return f"its metrics could not be saved ({err.filename}: {err.strerror or err})"
    import shlex

    return (f"saved metrics.csv and metrics.jsonl (epochs 1 to {history[-1].epoch:,}) and config.yaml in {out}, "
            f"not the diverged network: backprop plot {shlex.quote(str(out))} draws the curve")


#: The largest |w| or |b| given in a config that an overflow before the first step is not blamed on: initial
#: weights are of order 1 (network.init draws them below 3 for any layer), so 1e3 and more are the cause.
_PLAIN_PARAMETER = 1e3


def _could_not_start(cfg: "Config", e: Any) -> Exception:
    """A cost NaN or infinite before training's first step (a DivergedError ``before_any_step``) as the
    input error it is, exit 2: named by the fields it rests on that the config gives (``network.biases``,
    or the --set that gave it; ``training.l2``), else by the config (drawn weights, inputs too large).
    It was exit 1, a failed run's, where gradcheck and explain refuse the same network with exit 2."""
    import numpy as np

    from ..config import blame
    from ..errors import ConfigError

    def largest(field: str) -> float:  # of the given network.weights or network.biases (nested lists)
        return max((float(np.max(np.abs(np.asarray(a, dtype=float)), initial=0.0))
                    for a in getattr(cfg.network, field.partition(".")[2])), default=0.0)

    named = [f for f in e.fields if f == "training.l2" or getattr(cfg.network, f.partition(".")[2], None) is not None]
    # given weights of ordinary size are not the cause (inputs of 1e200 overflowed beside biases of 1, and
    # '--set network.biases=[[1,1,1],[1]]: …' named them): such a run is named by its config, as drawn weights are
    named = [f for f in named if f == "training.l2" or largest(f) > _PLAIN_PARAMETER]
    if len(named) > 1:  # both given: the one holding the largest value (biases of 1e308 beside weights of 1)
        sizes = {f: largest(f) for f in named}
        named = [f for f in named if sizes[f] == max(sizes.values())]
    if not named:
        return blame(cfg, ConfigError(e.message, e.hint))
    label = " and ".join(named)
    return blame(cfg, ConfigError(f"{label}: {e.message}", e.hint, depends_on=tuple(named)), named[0],
                 tuple(named), label=label)


def _position(epoch: int, batch: int) -> str:
    return f"epoch {epoch + 1:,}, after batch {batch:,}" if batch else f"epoch {epoch:,}"


def _after_batch(trainer: "Trainer") -> str:
    """``after batch 4 of 8``: the batches of the epoch done (``batch 4`` read as the one to run next)."""
    return f"after batch {trainer.batch:,} of {-(-trainer.train_set.n_samples // trainer.batch_size):,}"


def _stood(trainer: "Trainer") -> str:
    """Where training stands, as ``interrupted (…)`` says it: ``epoch 4, after batch 2 of 8``, ``after epoch 3``."""
    if trainer.batch:
        return f"epoch {trainer.epoch + 1:,}, {_after_batch(trainer)}"
    return f"after epoch {trainer.epoch:,}" if trainer.epoch else "in the first batch"  # (a second Ctrl-C)


def _intact_checkpoint(folder: Path) -> str | None:
    """'the checkpoint of epoch 120 in DIR/checkpoint.npz is intact' when the folder's checkpoint
    loads (atomic writes leave the last good one whatever failed since), else None."""
    from ..runs import CHECKPOINT

    at = _checkpoint_position(folder)
    return None if at is None else f"the checkpoint of {_position(*at)} in {folder / CHECKPOINT} is intact"


def _checkpoint_position(folder: Path) -> tuple[int, int] | None:
    """(epochs done, batches done in the next) of the folder's checkpoint when it loads, else None."""
    from ..errors import BackpropError
    from ..runs import CHECKPOINT, load_checkpoint

    try:
        _, state, _ = load_checkpoint(folder / CHECKPOINT)
    except (BackpropError, OSError, ValueError):
        return None
    return int(state["epoch"]), int(state["batch"])


def _stopping(trainer: "Trainer") -> str | None:
    """The line a first Ctrl-C prints at once while ``trainer`` runs: the batch it finishes before it
    stops (as ``interrupted (…)`` then counts it), or None when the run is finishing anyway (its last
    epoch done: the note that the Ctrl-C came follows)."""
    n = -(-trainer.train_set.n_samples // trainer.batch_size)
    epochs, done, batch = trainer.s.epochs, trainer.epoch, trainer.batch
    again = "press Ctrl-C again to stop at once"
    ended = trainer.ending_epoch  # its batches done: it is counted, measured, reported, checkpointed
    if done >= epochs or trainer.stopped_early or (ended is not None and ended >= epochs):
        return None
    if ended is not None:
        return f"Ctrl-C: stopping at the end of epoch {ended:,}, then saving a checkpoint… {again}"
    this = f"batch {batch + 1:,} of {n:,} of epoch {done + 1:,}"
    if batch + 1 < n or done + 1 < epochs:
        return f"Ctrl-C: stopping after this batch ({this}), then saving a checkpoint… {again}"
    return f"Ctrl-C: this is the run's last batch ({this}): it finishes and writes its files… {again}"


def _stopped_at_once(out: Path | None, folder: "_RunFolder", trainer: "Trainer", command: Callable[[Path], str],
                     again: bool, fresh: bool = False, finishing: tuple[Any] | None = None,
                     replaced: bool = False) -> None:
    """What a run stopped at once (a second Ctrl-C, SIGTERM or SIGHUP in a batch, or as a checkpoint
    or the run's files were written) leaves: the intact checkpoint and the command that resumes it,
    or that none was saved, what was lost, and whether the ``--out`` folder was removed (made for the
    run and left empty) or kept. Only 'interrupted' was said, and a folder removed without a word.

    ``fresh``: a new run (not ``--resume``), whose folder held no run file before it: with no
    checkpoint, the files it wrote (the config.yaml written just before the first one) are removed,
    so that the same command can be run again. ``finishing``: the training was done and its files
    were being written (metrics, model.npz, then the checkpoint), given as the identity of the
    model.npz there before (``_identity``): whether this run's model.npz was written is said.
    ``replaced``: --overwrite removed an earlier run's files from the folder, which a run that saved
    nothing says (the folder holds neither run)."""
    where = _stood(trainer)
    head = f"interrupted {'again ' if again else ''}({where})" + (" as the run's files were written" if finishing else "")
    err = stderr()
    at = None if out is None else _checkpoint_position(out)
    model = out is not None and finishing is not None and _identity(out / "model.npz") not in (None, finishing[0])
    if out is not None and model:  # this run's model.npz, its metrics written before it: only the checkpoint lags
        saved = f"model.npz and the metrics of its {plural(trainer.epoch, 'epoch')} are saved in {out}"
        if at is None:
            lines = [f"{head}; {saved}, but no checkpoint: a --resume cannot continue the run"]
        elif at >= (trainer.epoch, trainer.batch):
            lines = [f"{head}; nothing was lost: its files are all saved in {out}"]
        else:
            redo = f"epoch {trainer.epoch:,}" if at == (trainer.epoch - 1, 0) else f"epochs {at[0] + 1:,}–{trainer.epoch:,}"
            lines = [f"{head}; {saved}; {_intact_checkpoint(out)}, the last one written",
                     f"to bring the checkpoint up to epoch {trainer.epoch:,} (training {redo} again): {command(out)}"]
    elif out is not None and at is not None:
        n = -(-trainer.train_set.n_samples // trainer.batch_size)
        since = (trainer.epoch - at[0]) * n + trainer.batch - at[1]  # batches trained after the checkpoint
        count, unit = (since // n, ("epoch",)) if trainer.batch == at[1] == 0 else (since, ("batch", "batches"))
        lost = ("" if since <= 0 else f"; the {unit[0]} trained since is lost" if count == 1 else
                f"; the {plural(count, *unit)} trained since are lost")
        if finishing is not None or trainer.epoch >= trainer.s.epochs or trainer.stopped_early:
            # trained to its end, its model.npz not written: none there, or the one the resumed run had
            lost += (f"; {out / 'model.npz'} is still the one from before this resume" if (out / "model.npz").exists()
                     else "; model.npz was not written") + ("" if since > 0 else ": a --resume writes it, training nothing")
        lines = [f"{head}; {_intact_checkpoint(out)}{lost}", f"resume with: {command(out)}"]
    else:
        batches = plural(trainer.batch, "batch", "batches")
        trained = (plural(trainer.epoch, "epoch") + (f" and {batches} of epoch {trainer.epoch + 1:,}" if trainer.batch
                                                     else "") if trainer.epoch else batches if trainer.batch else None)
        lines = [f"{head}; no checkpoint was saved: " + (f"{trained} lost" if trained else "no batch had finished")]
        if out is not None:
            from ..runs import clear_run

            # a new run's files (its config.yaml, written before its first checkpoint) blocked the same
            # command ('already holds a previous run's config.yaml'): they go, as the folder made for it does
            removed = clear_run(out) if fresh else []
            made = list(folder.made)
            folder.release()  # now, not on the way out: whether the folder goes is said
            if not out.exists():
                lines[0] += f"; {_top_removed(made, out)}, made for this run, was removed"
            elif removed:
                lines[0] += f"; {out} is kept, without the {and_list(removed)} this run wrote in it"
            else:
                kept = [name for name in RUN_FILES if (out / name).exists()]
                lines[0] += f"; {out} is kept" + (f" (with only its {and_list(kept)})" if kept else "")
            if replaced:
                lines[0] += "; the run it replaced was removed by --overwrite"
    try:
        for line in lines:
            err.print(line, soft_wrap=True, markup=False)
    except OSError:  # a closed pipe (after SIGHUP the terminal may be gone): the exit is the signal's
        pass


def _top_removed(made: list[Path], out: Path) -> Path:
    """The highest of the folders ``made`` for the run (deepest first) that is gone: ``n`` of ``--out
    n/a/b/c`` where all four were made for it and removed (it named only ``n/a/b/c``); ``out`` where
    none was."""
    gone = [folder for folder in made if not folder.exists()]
    return gone[-1] if gone else out


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """A file's identity (device, inode, size, modification time), or None where there is none: a
    file written since (atomically: a new inode) has another."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _write_failed(out: Path, e: OSError, trainer: "Trainer", command: str, trainer_config: "Config",
                  fresh: "_RunFolder | None" = None, replaced: bool = False) -> Exception:
    """The one-line error for a run file that could not be written (ENOSPC, a quota, ``ulimit -f``): the
    file and the system's reason, where training stopped, and whether and how it can be resumed.

    ``fresh``: the folder of a new run (not --resume): with no checkpoint of it intact, the files it wrote
    (the config.yaml written just before the first checkpoint; the metrics.csv and metrics.jsonl written at
    the end, before a model.npz that failed) are removed and the folder released (removed if made for the
    run and left empty), so that the same command can be run again; they made it say 'already holds a
    previous run's config.yaml; refusing to overwrite it' ('… metrics.csv and metrics.jsonl'). A new run's
    folder holds no other run's files (refused, or removed by --overwrite), only the user's, which stay.
    ``replaced``: --overwrite removed an earlier run's files, which is said."""
    import errno

    from ..errors import BackpropError

    total = trainer.s.epochs
    if trainer.epoch >= total or trainer.stopped_early:
        where = f"training had finished ({plural(trainer.epoch, 'epoch')}) but its files were not all written"
    else:
        where = (f"training stopped in epoch {trainer.epoch + 1:,} of {total:,}, {_after_batch(trainer)}"
                 if trainer.batch else f"training stopped after epoch {trainer.epoch:,} of {total:,}")
    intact = _intact_checkpoint(out)
    room = "allow larger files (ulimit -f)" if e.errno == errno.EFBIG else "free some space"
    if intact is not None:
        hint = f"{intact}; {room}, then resume with: {command}"
    elif fresh is not None:
        from ..runs import clear_run

        try:
            removed = clear_run(out)
        except OSError:  # (the disk that refused the write may refuse more): said as it is left
            removed = []
        made = list(fresh.made)
        fresh.release()
        left = (f"{_top_removed(made, out)}, made for this run, was removed" if not out.exists() else
                f"{out} is kept, without the {and_list(removed)} this run wrote in it" if removed else f"{out} is kept")
        hint = (f"no checkpoint was saved; {left}" + ("; the run it replaced was removed by --overwrite" if replaced
                                                      else "") + f"; {room} and run the same command again")
    else:
        hint = f"no checkpoint was saved; {room} and start the run again"
    if ((trainer.epoch >= total or trainer.stopped_early)
            and _model_there(out / "model.npz", trainer, trainer_config) == "stale"):  # a resumed run's earlier one
        hint += f"; until then {out / 'model.npz'} is the one from before this resume"
    return BackpropError(f"{e.filename}: {e.strerror or e}; {where}", hint)


def _resumes_with(path: Path, saved: "Config", digest: str | None, epochs: int | None, learning_rate: float | None,
                  seed: int | None, checkpoint_every: int | None, sets: list[str] | None) -> bool:
    """Whether the run's own ``config.yaml`` at ``path``, with the same options, is the config its
    checkpoint ``saved`` was trained with (what a resume without CONFIG should have given)."""
    from ..errors import BackpropError
    from ..runs import check_resumable

    if not path.is_file():
        return False
    try:
        own = load(path, {"training.epochs": epochs, "training.learning_rate": learning_rate, "seed": seed,
                          "training.checkpoint_every": checkpoint_every}, sets)
        check_resumable(saved, own, path, by_content=digest is not None)
    except BackpropError:
        return False
    return True


def _write_config(out: Path, cfg_yaml: str) -> None:
    """The resolved ``config.yaml`` of a run in progress, written (atomically) when it is not there
    yet or differs (a resume with more epochs): an interrupted run's folder held only its checkpoint
    and metrics, and once the command that started it was lost, no config to resume it with."""
    from ..model_io import atomic_write_text

    path = out / "config.yaml"
    try:
        if path.read_text(encoding="utf-8") == cfg_yaml:
            return
    except (OSError, UnicodeDecodeError):
        pass
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, cfg_yaml)


def _one_hot_as_numbers(cfg: Any, exp: Any, saved_digest: str, out: Path) -> Any:
    """The resumed run's data read as it was trained on: a run started before ``data.task: auto`` read
    target columns whose every row is one-hot as classes (Dec 2026) fit them as numbers, and its checkpoint's
    fingerprint is of them read so; its data is read so again (a note says so), not called changed. Else
    ``exp`` as it was (``check_same_data`` then judges it)."""
    from dataclasses import replace

    from ..experiment import one_hot_note, prepare
    from ..render import print_note

    if cfg.data.task != "auto" or one_hot_note(cfg, exp.train) is None:
        return exp
    numbers = prepare(replace(cfg, data=replace(cfg.data, task="regression")), training_dtype=True, digest=True)
    if numbers.data_digest != saved_digest:
        return exp
    print_note(stderr(), f"note: the run in {out} was started before data.task: auto read one-hot target columns as "
                         "classes, and fit them as numbers: it resumes so (a new run, --overwrite, reads them as "
                         "classes; data.task: regression keeps them numbers)")
    # its files keep the config as given (data.task: auto), as the run's checkpoint has it, beside a model of
    # task regression: what evaluate, plot and the next --resume read as this run's
    return replace(numbers, config=cfg)


def _check_epochs_left(out: Path, state: dict[str, Any], epochs: int, option: str | None, own: int) -> None:
    """A resumed run must be asked for at least the epochs its checkpoint has begun; ``own``: the
    epochs the run was last asked for (its checkpoint's config), what the hint suggests."""
    from ..errors import ConfigError

    done, batch = int(state["epoch"]), int(state["batch"])
    begun = done + (batch > 0)
    if epochs < begun:
        asked = f"{option} {epochs}" if option else f"training.epochs is {epochs}"
        trained = plural(done, "epoch") + (f" and {plural(batch, 'batch', 'batches')} of epoch {begun:,}" if batch else "")
        raise ConfigError(
            f"--resume: {asked}, but the run in {out} has already trained {trained}",
            (f"pass --epochs {own} (the run's own; at least {begun})" if own >= begun else
             f"pass --epochs {begun} or more to continue it") + f", or resume from its own config, "
            f"{out / 'config.yaml'}, which has them",
        )


def _resume_command(config: Path | None, given: dict[str, Any], sets: list[str] | None) -> Callable[[Path], str]:
    """The command that resumes this run in a folder: the same config and the same overrides
    (``--resume`` refuses a config that differs from the checkpoint's)."""
    import shlex

    words = []
    for option, value in given.items():
        if value is not None:
            words += [option, str(value)]
    for item in sets or []:
        words += ["--set", item]

    def command(folder: Path) -> str:
        # a config read from standard input or a pipe (<(sed …)'s /dev/fd/63) cannot be read again: the run's
        # config.yaml is its copy
        named = [] if config is None else [str(folder / "config.yaml") if _read_once(config) else str(config)]
        return shlex.join(["backprop", "train", *named, *words, "--out", str(folder), "--resume"])

    return command


def _read_once(config: Path) -> bool:
    """A config that is gone once read: standard input ('-'), a process substitution (/dev/fd/N), a FIFO."""
    import stat

    text = str(config)
    if text == "-" or text.startswith(("/dev/fd/", "/proc/self/fd/", "/dev/stdin")):
        return True
    try:
        return stat.S_ISFIFO(config.stat().st_mode)
    except (OSError, ValueError):
        return False


def _save_interrupted(out: Path | None, config: Path | None, command: Callable[[Path], str], cfg: "Config",
                      trainer: "Trainer", data_digest: str | None, metrics: "MetricsWriter", cfg_yaml: str,
                      why: str = "", before: tuple[float, int] | None = None) -> None:
    folder = out if out is not None else _fresh_folder(config)
    where = _stood(trainer)
    cmd = command(folder)
    err = stderr()
    try:
        _checkpoint(folder, cfg, trainer, data_digest, metrics, cfg_yaml, before)
    except (KeyboardInterrupt, SystemExit) as e:  # a second Ctrl-C or SIGTERM while it was written
        code = INTERRUPTED_EXIT if isinstance(e, KeyboardInterrupt) else e.code
        intact = _intact_checkpoint(folder)  # the atomic writes leave the last good one
        err.print(f"interrupted again ({where}) while its checkpoint was being saved; "
                  + (f"{intact}" if intact is not None else "no checkpoint was saved"), soft_wrap=True, markup=False)
        if intact is not None:
            err.print(f"resume with: {cmd}", soft_wrap=True, markup=False)
        raise typer.Exit(code=code) from None
    because = f": {why}" if why else ""
    try:  # after SIGHUP the terminal may be gone: the checkpoint is saved, and the exit is the signal's
        err.print(f"interrupted ({where}){because}; checkpoint saved in {folder / 'checkpoint.npz'}",
                  soft_wrap=True, markup=False)
        err.print(f"resume with: {cmd}", soft_wrap=True, markup=False)
    except OSError:  # a closed pipe (BrokenPipeError; stderr drops the other write errors itself)
        pass


def _model_there(model: Path, trainer: "Trainer", config: "Config") -> str:
    """What a finished run's ``model`` (its model.npz) is, beside the checkpoint ``trainer`` resumed to:
    "own" (the weights and biases the run ends with, bit for bit: its network's, or with early stopping
    the best epoch's, which the run puts back at its end), "stale" (a model of this run's config with
    other weights: a resumed run whose output failed at its last epoch, ``| head`` or SIGHUP, left that
    epoch's checkpoint beside the model.npz of before the resume, and 'nothing to train' kept it for good),
    "none", "unreadable" (what ``load_model`` refuses), or "other" (a model of another config, left alone)."""
    from ..model_io import load_model
    from ..runs import RESUMABLE_CHANGES, _diff
    from ..scaffold import resolved_dict

    import numpy as np

    if not model.exists():  # a symlink to nowhere too: no model is there
        return "none"
    try:
        saved = load_model(model)
    except Exception:  # noqa: BLE001 - a ModelFileError, or whatever a damaged archive raises: none to keep
        return "unreadable"
    L = len(trainer.net.weights)
    best = trainer.best_params if trainer.s.early_stopping else None
    weights, biases = (best[:L], best[L:]) if best is not None else (trainer.net.weights, trainer.net.biases)
    net = saved.net
    if len(net.weights) == L and all(np.array_equal(a, w) and np.array_equal(c, b) for a, c, w, b in
                                     zip(net.weights, net.biases, weights, biases)):
        return "own"
    # data.path aside: the resume has checked the data by content (a run resumed with a copy of its config and
    # data, elsewhere, whose stored path is another; its stale model was taken for another config's and kept)
    changed = [k for k in _diff(resolved_dict(saved.config), resolved_dict(config))
               if k not in RESUMABLE_CHANGES and k != "data.path"]
    return "stale" if not changed else "other"


def _fresh_folder(config: Path | None) -> Path:
    # runs/iris-interrupted-…; a config piped in has no name of its own ('-' gave runs/--interrupted-…)
    stem = "default" if config is None else "stdin" if _read_once(config) else config.stem
    base = Path("runs") / f"{stem}-interrupted-{time.strftime('%Y%m%d-%H%M%S')}"
    folder, i = base, 1
    while folder.exists():
        i += 1
        folder = base.with_name(f"{base.name}-{i}")
    return folder


RUN_FILES = ("model.npz", "checkpoint.npz", "metrics.csv", "metrics.jsonl", "config.yaml")


def _check_run_files(out: Path) -> None:
    """Every file a run writes must be a regular file or a link to one, or not exist yet (a FIFO
    or a device would be replaced by a file): checked before training, not at its end."""
    from ..model_io import write_target

    for name in RUN_FILES:
        write_target(out / name, f"--out {out}: {name}", "remove it, or choose another --out folder")


def _check_own_config(config: Path | None, out: Path) -> None:
    """CONFIG is OUT/config.yaml, in a folder with no other file of a run: the user's own config,
    which the run would replace with the resolved one (comments and all), not a previous run's
    (which, with its model, checkpoint or metrics beside it, --overwrite may replace)."""
    from ..errors import ConfigError

    mine = out / "config.yaml"
    try:
        same = config is not None and mine.is_file() and config.resolve() == mine.resolve()
    except OSError:
        return
    if same and not any((out / name).exists() for name in RUN_FILES if name != "config.yaml"):
        raise ConfigError(f"--out {out}: its config.yaml is the CONFIG being trained, {config}, which the run "
                          "would replace with the resolved config (its comments lost)",
                          "choose another --out folder, e.g. --out " + str(out / "run"))


def _check_out_dir(out: Path, overwrite: bool) -> None:
    from ..errors import ConfigError

    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a folder")
    if not out.is_dir() or overwrite:
        return
    if any((out / f).exists() for f in ("model.npz", "checkpoint.npz")):
        raise ConfigError(
            f"--out {out}: already holds a previous run; refusing to overwrite it",
            "pass --overwrite to replace it, --resume to continue it, or choose another folder",
        )
    from ..runs import RUN_PICTURES

    # `backprop plot`'s pictures of an earlier run (its model deleted, or copied in): left beside the new
    # run's files they looked like this run's. They are part of a run, as --overwrite already treats them.
    pictures = [name for name in RUN_PICTURES if (out / name).is_file()]  # a folder so named is none
    # so are its metrics and config.yaml (its model and checkpoint deleted to save space): replaced
    # by the new run's, they went without a word, against "nothing is replaced without asking"
    kept = [name for name in RUN_FILES if name not in ("model.npz", "checkpoint.npz") and (out / name).is_file()]
    if kept or pictures:
        found = kept + pictures
        them = "it" if len(found) == 1 else "them"
        listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} and {found[-1]}"
        what = f"overwrite {them}" if kept else f"leave {them} beside a new run"
        raise ConfigError(
            f"--out {out}: already holds a previous run's {listed}; refusing to {what}",
            f"pass --overwrite to {'replace' if kept else 'remove'} {them}, or choose another folder",
        )
