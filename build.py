"""Build the event project in this folder: `python build.py --help` lists the commands."""

from songphasa.cli import run

if __name__ == "__main__":
    run()
