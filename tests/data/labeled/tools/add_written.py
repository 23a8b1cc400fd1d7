#!/usr/bin/env python3
"""Append hand-written turns to written_holdout.jsonl / written_tune.jsonl (stdlib only).

  python3 add_written.py BATCH.txt

BATCH.txt has one turn a line: ROLE|LABELS|TEXT, ROLE is c (customer) or a (agent),
LABELS is a comma-separated list (may be empty), TEXT may hold "\\n" for a line break.
Lines starting with # are skipped. Each turn gets the next id w-<n> (n counts from 1 in
writing order over both files); n divisible by 3 -> written_holdout.jsonl, else
written_tune.jsonl. The split is fixed by the id alone, decided before the text is written.
"""
import json, os, sys

LAB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUSTOMER = {"complaint", "frustration", "escalation", "gratitude", "resolved"}
AGENT = {"acknowledge", "apology", "ownership", "empathy", "solution", "follow_up", "feedback_request",
         "personalization", "blame", "excuse", "non_apology", "dismissive", "negative_tone"}
FILES = ("written_holdout.jsonl", "written_tune.jsonl")


def existing():
    rows = []
    for name in FILES:
        p = os.path.join(LAB, name)
        if os.path.exists(p):
            rows += [json.loads(l) for l in open(p) if l.strip()]
    return rows


def main():
    rows = existing()
    n = max([int(r["id"][2:]) for r in rows] or [0])
    texts = {r["text"] for r in rows}
    new = []
    for k, line in enumerate(open(sys.argv[1]), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        role, labs, text = line.split("|", 2)
        role = {"c": "customer", "a": "agent"}[role]
        labels = sorted({x.strip() for x in labs.split(",") if x.strip()})
        allowed = CUSTOMER if role == "customer" else AGENT
        bad = [x for x in labels if x not in allowed]
        if bad:
            sys.exit(f"{sys.argv[1]}:{k}: {bad} not a {role} act")
        text = text.replace("\\n", "\n").strip()
        if text in texts:
            sys.exit(f"{sys.argv[1]}:{k}: duplicate text")
        texts.add(text)
        n += 1
        new.append({"id": f"w-{n}", "role": role, "text": text, "labels": labels, "source": "written"})
    for name, hold in (("written_holdout.jsonl", True), ("written_tune.jsonl", False)):
        with open(os.path.join(LAB, name), "a") as f:
            for r in new:
                if (int(r["id"][2:]) % 3 == 0) == hold:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"added {len(new)} (w-{n - len(new) + 1}..w-{n}); written total {len(rows) + len(new)}")


if __name__ == "__main__":
    main()
