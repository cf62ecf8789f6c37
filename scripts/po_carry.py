"""Carries Kazakh and Russian translations across a merge of the catalogues.

Two branches that each add strings both change locale/*/LC_MESSAGES/django.po, and git cannot merge catalogues
line by line. Instead of resolving such a conflict by hand:

    .venv/bin/python scripts/po_carry.py save /tmp/mine.json     # on your branch, before the merge
    git merge main                                                # conflict in locale/
    git checkout --theirs locale/ && git add locale/              # take main's catalogues
    .venv/bin/python scripts/po_carry.py regen /tmp/mine.json     # makemessages, fill from both, compile

`regen` regenerates the catalogues from the source and fills every empty entry from the saved translations;
`scripts/check_translations.py` then says whether anything is still missing.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("kk", "ru")


def _po_path(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt or ''}\x04{entry.msgid}\x04{entry.msgid_plural or ''}"


def save(out: str) -> None:
    data: dict[str, dict[str, object]] = {}
    for lang in LANGS:
        entries = {}
        for entry in polib.pofile(str(_po_path(lang))):
            if entry.obsolete or entry.fuzzy:
                continue
            if entry.msgid_plural and any(entry.msgstr_plural.values()):
                entries[_key(entry)] = {str(k): v for k, v in entry.msgstr_plural.items()}
            elif entry.msgstr:
                entries[_key(entry)] = entry.msgstr
        data[lang] = entries
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"saved {', '.join(f'{lang}: {len(v)}' for lang, v in data.items())} translations to {out}")


def regen(saved: list[str]) -> None:
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    carried: dict[str, dict[str, object]] = {lang: {} for lang in LANGS}
    for lang in LANGS:  # the catalogues as they are now (main's side of the merge) count too
        for entry in polib.pofile(str(_po_path(lang))):
            if not entry.obsolete and not entry.fuzzy and (entry.msgstr or any(entry.msgstr_plural.values())):
                carried[lang][_key(entry)] = (
                    {str(k): v for k, v in entry.msgstr_plural.items()} if entry.msgid_plural else entry.msgstr
                )
    for path in saved:
        for lang, entries in json.loads(Path(path).read_text(encoding="utf-8")).items():
            for key, value in entries.items():
                carried[lang].setdefault(key, value)
    cmd = [
        sys.executable,
        "manage.py",
        "makemessages",
        "--no-obsolete",
        "-v0",
        "--ignore=.venv/*",
        "--ignore=var/*",
        "--ignore=*/node_modules/*",
        *[f"-l{lang}" for lang in LANGS],
    ]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    for lang in LANGS:
        po = polib.pofile(str(_po_path(lang)))
        filled = 0
        for entry in po:
            value = carried[lang].get(_key(entry))
            if value is None:
                continue
            if entry.msgid_plural and isinstance(value, dict):
                entry.msgstr_plural = {int(k): v for k, v in value.items()}
            elif isinstance(value, str):
                entry.msgstr = value
            else:
                continue
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
        po.save()
        print(f"{lang}: {filled} entries carried")
    subprocess.run([sys.executable, "manage.py", "compilemessages", "-v0", "--ignore=.venv"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "save":
        save(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] == "regen":
        regen(sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)
