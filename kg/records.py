"""Load record files: YAML -> pydantic models, collecting every problem with its file, line and field.

A problem never stops the load: the caller gets all of them at once. Records
are parsed with libyaml (PyYAML's C loader); only a record with a problem is
parsed again into a node tree, whose marks give the line of each field. With a
cache (kg.cache), a file unchanged since it last validated is not parsed again.
"""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import yaml
from pydantic import ValidationError

from kg.models import KINDS, Record

if TYPE_CHECKING:
    from kg.cache import RecordCache

DEFAULT_FACTS = Path(__file__).parent / "facts"
PARALLEL_FROM = 2_000  # files to parse; below this, starting worker processes costs more than it saves


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}: {where}{self.message}"


@dataclass
class Loaded:
    """A record, the file it came from, and where each of its fields stands in it."""

    kind: str
    record: Record
    file: str | Path  # load_dir keeps the directory entry's string: 80k Paths take a second to make
    shown: str  # the path as messages give it
    tree: yaml.Node | None = field(default=None, repr=False)  # composed when a line is first asked for
    digest: str = ""  # of the file's bytes, when loaded by load_dir

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def name(self) -> str:
        return os.path.basename(self.file)

    def line(self, *loc: str | int) -> int:
        if self.tree is None:
            self.tree = yaml.compose(self.path.read_text(encoding="utf-8"), Loader=YamlLoader)
        return line_of(self.tree, loc)


class Cached(Loaded):
    """A record the cache (kg.cache) kept pickled, its model unpickled only when first asked for: checking
    unchanged records again is skipped, and so is unpickling them."""

    def __init__(self, kind: str, pickled: bytes, file: str, shown: str, digest: str):
        self.kind, self.file, self.shown, self.digest, self.tree = kind, file, shown, digest, None
        self._pickled = pickled

    def __getattr__(self, name: str) -> Record:  # called only for attributes not set yet
        if name != "record":
            raise AttributeError(name)
        self.record = pickle.loads(self._pickled)
        del self._pickled
        return self.record


class InvalidRecords(Exception):
    """Raised with every problem found, when any record is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


class YamlLoader(yaml.CSafeLoader):
    """Keeps dates as the strings they were written as, so the models check them."""


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
_STR, _MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "map", "seq", "merge"))


def load_yaml(text: str) -> Any:
    """yaml.load(text, Loader=YamlLoader), in a third less time: libyaml composes the node tree, and strings,
    mappings and lists (all that records hold, mostly) are made from it here, rather than by PyYAML's
    constructor, written in Python; any other node is left to that constructor."""
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _construct(loader, node, {})
    finally:
        loader.dispose()


def _construct(loader: YamlLoader, node: yaml.Node, made: dict[yaml.Node, Any]) -> Any:
    """`node`'s value; `made` holds the mappings and lists made so far, so that an alias (*x) gives the
    anchored object itself, as PyYAML's constructor does (and a recursive one ends)."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if node in made:
        return made[node]
    if node.tag == _MAP and all(isinstance(k, yaml.ScalarNode) and k.tag != _MERGE for k, _ in node.value):
        made[node] = mapping = {}
        for key, value in node.value:
            mapping[_construct(loader, key, made)] = _construct(loader, value, made)
        return mapping
    if node.tag == _SEQ:
        made[node] = items = []
        items.extend(_construct(loader, item, made) for item in node.value)
        return items
    return loader.construct_object(node, deep=True)


def line_of(tree: yaml.Node, loc: tuple[str | int, ...]) -> int:
    """The 1-based line of the deepest part of `loc` that exists in the YAML node tree."""
    line = 1
    node = tree
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == key), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def field_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _message(error: dict, model: type, loc: tuple) -> str:
    if error["type"] == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known fields: {', '.join(known)})"
        return f"unknown field{hint}"
    if error["type"] in ("missing", "too_short") and loc == ("sources",):
        return "cites no source: a record that states facts needs at least one entry under sources"
    if error["type"] == "missing":
        return "required field is missing"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _fields_at(model: type, loc: tuple) -> list[str]:
    """Field names of the model nested at loc (for suggestions on unknown fields)."""
    for key in loc:
        if isinstance(key, int) or model is None:
            continue
        info = getattr(model, "model_fields", {}).get(key)
        if info is None:
            return []
        model = _inner_model(info.annotation)
    return sorted(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def load_file(path: Path, kind: str, shown: str, data: bytes | None = None) -> tuple[Loaded | None, list[Problem]]:
    """Parse and validate one record file (its bytes, when read already); `shown` is the path used in messages."""
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8")
        data = load_yaml(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        return None, [Problem(shown, mark.line + 1 if mark else 1, "", f"YAML syntax error: {e.problem or e.context}")]
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        return None, [Problem(shown, 1, "", f"cannot read YAML: {e}")]
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, "", "a record file holds one mapping of fields, such as 'id: ...'")]
    model = KINDS[kind]
    try:
        record = model.model_validate(data)
    except ValidationError as e:
        tree = yaml.compose(text, Loader=YamlLoader)
        problems = []
        for error in e.errors():
            loc = tuple(k for k in error["loc"] if k not in ("one", "several"))
            problems.append(Problem(shown, line_of(tree, loc), field_path(loc), _message(error, model, loc)))
        return None, problems
    return Loaded(kind, record, path, shown), []


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_all(records: list[Loaded]) -> str:
    """Of the record files, by kind, name and digest: the same while no file is added, removed or changed."""
    return digest("".join(f"{r.kind}/{r.name}\0{r.digest}\0" for r in records).encode())


