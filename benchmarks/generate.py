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


def review(index: int, rng: random.Random, words: int = 2500) -> str:
    facts = "\n".join(f"  - {label}: {' '.join(rng.choice(WORDS) for _ in range(3)).title()}"
                      for label in FACT_LABELS)
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
