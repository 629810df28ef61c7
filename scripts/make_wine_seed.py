"""Write seeds/wine.csv from scikit-learn's bundled copy of the UCI wine data (no download)."""

from pathlib import Path

from sqlnn.datasets import write_wine_csv

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "seeds" / "wine.csv"
    write_wine_csv(target)
    print(f"wrote {target}")
