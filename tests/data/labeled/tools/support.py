#!/usr/bin/env python3
"""Per-act support (positives) for each labeled file, real and written apart (stdlib only).

  python3 tests/data/labeled/tools/support.py          # table per file, plus totals
  python3 tests/data/labeled/tools/support.py --md     # the same as a Markdown table
  python3 tests/data/labeled/tools/support.py --guide  # rewrite the table between the support
                                                       # markers in GUIDE.md
"""
import json, os, sys

LAB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["holdout.jsonl", "tune.jsonl", "written_holdout.jsonl", "written_tune.jsonl"]
ACTS = ["complaint", "frustration", "escalation", "gratitude", "resolved",
        "acknowledge", "apology", "ownership", "empathy", "solution", "follow_up", "feedback_request",
        "personalization", "blame", "excuse", "non_apology", "dismissive", "negative_tone"]


def load(name):
    p = os.path.join(LAB, name)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []


def main():
    if "--guide" in sys.argv:
        import io, contextlib
        buf = io.StringIO()
        sys.argv = [sys.argv[0], "--md"]
        with contextlib.redirect_stdout(buf):
            main()
        g = os.path.join(LAB, "GUIDE.md")
        text = open(g).read()
        a, b = "<!-- support:begin -->\n", "<!-- support:end -->"
        i, j = text.index(a) + len(a), text.index(b)
        open(g, "w").write(text[:i] + "```\n$ python3 tests/data/labeled/tools/support.py --md\n```\n\n" + buf.getvalue() + text[j:])
        print(buf.getvalue())
        return
    md = "--md" in sys.argv
    data = {f: load(f) for f in FILES}
    cols = FILES + ["all holdout", "all tune", "total"]
    def count(rows, act):
        return sum(act in r["labels"] for r in rows)
    groups = {f: data[f] for f in FILES}
    groups["all holdout"] = data["holdout.jsonl"] + data["written_holdout.jsonl"]
    groups["all tune"] = data["tune.jsonl"] + data["written_tune.jsonl"]
    groups["total"] = groups["all holdout"] + groups["all tune"]
    head = ["act"] + [c.replace(".jsonl", "") for c in cols]
    rows = [["turns"] + [str(len(groups[c])) for c in cols]]
    rows += [["  customer"] + [str(sum(r["role"] == "customer" for r in groups[c])) for c in cols]]
    rows += [["  agent"] + [str(sum(r["role"] == "agent" for r in groups[c])) for c in cols]]
    rows += [[a] + [str(count(groups[c], a)) for c in cols] for a in ACTS]
    rows += [["(no act)"] + [str(sum(not r["labels"] for r in groups[c])) for c in cols]]
    if md:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(x[i]) for x in [head] + rows) for i in range(len(head))]
        for r in [head] + rows:
            print("  ".join(x.ljust(w[0]) if i == 0 else x.rjust(w[i]) for i, x in enumerate(r)))
    low = [a for a in ACTS if count(groups["total"], a) < 40]
    ids = [r["id"] for c in FILES for r in data[c]]
    dup = len(ids) - len(set(ids))
    print(f"\n{len(groups['total'])} turns; acts under 40 positives: {', '.join(low) or 'none'}; duplicate ids: {dup}")


if __name__ == "__main__":
    main()
