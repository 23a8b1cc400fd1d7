#!/usr/bin/env python3
"""Correct the labels of one written turn: python3 relabel.py ID act,act,..."""
import json, os, sys
LAB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tid, labels = sys.argv[1], sorted({x for x in sys.argv[2].split(",") if x}) if len(sys.argv) > 2 else []
for name in ("written_holdout.jsonl", "written_tune.jsonl", "holdout.jsonl", "tune.jsonl"):
    p = os.path.join(LAB, name)
    rows = [json.loads(l) for l in open(p) if l.strip()]
    hit = [r for r in rows if r["id"] == tid]
    if hit:
        print(name, tid, hit[0]["labels"], "->", labels, "|", hit[0]["text"][:80])
        hit[0]["labels"] = labels
        open(p, "w").write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
