"""Write a workspace of N synthetic reviews: about 2,500 words each, a full fact box and a
five-track jukebox, so benchmarks measure books shaped like the real ones.

The text is deterministic nonsense from a fixed seed: the same N gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "shadow light frame reel silence scream corridor stair candle mirror window house night "
    "figure doorway street camera close face hand door fog harbour station organ piano film "
    "dread wonder memory grief laughter hunger winter summer rain iron glass velvet ash "
    "slow quiet sudden bright hollow patient restless tender cruel gentle strange familiar "
    "watches follows waits returns opens closes lingers breaks hides answers remembers keeps "
    "the a of and in to with for on at by from under over through after before between"
).split()
FACT_LABELS = ("Release Date", "Genre", "Country of Origin", "Budget", "Box Office",
               "Running Time", "Director", "Producers", "Screenplay", "Cinematography",
               "Score", "Editing", "Studio", "Distributor", "Stars")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
    text = " ".join(words)
    if rng.random() < 0.15:
        text += f', "{rng.choice(WORDS)} {rng.choice(WORDS)}"'
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "...", "?"])


def essay(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(4, 9)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


MONTHS = ("January February March April May June July August September October November "
          "December").split()


def _value(label: str, index: int, rng: random.Random) -> str:
    """A fact as an author writes it: dates, sums and running times that read as such (a
    check of the volume warns of nothing), three words for the others."""
    if label == "Release Date":
        return f"{MONTHS[index % 12]} {1 + index % 28}, {1920 + index % 80}"
    if label in ("Budget", "Box Office"):
        return f"${rng.randint(1, 90) * 100_000:,}"
    if label == "Running Time":
        return f"{70 + index % 90} minutes"
    return " ".join(rng.choice(WORDS) for _ in range(3)).title()


def review(index: int, rng: random.Random, words: int = 2500) -> str:
    facts = "\n".join(f"  - {label}: {_value(label, index, rng)}" for label in FACT_LABELS)
    tracks = "\n".join(f"  - artist: {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}\n"
                       f"    song: {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
                       for _ in range(5))
    return (f"---\ntitle: Synthetic Film {index:04d}\nyear: {1920 + index % 80}\n"
            f"appraisal: {index}\nviews: Two\nfacts:\n{facts}\n"
            f"  - Based on a story by {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}\n"
            f"jukebox:\n{tracks}\njudgement: {rng.randint(1, 10)}/10\n---\n\n"
            f"{essay(rng, words)}\n")


APPARATUS = ('indexes = ["films", "directors", "actors", "years", "scores"]\n'
             "soundtrack = true\nnumbers = true\n")


def generate(root: Path, count: int, seed: int = 1, words: int = 2500,
             apparatus: bool = False) -> Path:
    """Write `count` reviews of about `words` words into one volume under `root`; return the
    workspace root. With `apparatus`, the volume has every index, the soundtrack and the
    numbers as back matter."""
    rng = random.Random(seed)
    folder = root / "volumes" / f"synthetic-{count}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "volume.toml").write_text(
        f'title = "Synthetic {count}"\nauthor = "Benchmark"\ndate = 2026-01-01\n'
        + (APPARATUS if apparatus else ""), encoding="utf-8")
    for index in range(1, count + 1):
        (folder / f"film-{index:04d}.md").write_text(review(index, rng, words), encoding="utf-8")
    return root


FIRST = ("Ada Bruno Clara Dmitri Elsa Felix Greta Hugo Ingrid Jonas Lars Marta Nils Olga "
         "Pavel Rosa Sven Tilde Vera Wim Zeno").split()
LAST = ("Abend Brandt Castel Eckberg Falk Grau Holm Ibsen Jessel Kahl Lind Moreau Nyberg "
        "Ostrow Pohl Quist Rainer Sand Thal Ulrich Varga Weld Zorn Dahl").split()


def _people(rng: random.Random, count: int) -> list[str]:
    names = sorted({f"{f} {last}" for f in FIRST for last in LAST})
    rng.shuffle(names)
    return names[:count]


def _archive_review(number: int, title: str, rng: random.Random, words: int,
                    directors: list[str], actors: list[str], crew: list[str],
                    related: list[str], lean: bool = False) -> str:
    """A review as the archive's: its people drawn from pools the whole series shares, and
    references to reviews in other volumes (in `related` and in the essay). `lean`: a short
    fact box and one track (a quick test's series, the same shape)."""
    facts = [f"Release Date: March {1 + number % 28}, {1920 + number % 80}",
             f"Genre: {rng.choice(('Horror', 'Drama', 'Comedy', 'Thriller', 'Western'))}",
             f"Country of Origin: {rng.choice(('France', 'Germany', 'Japan', 'Sweden'))}",
             f"Running Time: {70 + number % 90} minutes",
             f"Director: {rng.choice(directors)}",
             "Stars: " + ", ".join(rng.sample(actors, 4))]
    facts += [f"{label}: {rng.choice(crew)}"
              for label in ("Producers", "Screenplay", "Cinematography")]
    facts.append(f"Studio: {rng.choice(WORDS).title()} Pictures")
    facts = facts[4:6] if lean else facts
    tracks = "\n".join(f"  - artist: {rng.choice(crew)}\n"
                       f"    song: {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
                       for _ in range(1 if lean else 5))
    body = essay(rng, words).split("\n\n")
    if related:  # one reference in the running text, the rest in the Read Also list
        body[len(body) // 2] += f" It answers [[{related[0]}]] in its own way."
    also = "".join(f"\n  - {r}" for r in related[1:])
    return ("---\n" f"title: {title}\nyear: {1920 + number % 80}\nappraisal: {number}\n"
            "facts:\n" + "".join(f"  - {f}\n" for f in facts)
            + f"jukebox:\n{tracks}\njudgement: {1 + number % 10}/10\n"
            + (f"related:{also}\n" if also else "") + "---\n\n" + "\n\n".join(body) + "\n")


def generate_archive(root: Path, volumes: int = 6, per_volume: int = 100, omnibus: int = 60,
                     words: int = 2500, seed: int = 1, apparatus: bool = True,
                     lean: bool = False) -> Path:
    """Write the author's archive at scale: `volumes` volumes of `per_volume` reviews each
    (`vol-1` ...), one series, people shared across the volumes, two or three references per
    review to reviews of other volumes, and an omnibus of `omnibus` reviews drawn from them
    (`omnibus`, the series' last); `lean` reviews have a short fact box and one track.
    Return the workspace root."""
    rng = random.Random(seed)
    directors, actors, crew = _people(rng, 60), _people(rng, 240), _people(rng, 120)
    total = volumes * per_volume
    titles = [f"Archive Film {n:04d}" for n in range(1, total + 1)]
    for v in range(volumes):
        folder = root / "volumes" / f"vol-{v + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "volume.toml").write_text(
            f'title = "The Archive, Volume {v + 1}"\nauthor = "Benchmark"\n'
            f"date = 2026-01-{v + 1:02d}\n" + (APPARATUS if apparatus else "")
            + f'\n[series]\nname = "The Archive"\nnumber = {v + 1}\n', encoding="utf-8")
        for n in range(v * per_volume + 1, (v + 1) * per_volume + 1):
            others = [i for i in range(1, total + 1)
                      if not v * per_volume < i <= (v + 1) * per_volume]
            related = [titles[i - 1] for i in rng.sample(others, rng.randint(2, 3))] \
                if volumes > 1 else []
            (folder / f"film-{n:04d}.md").write_text(
                _archive_review(n, titles[n - 1], rng, words, directors, actors, crew,
                                related, lean),
                encoding="utf-8")
    if omnibus:
        picks = sorted(rng.sample(range(1, total + 1), min(omnibus, total)))
        folder = root / "volumes" / "omnibus"
        folder.mkdir(parents=True, exist_ok=True)
        slugs = ", ".join(f'"film-{n:04d}"' for n in picks)
        (folder / "volume.toml").write_text(
            'title = "The Archive: A Selection"\nauthor = "Benchmark"\ndate = 2026-02-01\n'
            'indexes = ["films", "directors", "actors"]\n'
            f'\n[series]\nname = "The Archive"\nnumber = {volumes + 1}\nlast = true\n'
            f"\n[contents]\nreviews = [{slugs}]\n", encoding="utf-8")
    return root
