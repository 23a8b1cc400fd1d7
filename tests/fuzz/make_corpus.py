#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ from the tests' own inputs:
rules/default.json and the small packs of tests/support/packs.hpp, the frames of docs/protocol.md,
the rules' examples and tests/data/labeled, and scripted conversations. Run from anywhere;
rerun after those inputs change much (the fuzzers work from any seeds)."""
import copy, hashlib, json, os, random, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(target, items):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):  # inputs that once crashed ("regression-*") are kept
        if not name.startswith("regression-"):
            os.remove(os.path.join(d, name))
    for item in items:
        data = item.encode() if isinstance(item, str) else item
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)
    print(f"{target}: {len(os.listdir(d))} files")


def frames():
    doc = open(os.path.join(ROOT, "docs", "protocol.md")).read()
    out = [l for l in doc.splitlines() if l.startswith('{"type":"') and l.endswith("}")]
    client = [l for l in out if re.match(r'\{"type":"(message|draft|close|whisper|subscribe|rating)"', l)]
    bad = ['{"type":"message","text":"hi"}', '{"type":"message","text":"","client_id":"k1"}',
           '{"type":"teleport"}', '{"text":"no type"}', '[1,2,3]', '"message"', '{"type":7}',
           '{"type":"draft","conversation":"c3","text":""}', '{"type":"close","conversation":null}',
           '{"type":"message","text":"caf\\u00e9 \\ud83d\\ude00","client_id":"k2","extra":{"a":[1,2.5e300,null]}}',
           '{"type":"message","text":"x","client_id":"' + "k" * 129 + '"}', '{"type":"message"', '',
           '{"type":"rating","conversation":"c3","score":"5"}', '{"type":"rating","conversation":"c3","score":4.5,"comment":null}',
           '{"type":"rating","conversation":"c3","score":99999999999999999999}']
    return client + bad


def packs():
    default = json.load(open(os.path.join(ROOT, "rules", "default.json")))

    def rule(id_, act, role, patterns, match, no_match):
        return {"id": id_, "act": act, "role": role, "patterns": patterns,
                "examples": {"match": match, "no_match": no_match}}

    minimal = {"name": "test",
               "rules": [rule("apology.sorry", "apology", "agent", ["\\bsorry\\b"],
                              ["so sorry", "Sorry!", "I'm sorry about that"],
                              ["hello", "we will fix it", "sorry if you feel that way"]),
                         rule("complaint.broken", "complaint", "customer", ["\\bbroken\\b", "\\bnot working\\b"],
                              ["it is broken", "app not working", "BROKEN again"], ["works fine", "thanks", "hello"])],
               "playbook": {"opens_round": ["complaint"],
                            "steps": [{"step": "apology", "acts": ["apology"], "label": "Apologize", "why": "Say sorry."}]},
               "templates": [{"step": "apology", "variants": ["Sorry, {name}.", "Sorry."]}]}
    minimal["rules"][0]["unless"] = ["sorry if you"]
    out = [json.dumps(default, indent=1), json.dumps(minimal)]
    variants = []
    v = copy.deepcopy(minimal); v["rules"][1]["patterns"][1] = "not (working"; variants.append(v)
    v = copy.deepcopy(minimal); v["rules"][0]["act"] = "apologise"; v["rules"][1]["role"] = "client"; variants.append(v)
    v = copy.deepcopy(minimal); v["templates"][0]["variants"] = ["Sorry, {nam}.", "Sorry {order}"]; variants.append(v)
    v = copy.deepcopy(minimal); v["rules"][0]["case_sensitive"] = True; v["rules"][1]["patterns"] = ["(?i)broken|\\p{Greek}+"]; variants.append(v)
    # The default pack's coaching settings on the minimal rules: every section, small enough to mutate.
    v = copy.deepcopy(minimal)
    for k in ("playbook", "flags", "tone", "sentiment", "health"):
        if k in default: v[k] = default[k]
    variants.append(v)
    v = copy.deepcopy(default); v["rules"] = v["rules"][:3]; variants.append(v)
    out += [json.dumps(x) for x in variants]
    out += ['{}', '{"name":"x","rules":[]}', '{"rules":[{"id":"a"}]}', 'null']
    return out, default


def labeled():
    turns = []
    for name in ("tune.jsonl", "holdout.jsonl"):
        with open(os.path.join(ROOT, "tests", "data", "labeled", name)) as f:
            turns += [json.loads(l) for l in f if l.strip()]
    return turns


def texts(default, turns):
    out = set()
    for r in default["rules"]:
        out.update(r["examples"]["match"]); out.update(r["examples"]["no_match"])
    rng = random.Random(8)
    out.update(t["text"] for t in rng.sample(turns, 120))
    out.update(["", "ALL CAPS IS SHOUTING AT YOU", "caf\u00e9\u00a0https://example.com/x?y=1 \u201csmart\u201d",
])
    return sorted(out) + [b"\xff\xfe invalid \xc3( utf8 \xe2\x80"]


def encode(role, delta, text):
    return f"{role}{delta} " + text.replace("\r", " ").replace("\n", "\\n")


def conversations(turns):
    scripted = [
        ["c0 Hi there, quick question about opening hours",
         "c10000 @Acme my order #4411 still hasn't arrived and this is ridiculous. - Dana",
         "d20000 you should have checked the tracking",
         "a10000 Sorry about that, but you should have checked the tracking page.",
         "a30000 So sorry for the trouble, Dana. I've sent a replacement for order #4411 by express.",
         "s120000"],
        ["c0 My app keeps crashing", "a30000 Sorry to hear that! Try reinstalling the app, then let us know if that helps.",
         "c30000 Now I was charged twice for my subscription", "a400000 OK.", "s-5000"],
        ["c0 My order is late", "c60000 hello??", "s600000", "a5000 So sorry for the wait! Let me check your order."],
        ["c0 Thanks, my order is late though",
         "c20000 This is the worst service, I want to speak to a manager. Terrible!",
         "a10000 Unfortunately that's our policy.", "d0 IT IS NOT OUR FAULT", "c5000 it's broken"],
    ]
    out = ["\n".join(s) for s in scripted]
    # Recorded conversations from the labeled turns (ids "<split>-<conversation>-<turn>").
    by_conv = {}
    for t in turns:
        by_conv.setdefault(t["id"].rsplit("-", 1)[0], []).append(t)
    rng = random.Random(8)
    for key in rng.sample(sorted(by_conv), 12):
        lines = [encode("c" if t["role"] == "customer" else "a", 0 if i == 0 else 45000, t["text"])
                 for i, t in enumerate(by_conv[key][:10])]
        out.append("\n".join(lines))
    return out


if __name__ == "__main__":
    turns = labeled()
    write("frame", frames())
    pack_seeds, default = packs()
    write("compile", pack_seeds)
    write("annotate", texts(default, turns))
    write("conversation", conversations(turns))
