#!/usr/bin/env python3
"""Helpers for the real turns of dev.json (stdlib only).

  python3 dev_turns.py missing            count the dev.json turns not yet in holdout/tune
  python3 dev_turns.py show FROM N        print N missing turns from index FROM, each with the
                                          two turns before it (for labeling by hand)
  python3 dev_turns.py merge LABELS.tsv   add hand labels (lines "id<TAB>act,act") to
                                          holdout.jsonl / tune.jsonl by the split rule, and
                                          rewrite both files in dev.json order

Turn ids are dev-<conversation>-<turn>; <turn> counts dialogContent from 0 and the final
agentURL.url_utterance is the last turn. Conversation index % 3 == 0 -> holdout.jsonl, except that a
conversation repeating an earlier one word for word goes with its first copy (dev-386 repeats
dev-60, so it is held aside too; dev-491 repeats dev-245, both in tune).
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.dirname(HERE)
DEV = os.path.join(LAB, "..", "..", "..", "..", "..", "shared", "data", "twitter-customer-care", "dev.json")
if not os.path.exists(DEV):
    DEV = "/work/shared/data/twitter-customer-care/dev.json"


def dev_turns():
    out = []
    for i, c in enumerate(json.load(open(DEV))):
        dc = c["dialogContent"]
        for j, t in enumerate(dc):
            out.append((f"dev-{i}-{j}", "agent" if "agent" in t else "customer", t["message"]))
        out.append((f"dev-{i}-{len(dc)}", "agent", c["agentURL"]["url_utterance"]))
    return out


def holdout_convs():
    first, hold = {}, set()
    for i, c in enumerate(json.load(open(DEV))):
        key = json.dumps([t["message"] for t in c["dialogContent"]] + [c["agentURL"]["url_utterance"]])
        j = first.setdefault(key, i)
        if j % 3 == 0:
            hold.add(i)
    return hold


def labeled():
    rows = {}
    for name in ("holdout.jsonl", "tune.jsonl"):
        for line in open(os.path.join(LAB, name)):
            if line.strip():
                r = json.loads(line)
                rows[r["id"]] = r
    return rows


def main():
    turns = dev_turns()
    rows = labeled()
    missing = [k for k, t in enumerate(turns) if t[0] not in rows]
    cmd = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if cmd == "missing":
        roles = {}
        for k in missing:
            roles[turns[k][1]] = roles.get(turns[k][1], 0) + 1
        print(f"dev.json turns: {len(turns)}; labeled: {len(rows)}; missing: {len(missing)} {roles}")
    elif cmd == "show":
        a, n = int(sys.argv[2]), int(sys.argv[3])
        for k in missing[a:a + n]:
            tid = turns[k][0]
            conv = tid.rsplit("-", 1)[0]
            print("=" * 70)
            for p in (k - 2, k - 1):
                if p >= 0 and turns[p][0].rsplit("-", 1)[0] == conv:
                    print(f"   ({turns[p][0]} {turns[p][1]}) {turns[p][2]}")
            print(f">> {tid} {turns[k][1]}: {turns[k][2]}")
    elif cmd == "merge":
        for line in open(sys.argv[2]):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            tid, _, labs = line.partition("\t")
            k = next(k for k, t in enumerate(turns) if t[0] == tid)
            labels = [x.strip() for x in labs.split(",") if x.strip()]
            rows[tid] = {"id": tid, "role": turns[k][1], "text": turns[k][2], "labels": labels}
        order = {t[0]: k for k, t in enumerate(turns)}
        held = holdout_convs()
        for name, hold in (("holdout.jsonl", True), ("tune.jsonl", False)):
            ids = sorted((i for i in rows if (int(i.split("-")[1]) in held) == hold), key=order.get)
            with open(os.path.join(LAB, name), "w") as f:
                for i in ids:
                    f.write(json.dumps(rows[i], ensure_ascii=False) + "\n")
        print("merged; now", len(rows), "labeled")


if __name__ == "__main__":
    main()
