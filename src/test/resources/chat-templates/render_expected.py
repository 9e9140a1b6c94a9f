#!/usr/bin/env python3
"""Expected renderings of the chat-template corpus, by Jinja2 set up as transformers'
apply_chat_template sets it up (transformers/utils/chat_template_utils.py): an
ImmutableSandboxedEnvironment with trim_blocks and lstrip_blocks, the loopcontrols extension and
the {% generation %} tag (AssistantTracker; it renders its body unchanged when no assistant mask is
asked for), its tojson filter, and the raise_exception and strftime_now globals. No loader: a
template can load nothing. Rendered with messages, tools, documents=None, add_generation_prompt and
the special tokens, then each conversation's extra variables.

Run from this directory (Python 3, jinja2 3.1.6):
    python3 render_expected.py            # writes expected/<template>.json
Each output maps a conversation name to {"text": ...} or, when Jinja2 raises, {"error": ...}.
snippets.json (small templates, each on one user message plus its variables) goes the same way
to expected/_snippets.json: the Python behaviours the corpus relies on, one at a time.
The clock strftime_now reads is fixed (conversations.json "now") so the outputs are reproducible.
"""
import json
import os
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


class AssistantTracker(Extension):
    """transformers' {% generation %} ... {% endgeneration %}: marks assistant text for masks."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    def _generation_support(self, caller):
        return caller()


def environment(now):
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return now.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[AssistantTracker, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, source, conv, specials):
    try:
        template = env.from_string(source)
        kwargs = dict(specials)
        kwargs.update(conv.get("vars", {}))
        text = template.render(messages=conv["messages"], tools=conv.get("tools"), documents=None,
                               add_generation_prompt=conv["add_generation_prompt"], **kwargs)
        return {"text": text}
    except Exception as e:  # what transformers lets through to the caller
        return {"error": type(e).__name__ + ": " + str(e)}


def main():
    with open(os.path.join(HERE, "conversations.json"), encoding="utf-8") as f:
        spec = json.load(f)
    env = environment(datetime.fromisoformat(spec["now"]))
    src_dir = os.path.join(HERE, "llamacpp")
    out_dir = os.path.join(HERE, "expected")
    os.makedirs(out_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(src_dir) if n.endswith(".jinja"))
    for name in names:
        with open(os.path.join(src_dir, name), encoding="utf-8") as f:
            source = f.read()
        out = {c: render(env, source, conv, spec["special_tokens"]) for c, conv in spec["conversations"].items()}
        with open(os.path.join(out_dir, name[:-len(".jinja")] + ".json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    with open(os.path.join(HERE, "snippets.json"), encoding="utf-8") as f:
        snippets = json.load(f)
    out = []
    for s in snippets:
        conv = {"messages": [{"role": "user", "content": "hi"}], "add_generation_prompt": True, "vars": s.get("v", {})}
        out.append(render(env, s["t"], conv, spec["special_tokens"]))
    with open(os.path.join(out_dir, "_snippets.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("jinja2", jinja2.__version__, ":", len(names), "templates x", len(spec["conversations"]), "conversations ->", out_dir,
          file=sys.stderr)


if __name__ == "__main__":
    main()