def load_dir(facts: Path, cache: RecordCache | None = None) -> tuple[list[Loaded], list[Problem]]:
    """Every record under facts/<kind>/*.yaml, and every problem met loading them."""
    loaded: list[Loaded | None] = []  # None: to parse
    parse: list[tuple[int, str, os.stat_result, tuple[Path, str, str]]] = []
    problems: list[Problem] = []
    if not facts.is_dir():
        return [], [Problem(str(facts), 1, "", "facts directory does not exist")]
    shown_facts = _shown(facts)
    prefix = "" if shown_facts == "." else shown_facts + "/"
    seen: set[str] = set()
    for kind, entry in _entries(facts):
        if entry.name.startswith("."):
            continue
        if kind not in KINDS or not entry.name.endswith(".yaml") or not entry.is_file():
            problems += [Problem(prefix + str(stray.relative_to(facts)), 1, "", "not a record file: records live at "
                                 f"<kind>/<id>.yaml, kinds: {', '.join(KINDS)}") for stray in _files(Path(entry.path))]
            continue
        rel = f"{kind}/{entry.name}"
        shown = prefix + rel
        seen.add(rel)
        stat = entry.stat()  # before the file is read: a later change shows in the next run's stat
        hit = cache.get(rel, stat, lambda path=entry.path: Path(path).read_bytes()) if cache else None
        loaded.append(Cached(kind, hit.pickled, entry.path, shown, hit.digest) if hit else None)
        if not hit:
            parse.append((len(loaded) - 1, rel, stat, (entry.path, kind, shown)))
    for (i, rel, stat, (path, kind, shown)), (parsed, found) in zip(parse, _parse_all([job for *_, job in parse]), strict=True):
        problems += found
        if parsed:
            # unpickled now, while the workers parse on: the checks across records need them all
            loaded[i] = Loaded(kind, pickle.loads(parsed.pickled), path, shown, digest=parsed.digest)
            if cache:
                cache.put(rel, stat, parsed.digest, parsed.pickled)
    if cache:
        cache.keep_only(seen)
    return [r for r in loaded if r], problems


@dataclass
class Parsed:
    """A valid record as a parsing worker hands it back: pickled as the cache keeps it, so that the main
    process does not pickle it again for the cache (26 µs a record: 2 s of its CPU at 1M triples)."""

    digest: str
    pickled: bytes


def _parse(job: tuple[str, str, str]) -> tuple[Parsed | None, list[Problem]]:
    path, kind, shown = job
    with open(path, "rb") as f:
        data = f.read()
    loaded, problems = load_file(Path(path), kind, shown, data)
    if not loaded:
        return None, problems
    return Parsed(digest(data), pickle.dumps(loaded.record, protocol=pickle.HIGHEST_PROTOCOL)), problems


def _parse_all(jobs: list[tuple[str, str, str]]) -> Iterable[tuple[Parsed | None, list[Problem]]]:
    """Parsing is most of the cost of a first run: spread over the cores when there are enough files."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from map(_parse, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_parse, jobs, chunksize=200)


def _entries(facts: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """(directory name, entry) of what each directory under facts holds, in path order; a file at the top
    level comes with the name ""."""
    for top in sorted(os.scandir(facts), key=lambda e: e.name):
        if top.is_dir():
            yield from ((top.name, e) for e in sorted(os.scandir(top.path), key=lambda e: e.name))
        else:
            yield "", top


def _files(path: Path) -> list[Path]:
    """The file, or the files under the directory; hidden ones left out."""
    found = sorted(path.rglob("*")) if path.is_dir() else [path]
    return [p for p in found if p.is_file() and not p.name.startswith(".")]


def _shown(path: Path) -> str:
    """The path as a person would type it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
