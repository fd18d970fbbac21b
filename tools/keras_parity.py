#!/usr/bin/env python3
"""Reference digests from Keras' own preprocessing (keras_preprocessing), for the library's parity test.

usage: keras_parity.py TEXTS_JSON
TEXTS_JSON holds {"train": [...], "test": [...]}. For each configuration the script fits Keras'
Tokenizer on the training texts, converts train and test texts, pads them, and prints one line per
result: `<key> <sha256>`. The Java test computes the same keys and compares.
"""

import hashlib
import json
import sys

from keras_preprocessing.sequence import pad_sequences
from keras_preprocessing.text import Tokenizer


def digest_rows(rows):
    h = hashlib.sha256()
    for row in rows:
        h.update((",".join(str(int(v)) for v in row) + "\n").encode())
    return h.hexdigest()


def digest_index(word_index):
    h = hashlib.sha256()
    for word, i in sorted(word_index.items(), key=lambda kv: kv[1]):
        h.update(f"{word}\t{i}\n".encode())
    return h.hexdigest()


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    texts = data["train"] + data["test"]
    for oov in (None, "<OOV>"):
        fitted = Tokenizer(oov_token=oov)
        fitted.fit_on_texts(data["train"])
        tag = "oov" if oov else "plain"
        print(f"index-{tag} {digest_index(fitted.word_index)}", flush=True)
        for num_words in (8000, 10000):
            fitted.num_words = num_words
            seqs = fitted.texts_to_sequences(texts)
            print(f"seq-{tag}-{num_words} {digest_rows(seqs)}", flush=True)
            if num_words == 8000:
                for padding in ("pre", "post"):
                    for truncating in ("pre", "post"):
                        padded = pad_sequences(seqs, maxlen=200, padding=padding, truncating=truncating)
                        print(f"pad-{tag}-{num_words}-{padding}-{truncating} {digest_rows(padded)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
