"""The docs say what the code does, and what the code cites exists: the configuration reference
in docs/configuration.md is the one generated from the settings models; every Markdown file a
comment, docstring or doc names is in the repository; no path points outside it; and a
section, requirement or rule cited in a docs file is one that file has."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from pathlib import Path

from kiosk.settings.reference import END, START, markdown

REPO = Path(__file__).resolve().parents[2]

#: A Markdown file named by its path (`docs/kivy.md`, `README.md`).
MD_FILE = re.compile(r"(?<![\w./-])((?:[\w.-]+/)*[\w.-]+\.md)\b")
URL = re.compile(r"\b[a-z]+://\S+")
#: A path that only exists on the machine some text was written on.
OUTSIDE = re.compile(r"shared" + re.escape("/"))
#: Design notes the code once cited by a short name, with no file behind it.
SHORT_NAMES = re.compile(
    r"\b(?:design|visual-design|accessibility|kivy-notes|central-apis|real-components)"
    r" (?:§|rule \d)")
#: What may follow a docs file's name: sections (§3, §2.11), requirement ids (A1, E1–E6), a
#: rule of the house, or a quoted heading or phrase.
REF = r"(?:§\d+(?:\.\d+)*|\b[A-M]\d{1,2}\b)"
REFS = re.compile(rf"\A[,:]?\s*({REF}(?:\s*(?:,|–|-|and|or)\s*{REF})*)")
RULE = re.compile(r"\A,?\s*rules? (\d+)")
QUOTED = re.compile(r"\A(?:,\s*|\s+)[\"“]([^\"”\n]{1,100})[\"”]")
RANGE = re.compile(rf"({REF})\s*[–-]\s*({REF})")


def ignored_dirs(repo: Path) -> list[str]:
    """Directories that are not the project's: .git and what .gitignore names."""
    lines = (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [".git"] + [line.rstrip("/") for line in lines if line.endswith("/")]


def project_texts(repo: Path) -> Iterator[tuple[Path, str]]:
    """Every text file of the project (binary files, such as images and compiled catalogs,
    are left out), with its text."""
    skip = ignored_dirs(repo)
    pending = [repo]
    while pending:
        folder = pending.pop()
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                if not any(fnmatch.fnmatch(path.name, pattern) for pattern in skip):
                    pending.append(path)
                continue
            data = path.read_bytes()
            if b"\0" in data:
                continue
            try:
                yield path, data.decode("utf-8")
            except UnicodeDecodeError:
                continue


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def where(repo: Path, path: Path, text: str, index: int) -> str:
    return f"{path.relative_to(repo)}:{line_of(text, index)}"


def sections_of(doc: str) -> set[str]:
    """Numbers of a doc's headings: "## 3. Targets" and "## §3 Targets" both give "3"."""
    return set(re.findall(r"^#+\s+§?(\d+(?:\.\d+)*)\.?\s", doc, re.M))


def requirements_of(doc: str) -> set[str]:
    """Requirement ids in the first column of a doc's tables ("| A1 | ...")."""
    return set(re.findall(r"^\|\s*([A-M]\d{1,2})\s*\|", doc, re.M))


def rules_of(doc: str) -> set[str]:
    """Numbers of the items of "The rules of the house"."""
    part = doc.split("## The rules of the house", 1)[-1].split("\n## ", 1)[0]
    return set(re.findall(r"^(\d+)\. ", part, re.M))


def expand(refs: str) -> list[str]:
    """Every id or section a list of references names; a range names each one inside it."""
    names = re.findall(REF, refs)
    for first, last in RANGE.findall(refs):
        a, b = re.fullmatch(r"(§?[A-M]?)(\d+)", first), re.fullmatch(r"(§?[A-M]?)(\d+)", last)
        if a and b and a.group(1) == b.group(1):
            names += [f"{a.group(1)}{n}" for n in range(int(a.group(2)), int(b.group(2)))]
    return names


def flat(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def broken_citations(repo: Path) -> list[str]:
    """Every citation in `repo` that points at nothing, as "file:line: what is wrong"."""
    problems = []
    docs = {p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
            for p in (repo / "docs").glob("*.md")}
    for path, text in project_texts(repo):
        urls = [m.span() for m in URL.finditer(text)]
        for match in OUTSIDE.finditer(text):
            problems.append(f"{where(repo, path, text, match.start())}: a path outside the "
                            f"repository: {text[match.start():match.start() + 40]!r}")
        for match in SHORT_NAMES.finditer(text):
            problems.append(f"{where(repo, path, text, match.start())}: {match.group()!r} "
                            "names no file: cite docs/<file>.md")
        for match in MD_FILE.finditer(text):
            if any(start <= match.start() < end for start, end in urls):
                continue
            cited, at = match.group(1), where(repo, path, text, match.start())
            if not (repo / cited).is_file():
                problems.append(f"{at}: {cited} is not in the repository")
            elif cited in docs:
                after = text[match.end():match.end() + 200]
                problems += [f"{at}: {cited} {problem}"
                             for problem in unknown_references(docs[cited], after)]
    return problems


def unknown_references(doc: str, after: str) -> list[str]:
    """What the text `after` a docs file's name cites that the file does not have."""
    if refs := REFS.match(after):
        missing = []
        for name in expand(refs.group(1)):
            known = sections_of(doc) if name.startswith("§") else requirements_of(doc)
            if name.lstrip("§") not in known:
                missing.append(f"has no {name}")
        return missing
    if rule := RULE.match(after):
        return [] if rule.group(1) in rules_of(doc) else [f"has no rule {rule.group(1)}"]
    if quoted := QUOTED.match(after):
        said = flat(quoted.group(1)) in flat(doc)
        return [] if said else [f"does not say {quoted.group(1)!r}"]
    return []


def test_configuration_reference_is_current():
    text = (REPO / "docs/configuration.md").read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    assert text[start:end] == markdown(), "run `python -m kiosk.settings.reference`"


def test_every_citation_points_at_something_in_the_repository():
    problems = broken_citations(REPO)
    assert problems == [], f"{len(problems)} broken citations:\n" + "\n".join(problems)


# The checker's own cases, written with {md} and {sp} so that this file cites nothing itself.
DOC = """# A
### 2.11 Pixels
## 3. Targets
| ID | x |
|---|---|
| A1 | reach |
| A2 | menu |
| A3 | text |
## The rules of the house

1. **One.** Text.
2. **Two.** Memory that grows over weeks.
"""
SOUND = """# docs/a11y{md} §2.11, §3, A1–A3
# (docs/a11y{md} rule 2)
# docs/a11y{md}, "memory that grows over weeks"
# README{md} and https://example.org/notes{md}
"""
BROKEN = {
    "# notes{md} rule 2": "notes{md} is not in the repository",
    "# docs/a11y{md} §4": "has no §4",
    "# docs/a11y{md} A1–A4": "has no A4",
    "# docs/a11y{md} rule 3": "has no rule 3",
    '# docs/a11y{md}, "what it never says"': "does not say 'what it never says'",
    "# kivy-notes{sp}§1": "names no file",
    "# /tmp/shared{sl}docs/x": "a path outside the repository",
}


def fill(text: str) -> str:
    return text.format(md=".md", sp=" ", sl="/")


def test_the_citation_check_finds_each_kind_of_broken_citation(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / fill("docs/a11y{md}")).write_text(DOC, encoding="utf-8")
    (tmp_path / "README.md").write_text("# R\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("skipped/\n", encoding="utf-8")
    (tmp_path / "skipped").mkdir()
    (tmp_path / "skipped" / "x.py").write_text(fill("# gone{md}\n"), encoding="utf-8")
    (tmp_path / "good.py").write_text(fill(SOUND), encoding="utf-8")
    assert broken_citations(tmp_path) == []
    for line, expected in BROKEN.items():
        (tmp_path / "bad.py").write_text(fill(line) + "\n", encoding="utf-8")
        found = broken_citations(tmp_path)
        assert len(found) == 1 and fill(expected) in found[0], (line, found)
