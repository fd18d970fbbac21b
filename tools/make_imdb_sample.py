#!/usr/bin/env python3
"""Writes data/imdb-sample.tar.gz, the quick-mode IMDB sample, from the full labelled archive.

The sample keeps the archive's layout (aclImdb/{train,test}/{pos,neg}/<id>_<stars>.txt) so the
library reads it with the same code as the full dataset. It holds the reviews with the lowest ids:
ids 0-999 of each class from train (2,000 reviews) and ids 0-499 of each class from test (1,000).

usage: tools/make_imdb_sample.py ARCHIVE [OUTPUT]
"""
import gzip
import io
import re
import sys
import tarfile

LIMITS = {"train": 1000, "test": 500}
NAME = re.compile(r"(?:^|/)aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")


def main(src, dst="data/imdb-sample.tar.gz"):
    chosen = []
    with tarfile.open(src, "r:gz") as tar:
        for member in tar:
            m = NAME.search(member.name)
            if member.isfile() and m and int(m.group(3)) < LIMITS[m.group(1)]:
                chosen.append((f"aclImdb/{m.group(1)}/{m.group(2)}/{m.group(3)}_{m.group(4)}.txt",
                               tar.extractfile(member).read()))
    chosen.sort()
    with gzip.GzipFile(dst, "wb", compresslevel=9, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as out:
        for name, data in chosen:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1303862400, 0o644  # fixed: reproducible bytes
            out.addfile(info, io.BytesIO(data))
    print(f"{dst}: {len(chosen)} reviews")


if __name__ == "__main__":
    main(*sys.argv[1:])
