#!/usr/bin/env python3
"""Random conversations for a differential check of the chat-template corpus beyond conversations.json.

Usage (outside the repository, on a copy of this folder):
    cp -r src/test/resources/chat-templates /tmp/diff/src/test/resources/   # keeps llamacpp/, snippets, script
    python3 random_conversations.py SEED COUNT /tmp/diff/src/test/resources/chat-templates/conversations.json
    (cd /tmp/diff/src/test/resources/chat-templates && python3 render_expected.py)
then run ChatTemplateCorpusTest with the system property drllm.project.dir=/tmp/diff (Fixtures.projectDir).
Each conversation mixes system / user / assistant / tool turns, content that is empty, whitespace, non-ASCII,
template syntax or a list of parts, reasoning_content, tool calls with dict or JSON-string arguments of random
values (None, bools, big ints, floats, nested lists and dicts), tool results as text or JSON, tools with random
nested parameter schemas (arrays with items, objects with properties, ["string", "null"] types, enums,
defaults), enable_thinking on / off / absent and the generation prompt on or off.
"""
import json, os, random, sys
seed = int(sys.argv[1]); n = int(sys.argv[2]); out = sys.argv[3]
rng = random.Random(seed)
TEXTS = ["hi", "", " ", "  \n", "Hello, world!", "naïve café — 東京 🗼", "line1\nline2\n\nline4", "tab\tsep", "quote \" and ' and \\ back",
         "{{ not a var }} {% nor a tag %}", "<think>hidden</think>visible", "<tool_call>{\"x\": 1}</tool_call>", "100%", "emoji 👩‍💻 zwj",
         "\u200b\u200e rtl עברית", "ends with newline\n", "  leading and trailing  ", "<|im_end|> special-looking", "0", "None", "True", "[1, 2]"]
def text(): return rng.choice(TEXTS) if rng.random() < 0.8 else " ".join(rng.choice(TEXTS) for _ in range(rng.randint(2, 4)))
def value(depth=0):
    r = rng.random()
    if depth > 2 or r < 0.5:
        return rng.choice([0, 1, -7, 3.5, 1e-3, 12345678901234, True, False, None, "s", "ünï", "", "a\"b", [], {}])
    if r < 0.75: return [value(depth+1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["a", "b", "key", "ключ", "n", "x_y"]): value(depth+1) for _ in range(rng.randint(0, 3))}
def schema(depth=0):
    t = rng.choice(["string", "integer", "number", "boolean", "array", "object", ["string", "null"]])
    s = {"type": t}
    if rng.random() < 0.5: s["description"] = text()
    if t == "string" and rng.random() < 0.3: s["enum"] = ["a", "b", "c"]
    if t == "array": s["items"] = schema(depth+1) if depth < 2 else {"type": "string"}
    if t == "object" and depth < 2:
        s["properties"] = {f"p{i}": schema(depth+1) for i in range(rng.randint(0, 3))}
        if s["properties"] and rng.random() < 0.6: s["required"] = [rng.choice(list(s["properties"]))]
    if rng.random() < 0.2: s["default"] = value(2)
    return s
def tool(i):
    props = {f"arg{j}": schema(1) for j in range(rng.randint(0, 3))}
    f = {"name": f"tool_{i}", "description": text(), "parameters": {"type": "object", "properties": props}}
    if props and rng.random() < 0.7: f["parameters"]["required"] = [rng.choice(list(props))]
    return {"type": "function", "function": f}
def conv():
    tools = [tool(i) for i in range(rng.randint(1, 3))] if rng.random() < 0.5 else None
    msgs = []
    if rng.random() < 0.5: msgs.append({"role": "system", "content": text()})
    for turn in range(rng.randint(1, 5)):
        u = {"role": "user", "content": text()}
        if rng.random() < 0.1: u["content"] = [{"type": "text", "text": text()}]
        msgs.append(u)
        if rng.random() < 0.85 or turn < 1:
            a = {"role": "assistant", "content": text()}
            if rng.random() < 0.2: a["reasoning_content"] = text()
            if tools and rng.random() < 0.5:
                calls = []
                for k in range(rng.randint(1, 2)):
                    t = rng.choice(tools)["function"]
                    args = {p: value(1) for p in t["parameters"]["properties"]}
                    if rng.random() < 0.3: args = json.dumps(args, ensure_ascii=False)
                    calls.append({"id": f"call_{turn}_{k}", "type": "function", "function": {"name": t["name"], "arguments": args}})
                a["tool_calls"] = calls
                if rng.random() < 0.4: a["content"] = rng.choice([None, ""])
                msgs.append(a)
                for c in calls:
                    msgs.append({"role": "tool", "tool_call_id": c["id"], "name": c["function"]["name"], "content": rng.choice([text(), json.dumps(value(), ensure_ascii=False)])})
                continue
            msgs.append(a)
    # sometimes end on an assistant or tool turn
    if rng.random() < 0.4 and msgs[-1]["role"] != "user": pass
    elif rng.random() < 0.3: msgs = msgs[:-1] if len(msgs) > 1 else msgs
    c = {"add_generation_prompt": rng.random() < 0.7, "messages": msgs}
    if tools: c["tools"] = tools
    if rng.random() < 0.5: c["vars"] = {"enable_thinking": rng.random() < 0.5}
    return c
spec = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conversations.json"), encoding="utf-8"))
spec["conversations"] = {f"rand-{seed}-{i}": conv() for i in range(n)}
with open(out, "w", encoding="utf-8") as f:
    json.dump(spec, f, ensure_ascii=False, indent=1)
