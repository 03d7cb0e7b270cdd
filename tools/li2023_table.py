"""Print runs in the layout of Table 1 of Li et al. (2023).

    python tools/li2023_table.py DATASET=WORK_DIR [DATASET=WORK_DIR ...]

DATASET is the authors' folder name (CaltechBirds, StanfordCars, Flower102,
Food101, SUN397, tiered-ImageNet); WORK_DIR the distillation run's work dir
(its last_evaluations.json; the 5-shot run's in WORK_DIR/fewshot5, as
tools/li2023_few_shot.py writes it).
"""
import argparse

from vlkd_seg.demo.li2023_table import format_table, table_row
from vlkd_seg.utils.cli import at_least, user_errors


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', help='DATASET=WORK_DIR')
    parser.add_argument('--shots', type=at_least(1), default=5)
    args = parser.parse_args(argv)
    bad = [r for r in args.runs if '=' not in r]
    if bad:
        parser.error(f'expected DATASET=WORK_DIR, got {bad}')
    return args


def main(argv=None):
    args = parse_args(argv)
    rows = [
        table_row(*run.split('=', 1), shots=args.shots) for run in args.runs
    ]
    print(format_table(rows))
    return rows


if __name__ == '__main__':
    with user_errors():
        main()
